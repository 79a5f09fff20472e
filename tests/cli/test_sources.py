"""Registered documents: source add, list and show; quotes checked against them; bad files refused."""

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
SECOND = DATA / "second-report.txt"
ARTICLE = "hnrb-minhang-huainan-2024"


def _add(cli, path=SECOND, doc="second-report", **extra):  # type: ignore[no-untyped-def]
    args = ["source", "add", str(path), "--id", doc, "--title", extra.pop("title", "园区共建迈入新阶段"),
            "--published", extra.pop("published", "2023-02-20")]
    for key, value in extra.items():
        args += [f"--{key}", value]
    return cli(*args)


def _events(cli) -> int:  # type: ignore[no-untyped-def]
    return int(cli.ok("verify").stdout.split()[1])


def test_a_document_is_registered_with_its_text_and_sha256(cli):
    text = SECOND.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    run = _add(cli, publisher="测试日报", url="https://example.org/r2")
    assert run.exit_code == 0, run.stderr
    assert run.stderr.endswith(f"coop-ledger: registered second-report ({len(text):,} characters, SHA-256 {digest})\n")
    listed = cli.ok("source", "list", "-f", "json").json()
    assert [d["id"] for d in listed] == [ARTICLE, "second-report"]  # the seed registers the article
    second = listed[1]
    del second["registered_at"]
    assert second == {"id": "second-report", "title": "园区共建迈入新阶段", "published": "2023-02-20",
                      "publisher": "测试日报", "url": "https://example.org/r2", "sha256": digest, "chars": len(text)}
    shown = json.loads(cli.ok("source", "show", "second-report", "-f", "json").stdout)
    assert (shown["text"], shown["sha256"]) == (text, digest)
    table = cli.ok("source", "show", "second-report").stdout
    assert table.splitlines()[0].split() == ["field", "value"]
    assert table.endswith(text + "\n")
    [line] = [line for line in cli.ok("source", "list").stdout.splitlines() if line.startswith("second-report ")]
    assert line.split()[1:] == ["园区共建迈入新阶段", "2023-02-20", "测试日报", f"{len(text):,}", digest[:12]]


def test_the_same_document_again_is_no_new_event(cli):
    _add(cli)
    events = _events(cli)
    run = _add(cli)
    assert (run.exit_code, run.stderr) == (0, "coop-ledger: second-report is already registered with this text; "
                                           "nothing added (its title and other fields stay as first registered)\n")
    assert _events(cli) == events


def test_a_document_id_registered_with_another_text_is_refused(cli, tmp_path):
    _add(cli)
    events = _events(cli)
    other = tmp_path / "other.txt"
    other.write_text("另一篇报道。\n", encoding="utf-8")
    run = _add(cli, other)
    assert (run.exit_code, run.stdout) == (2, "")
    digest = hashlib.sha256(SECOND.read_text(encoding="utf-8").encode()).hexdigest()
    assert run.stderr == (f"coop-ledger: id: 'second-report': is registered with another text (SHA-256 {digest[:12]}...); "
                          "register this one under a new id\n")
    assert _events(cli) == events


@pytest.mark.parametrize(("content", "message"), [
    (b"\xe6\xb7\xae\xff\xfe", "is not UTF-8 text (byte 3 is 0xff)"),
    (b"", "is empty"),
    (b" \n\t\n", "is empty"),
])
def test_a_file_that_is_no_text_is_refused(cli, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = cli.ok("export").stdout
    run = _add(cli, path)
    assert (run.exit_code, run.stderr) == (2, f"coop-ledger: file: {str(path)!r}: {message}\n")
    assert cli.ok("source", "list", "-f", "json").json()[-1]["id"] == ARTICLE
    assert cli.ok("export").stdout == before


@pytest.mark.parametrize(("change", "message"), [
    ({"path": "missing.txt"}, "file: '{tmp}/missing.txt': no such file"),
    ({"path": "."}, "file: '{tmp}': is a directory, not a file"),
    ({"doc": "a b"}, "id: 'a b': use letters, digits and . _ : - (at most 128)"),
    ({"published": "2023-13"}, "published: '2023-13'"),
    ({"published": "../2023"}, "published: '../2023': must have both ends (2023-02-20, 2024-01/2024-03)"),
    ({"published": "2023/.."}, "published: '2023/..': must have both ends (2023-02-20, 2024-01/2024-03)"),
    ({"title": " "}, "title: ' ': must not be empty"),
])
def test_bad_arguments_to_source_add_are_one_line(sqlite_cli, tmp_path, change, message):
    sqlite_cli.ok("init")
    kwargs = dict(change)
    if "path" in kwargs:
        kwargs["path"] = tmp_path / kwargs["path"]
    run = _add(sqlite_cli, **kwargs)
    assert run.exit_code == 2
    assert run.stderr.startswith("coop-ledger: " + message.format(tmp=tmp_path)), run.stderr
    assert run.stderr.count("\n") == 1
    assert [d["id"] for d in sqlite_cli.ok("source", "list", "-f", "json").json()] == [ARTICLE]


def test_an_unknown_document_is_one_line(cli):
    cli.ok("init")
    for command in (("source", "show", "nope"), ("extract", "nope")):
        run = cli(*command)
        assert (run.exit_code, run.stdout) == (2, "")
        assert run.stderr == "coop-ledger: document: 'nope': no such document registered (`coop-ledger source list` lists them)\n"


def test_a_quote_not_in_its_registered_document_is_refused_on_append(cli):
    _add(cli)
    before = cli.ok("export").stdout
    run = cli("append", "--kind", "meeting", "--date", "2023-02-18", "--title", "大会", "--id", "conf",
              "--source", "second-report", "--quote", "2月18日,第三届淮南转型发展大会在淮南召开")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == ("coop-ledger: source.quote: '2月18日,第三届淮南转型发展大会在淮南召开': of item 'conf' "
                          "is not in document 'second-report'\n")
    assert cli.ok("export").stdout == before
    # Verbatim pieces pass, white space aside; a document not registered is not checked.
    cli.ok("append", "--kind", "meeting", "--date", "2023-02-18", "--title", "大会", "--id", "conf",
           "--source", "second-report", "--quote", "2月18日, 第二届淮南转型发展大会在淮南召开…由淮南市委、市政府主办")
    cli.ok("append", "--kind", "meeting", "--date", "2023-02-19", "--title", "会", "--source", "unregistered",
           "--quote", "无从核对")


def test_a_quote_not_in_its_registered_document_is_a_bad_import_line(cli, tmp_path):
    _add(cli)
    lines = [json.loads(line) for line in (DATA / "second-report.jsonl").read_text(encoding="utf-8").splitlines()]
    lines[2]["source"]["quote"] += "并举行了盛大的庆典"
    lines[5]["source"]["quote"] = "纯属虚构"
    path = tmp_path / "r2.jsonl"
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    before = cli.ok("export").stdout
    run = cli("import", str(path))
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        f"{path}:3: source.quote: {lines[2]['source']['quote']!r}: of item 'r2-2023-02-18-sci-park-unveiled' "
        "is not in document 'second-report'",
        f"{path}:6: source.quote: '纯属虚构': of item 'r2-2021-12-08-pairing-plan-issued' is not in document "
        "'second-report'",
    ]
    assert cli.ok("export").stdout == before


def test_verify_reads_every_document_back_against_its_sha256(sqlite_cli):
    sqlite_cli.ok("init")
    with sqlite3.connect(sqlite_cli.db) as con:
        [(state,)] = con.execute("SELECT state FROM stored_events WHERE rowid = 1").fetchall()
        head, text = state.split(b'"text":', 1)  # the text, not the title: the SHA-256 is the text's
        forged = head + b'"text":' + text.replace("闵行".encode(), "浦东".encode(), 1)
        assert forged != state
        con.execute("UPDATE stored_events SET state = ? WHERE rowid = 1", (forged,))
    con.close()
    run = sqlite_cli("verify")
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith("edited: event 1 (aggregate ") and lines[0].endswith("version 1) no longer matches its hash")
    assert lines[1].startswith("edited: event 1 (aggregate ")
    assert "a registered document, cannot be read back (sha256: '" in lines[1]
    assert "does not match the text, whose SHA-256 is" in lines[1]

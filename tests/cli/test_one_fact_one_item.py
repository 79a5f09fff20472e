"""One fact, one item: an id given again with other content is a conflict, never skipped."""

import json

FAIR = "2023-06-13-job-fair"


def _line(**changes):  # type: ignore[no-untyped-def]
    item = {"id": "x-1", "kind": "meeting", "date": "2024-02", "title": "座谈会"}
    return json.dumps({**item, **changes}, ensure_ascii=False)


def test_append_of_a_recorded_id_with_other_content_is_a_conflict(cli):
    args = ("append", "--id", "x-1", "--kind", "meeting", "--date", "2024-02", "--title", "座谈会")
    assert cli.ok(*args).stdout == "x-1\n"
    again = cli.ok(*args)  # the same content: already recorded, nothing added
    assert again.stderr == "coop-ledger: x-1 is already recorded; nothing added\n"
    before = cli.ok("export").stdout
    run = cli("append", "--id", "x-1", "--kind", "meeting", "--date", "2024-03", "--title", "座谈会")
    assert (run.exit_code, run.stdout) == (3, "")
    assert run.stderr == (
        "coop-ledger: id: 'x-1': is already recorded with other content; `coop-ledger correct x-1` changes it\n"
    )
    assert cli.ok("export").stdout == before


def test_a_retracted_id_does_not_come_back_by_append(cli):
    cli.ok("retract", FAIR, "--reason", "重复")
    exported = [json.loads(line) for line in cli.ok("export").stdout.splitlines()]
    run = cli("append", "--id", FAIR, "--kind", "job_fair", "--date", "2023-06-13", "--title", "招聘会")
    assert run.exit_code == 3
    assert run.stderr == f"coop-ledger: id: '{FAIR}': was retracted; a retracted item is not recorded again\n"
    assert FAIR not in {item["id"] for item in exported}
    assert [json.loads(line) for line in cli.ok("export").stdout.splitlines()] == exported


def test_an_import_with_an_id_given_twice_or_taken_writes_nothing(cli, tmp_path):
    before = cli.ok("export").stdout
    stored = json.loads(before.splitlines()[0])
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([
        _line(),
        _line(id="x-2"),
        _line(title="另一个座谈会"),  # x-1 again, other content
        _line(id="x-2"),  # x-2 again, the same: fine
        json.dumps({**stored, "title": "改过的标题"}, ensure_ascii=False),  # a stored id, other content
    ]) + "\n", encoding="utf-8")
    run = cli("import", str(path))
    assert (run.exit_code, run.stdout) == (3, "")
    assert run.stderr.splitlines() == [
        f"{path}:3: id: 'x-1': given again with other content (first on line 1)",
        f"{path}:5: id: '{stored['id']}': is already recorded with other content; "
        f"`coop-ledger correct {stored['id']}` changes it",
    ]
    assert cli.ok("export").stdout == before


def test_a_conflict_beside_a_bad_line_is_exit_2(cli, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([_line(), _line(title="别的"), _line(date="2024-13")]) + "\n", encoding="utf-8")
    run = cli("import", str(path))
    assert run.exit_code == 2
    assert len(run.stderr.splitlines()) == 2

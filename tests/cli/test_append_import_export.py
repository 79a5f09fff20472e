"""Appending, importing and exporting: the write side of the CLI contract."""

import json


def _export(cli):
    return [json.loads(line) for line in cli.ok("export").stdout.splitlines()]


def _without_record_time(rows):
    return [{k: v for k, v in r.items() if k != "recorded_at"} for r in rows]


def test_append_prints_the_id_and_shows_at_once_in_timeline_and_totals(cli):
    run = cli.ok(
        "append", "--kind", "project_signed", "--date", "2024-05-20", "--title", "新能源电池项目签约",
        "--actor", "淮南高新区", "--measure", "signed_investment=12.5亿元", "--measure", "projects_signed=1个",
        "--population", "沪苏浙地区项目",
        "--quote", "2024年5月20日,新能源电池项目签约,总投资12.5亿元", "--id", "2024-05-20-battery",
    )
    assert run.stdout == "2024-05-20-battery\n"
    rows = cli.ok("timeline", "--period", "2024-05", "--strict", "-f", "json").json()
    assert [r["id"] for r in rows] == ["2024-05-20-battery"]
    assert rows[0]["measures"][0] == {
        "metric": "signed_investment", "value": "1250000000", "unit": "CNY", "qualifier": "exact", "text": "12.5亿元",
        "population": "沪苏浙项目",
    }
    totals = cli.ok("totals", "--as-of", "2024-05-31", "--metric", "signed_investment", "-f", "json").json()
    zone = next(t for t in totals if (t["scope"], t["population"]) == ("淮南高新区", "沪苏浙项目"))
    # The zone's 沪苏浙 projects: 234.55亿 reported for 2023 + 12.5亿 now; the undated ones
    # may lie in 2023 and stay beside the report.
    assert zone["value"] == "24705000000"
    assert zone["parts"] == [
        {"basis": "reported", "value": "23455000000", "qualifier": "exact", "items": ["2023-hitech-zone-projects-report"]},
        {"basis": "itemized", "value": "1250000000", "qualifier": "exact", "items": ["2024-05-20-battery"]},
    ]
    assert zone["beside"] == ["undated-nev-120k-project-signed", "undated-nev-drive-thermal-project-signed"]


def test_the_same_item_appended_twice_is_stored_once(cli):
    args = ("append", "--kind", "meeting", "--date", "2024-06", "--title", "对接会", "--actor", "闵行区")
    first = cli.ok(*args)
    second = cli.ok(*args)
    assert first.stdout == second.stdout
    assert first.stdout.startswith("i-")
    assert second.stderr == f"coop-ledger: {first.stdout.strip()} is already recorded; nothing added\n"
    rows = cli.ok("timeline", "--period", "2024-06", "--strict", "-f", "json").json()
    assert [r["title"] for r in rows] == ["对接会"]


def test_export_then_import_into_an_empty_store_reproduces_it(cli, new_db, tmp_path):
    cli.ok("append", "--kind", "training", "--date", "2024-03", "--title", "培训", "--measure", "people_trained=近30名")
    exported = _export(cli)
    path = tmp_path / "export.jsonl"
    path.write_text(cli.ok("export").stdout, encoding="utf-8")

    fresh = type(cli)(new_db())
    fresh.ok("init", "--no-seed")
    assert fresh.ok("import", str(path)).exit_code == 0
    assert _without_record_time(_export(fresh)) == _without_record_time(exported)
    assert len(exported) == 66

    again = fresh.ok("import", str(path))
    assert again.stderr == "coop-ledger: imported 0 items, 66 already recorded\n"
    assert _without_record_time(_export(fresh)) == _without_record_time(exported)


def test_the_seed_file_exports_back_identically(cli):
    from ledger.seed import DATASET

    seed = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines()]
    assert _without_record_time(_export(cli)) == seed


def test_init_no_seed_makes_an_empty_store_that_stays_empty(cli):
    cli.ok("init", "--no-seed")
    assert cli.ok("export").stdout == ""
    assert cli.ok("timeline", "-f", "json").json() == []


def test_first_use_seeds_the_store_with_one_line_on_stderr(db):
    from typer.testing import CliRunner

    from cli.main import app

    run = CliRunner().invoke(app, ["--db", db, "timeline", "--period", "2023-12", "--strict", "-f", "json"])
    assert run.exit_code == 0
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith("coop-ledger: the store was empty; seeded it with the article and its 65 items")
    assert [r["id"] for r in json.loads(run.stdout)] == [
        "2023-12-park-company-incorporated", "2023-12-trade-matchmaking-fair",
    ]


def test_an_import_reads_as_a_replay_of_its_events_does(cli, tmp_path):
    """An import keeps the view current batch by batch, from the events in hand: the
    store then reads exactly as the view rebuilt from the log."""
    from benchmarks.data import write_jsonl

    path = write_jsonl(tmp_path / "synthetic.jsonl", 300)
    cli.ok("init", "--no-seed")
    assert cli.ok("import", str(path)).stderr == "coop-ledger: imported 300 items, 0 already recorded\n"
    queries = (("timeline", "-f", "json"), ("totals", "--as-of", "2023-12-31", "-f", "json"),
               ("totals", "--as-of", "2030-12-31", "--by", "year", "-f", "json"))
    before = [cli.ok(*args).stdout for args in queries]
    assert len(json.loads(before[0])) == 300
    cli.ok("replay")
    assert [cli.ok(*args).stdout for args in queries] == before


def test_import_dash_reads_standard_input_as_it_reads_a_file(cli, new_db):
    """`export | import -`: the pipe is read whole, then checked and stored as a file is."""
    exported = cli.ok("export").stdout
    fresh = type(cli)(new_db())
    fresh.ok("init", "--no-seed")
    assert fresh("import", "-", input=exported).stderr == "coop-ledger: imported 65 items, 0 already recorded\n"
    assert _without_record_time(_export(fresh)) == _without_record_time(_export(cli))
    assert fresh("import", "-", input=exported).stderr == "coop-ledger: imported 0 items, 65 already recorded\n"


def test_a_bad_line_on_standard_input_writes_nothing(cli):
    before = cli.ok("export").stdout
    lines = [
        '{"kind": "meeting", "date": "2024-02", "title": "好的一行"}',
        '{"kind": "meeting", "date": "2024-02-30", "title": "x"}',
    ]
    run = cli("import", "-", input="\n".join(lines) + "\n")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == "-:2: date: '2024-02-30': day 30 does not exist in 2024-02\n"
    assert cli.ok("export").stdout == before


def test_an_import_names_every_bad_line_and_writes_nothing(cli, new_db, tmp_path):
    """As a compiler does: one `FILE:LINE: field: message` line per bad line, exit 2,
    and not one item written, the good lines included."""
    from benchmarks.data import write_jsonl

    lines = write_jsonl(tmp_path / "synthetic.jsonl", 200).read_text(encoding="utf-8").splitlines()
    fresh = type(cli)(new_db())
    fresh.ok("init", "--no-seed")
    bad = [*lines[:150], '{"kind": "meeting", "date": "2024-13", "title": "x"}', *lines[150:180],
           '{"kind": "visit", "date": "2024-01", "title": "x"}', *lines[180:], '{"kind": "meeting"']
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    run = fresh("import", str(path))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [
        f"{path}:151: date: '2024-13': month 13 does not exist",
        f"{path}:182: kind: 'visit': unknown kind (known: park_unveiled, delegation_visit, meeting, "
        "agreement_signed, project_signed, project_milestone, company_incorporated, job_fair, training, "
        "secondment, trade_fair, promotion, exchange, period_report, other)",
        f"{path}:203: line: not valid JSON (Expecting ',' delimiter)",
    ]
    assert fresh.ok("export").stdout == ""
    assert fresh("import", "-", input="\n".join(lines) + "\n").stderr == "coop-ledger: imported 200 items, 0 already recorded\n"

"""Bad input: one line on stderr naming the field and the value, exit code 2, nothing written."""

import pytest

ITEM = ("append", "--kind", "meeting", "--date", "2024-01-05", "--title", "会议")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("append", "--kind", "meeting", "--date", "2023-13", "--title", "x"), "date: '2023-13': month 13 does not exist"),
        (("append", "--kind", "meeting", "--date", "2023-02-30", "--title", "x"), "date: '2023-02-30': day 30 does not exist"),
        (("append", "--kind", "meeting", "--date", "2023-05/2023-04", "--title", "x"), "the upper bound is before the lower bound"),
        (("append", "--kind", "picnic", "--date", "2023", "--title", "x"), "kind: 'picnic': unknown kind"),
        ((*ITEM[:-2], "--title", "  "), "title: '  ': must not be empty"),
        ((*ITEM, "--measure", "signed_investment=lots"), "measure signed_investment: 'lots': not an amount"),
        ((*ITEM, "--measure", "signed_investment"), "measure: 'signed_investment': expected METRIC=AMOUNT"),
        ((*ITEM, "--measure", "happiness=5"), "metric: 'happiness': unknown metric"),
        ((*ITEM, "--measure", "jobs_offered=5元"), "jobs_offered is counted in jobs, not CNY"),
        ((*ITEM, "--flag", "maybe"), "flag: 'maybe': unknown flag"),
        ((*ITEM, "--id", "no spaces please"), "id: 'no spaces please': use letters, digits"),
        (("timeline", "--from", "2023-00"), "from: '2023-00': month 00 does not exist"),
        (("timeline", "--period", "2023q5"), "period: '2023q5': expected YYYY, YYYY-MM or YYYY-MM-DD"),
        (("timeline", "--from", "2023-05", "--to", "2023-04"), "to: '2023-04': the window ends before it starts"),
        (("timeline", "--kind", "picnic"), "kind: 'picnic': unknown kind"),
        (("timeline", "--format", "xml"), "format: 'xml': use one of table, json, csv, markdown"),
        (("totals", "--as-of", "yesterday"), "as-of: 'yesterday': expected YYYY"),
        (("totals", "--metric", "happiness"), "metric: 'happiness': unknown metric"),
        (("totals", "--by", "week"), "by: 'week': use one of scope, population, kind, month, quarter, year"),
        (("timeline", "--as-known-at", "soon"), "as-known-at: 'soon': not a timestamp"),
        (("append", "--kind", "meeting"), "Missing option '--date'"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(cli, args, message):
    before = cli.ok("export").stdout
    run = cli(*args)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("coop-ledger: ")
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert cli.ok("export").stdout == before


def test_an_import_is_all_or_nothing_and_names_every_bad_line(cli, tmp_path):
    good = '{"kind": "meeting", "date": "2024-02", "title": "好的一行"}'
    path = tmp_path / "items.jsonl"
    path.write_text(
        "\n".join([good, '{"kind": "meeting", "date": "2024-02", "title": "第二行"}', "", '{"kind": "meeting", "date": "2024-13", "title": "x"}', "{broken"]),
        encoding="utf-8",
    )
    before = cli.ok("export").stdout
    run = cli("import", str(path))
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        f"{path}:4: date: '2024-13': month 13 does not exist",
        f"{path}:5: line: not valid JSON (Expecting property name enclosed in double quotes)",
    ]
    assert cli.ok("export").stdout == before


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{broken", ":1: line: not valid JSON (Expecting property name enclosed in double quotes)"),
        ('["a list"]', ":1: line: ['a list']: must be a JSON object"),
        ('{"kind": "meeting", "date": "2024", "title": "t", "measures": [{"metric": "sales", "value": 5, "unit": "CNY"}]}',
         ":1: measures.value: Decimal('5'): the value must be a decimal string"),
        ('{"kind": "meeting", "date": "2024", "title": "t", "colour": "red"}', ":1: field: 'colour': unknown field"),
        ('{"kind": "meeting", "date": "2024", "title": 7}', ":1: title: Decimal('7'): must be a string"),
        ('{"kind": "meeting", "date": "2024", "title": "t", "measures": [{"metric": "sales", "value": "NaN", "unit": "CNY"}]}',
         "the value must be a finite Decimal"),
    ],
)
def test_broken_import_lines(cli, tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    run = cli("import", str(path))
    assert (run.exit_code, run.stdout) == (2, "")
    assert message in run.stderr and run.stderr.count("\n") == 1


def test_an_import_file_that_is_not_text_or_missing(cli, tmp_path):
    binary = tmp_path / "x.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    run = cli("import", str(binary))
    assert (run.exit_code, run.stderr) == (2, f"{binary}:1: file: not UTF-8 text (invalid start byte)\n")
    missing = cli("import", str(tmp_path / "nope.jsonl"))
    assert missing.exit_code == 2 and "file: " in missing.stderr and "no such file" in missing.stderr


def test_an_unusable_store_is_one_line(tmp_path):
    from typer.testing import CliRunner

    from cli.main import app

    not_a_db = tmp_path / "notes.sqlite"
    not_a_db.write_text("these are my notes, not a database\n" * 100)
    run = CliRunner().invoke(app, ["--db", str(not_a_db), "timeline"])
    assert run.exit_code == 2
    assert run.stderr.startswith(f"coop-ledger: db: '{not_a_db}': cannot open the store")
    assert run.stderr.count("\n") == 1
    run = CliRunner().invoke(app, ["--db", str(tmp_path), "timeline"])
    assert (run.exit_code, run.stderr) == (2, f"coop-ledger: db: '{tmp_path}': is a directory, not a SQLite file\n")


def test_an_unreachable_postgres_is_one_line_with_the_password_masked():
    from typer.testing import CliRunner

    from cli.main import app

    url = "postgresql://alice:s3cret-pw@127.0.0.1:1/ledger"
    run = CliRunner().invoke(app, ["--db", url, "timeline"])
    assert run.exit_code == 2
    assert run.stderr.startswith("coop-ledger: db: 'postgresql://alice:***@127.0.0.1:1/ledger': cannot open the store")
    assert "s3cret-pw" not in run.stderr + run.stdout
    assert run.stderr.count("\n") == 1


def test_a_schema_name_cannot_carry_sql():
    from typer.testing import CliRunner

    from cli.main import app

    url = 'postgresql://bob:pw@127.0.0.1:5432/test?schema=x";DROP TABLE t;--'
    run = CliRunner().invoke(app, ["--db", url, "timeline"])
    assert run.exit_code == 2
    assert run.stderr.startswith("coop-ledger: db: 'postgresql://bob:***@127.0.0.1:5432/test?schema=x")
    assert "must be letters, digits and _" in run.stderr and "pw" not in run.stderr.replace("pw@", "")


def test_a_read_model_table_gone_behind_the_ledgers_back_is_made_anew(cli, db):
    """The read model is derived from the events: a table of it dropped behind the ledger's
    back is made again and the view rebuilt, so the next answer is the same as before."""
    from ledger.application import Ledger
    from ledger.store import resolve
    from projections.rows import FIGURES

    before = cli.ok("totals", "--as-of", "2024-01-01").stdout
    ledger = Ledger(resolve(db))
    table = FIGURES
    if ledger.spec.is_postgres:
        table = f'"{ledger.spec.env["POSTGRES_SCHEMA"]}".{FIGURES}'
    with ledger.recorder.datastore.transaction(commit=True) as c:
        c.execute(f"DROP TABLE {table}")
    ledger.close()
    assert cli.ok("totals", "--as-of", "2024-01-01").stdout == before

"""Fields the check used to pass and the write then failed on, or stored raw: refused whole."""

import json
from datetime import date

import pytest

from events import Item, Kind, Source, When
from events.when import Precision
from ledger.application import Ledger
from ledger.store import resolve

GOOD = {"kind": "meeting", "date": "2024-02", "title": "好的一行"}


def _lines(tmp_path, *records):
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "shown"),
    [("5个\ud800", "'5个\\ud800'"), ("\x1b[2J5个", "'\\x1b[2J5个'"), ("5个\r", "'5个\\r'"), ("5\x00个", "'5\\x00个'")],
    ids=["surrogate", "ESC", "CR", "NUL"],
)
def test_an_import_with_a_bad_measure_text_writes_nothing(cli, tmp_path, text, shown):
    measure = {"metric": "jobs_offered", "value": "5", "unit": "jobs", "qualifier": "exact", "text": text}
    path = _lines(tmp_path, GOOD, {**GOOD, "title": "第二行"}, {**GOOD, "title": "第三行", "measures": [measure]})
    before = cli.ok("export").stdout
    run = cli("import", str(path))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        f"{path}:3: measure jobs_offered text: {shown}: must not contain control characters or lone surrogates\n"
    )
    assert cli.ok("export").stdout == before


def test_an_appended_measure_text_cannot_carry_a_line_break(cli):
    before = cli.ok("export").stdout
    run = cli("append", "--kind", "job_fair", "--date", "2024-03", "--title", "招聘会", "--measure", "jobs_offered=5\r\njobs")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "coop-ledger: measure jobs_offered text: '5\\r\\njobs': must not contain control characters or lone surrogates\n"
    )
    assert cli.ok("export").stdout == before


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"flags": [["planned"]]}, ":1: flag: ['planned']: unknown flag"),
        ({"flags": {"planned": True}}, ":1: flags: {'planned': True}: must be a list"),
        ({"measures": [{"metric": ["jobs_offered"], "value": "5", "unit": "jobs"}]}, ":1: metric: ['jobs_offered']: must be a string"),
        ({"measures": [{"metric": "signed_investment", "value": "1" + "0" * 40, "unit": "CNY"}]},
         ":1: measure signed_investment: '1" + "0" * 40 + "': the value must be between 0 and 1,000,000,000,000,000,000"),
    ],
)
def test_a_field_of_the_wrong_json_type_or_range_is_one_line(cli, tmp_path, extra, message):
    path = _lines(tmp_path, {**GOOD, **extra})
    run = cli("import", str(path))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.startswith(f"{path}{message}") and run.stderr.count("\n") == 1


def test_an_appended_measure_of_ten_to_the_forty_is_one_line(cli):
    run = cli("append", "--kind", "project_signed", "--date", "2024", "--title", "签约",
              "--measure", "signed_investment=1" + "0" * 40 + "元")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "coop-ledger: measure signed_investment: '1" + "0" * 40 + "': the value must be between 0 and 1,000,000,000,000,000,000\n"
    )


@pytest.mark.parametrize("date", ["２０２３-０５-０１", "٢٠٢٣-٠٥-٠١"])
def test_a_date_in_other_digits_is_not_a_second_item(cli, date):
    cli.ok("append", "--kind", "meeting", "--date", "2023-05-01", "--title", "座谈会")
    before = cli.ok("export").stdout
    run = cli("append", "--kind", "meeting", "--date", date, "--title", "座谈会")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"coop-ledger: date: {date!r}: use the digits 0-9 (YYYY, YYYY-MM or YYYY-MM-DD)\n"
    assert cli.ok("export").stdout == before


def test_an_item_stored_with_other_digits_before_they_were_refused_still_reads(cli):
    """A store from before the boundary took ASCII digits only: the event was written by the
    ledger's own save(), its date text `２０２３-０５-０１` as it was given then."""
    cli.ok("init")
    may_day = date(2023, 5, 1)
    old = When("２０２３-０５-０１", may_day, may_day, Precision.DAY)  # what When.parse returned then
    ledger = Ledger(resolve(cli.db))
    ledger.record([Item(id="old-digits", kind=Kind.MEETING, when=old, title="座谈会", source=Source("old", "", old))])
    ledger.close()

    listed = cli.ok("timeline", "--period", "2023-05-01", "--strict", "-f", "json").json()
    assert [(r["id"], r["date"], r["source"]["published"]) for r in listed] == [("old-digits", "2023-05-01", "2023-05-01")]
    assert cli.ok("history", "old-digits", "-f", "json").json()[0]["item"]["date"] == "2023-05-01"
    exported = [json.loads(line) for line in cli.ok("export").stdout.splitlines()]
    assert [r["date"] for r in exported if r["id"] == "old-digits"] == ["2023-05-01"]
    assert cli.ok("verify").stdout.startswith("ok: 67 events intact; head ")
    # New input with those digits is still refused, by the same date rule as ever.
    run = cli("correct", "old-digits", "--date", "２０２３-０５-０２", "--reason", "日期")
    assert (run.exit_code, run.stderr) == (2, "coop-ledger: date: '２０２３-０５-０２': use the digits 0-9 (YYYY, YYYY-MM or YYYY-MM-DD)\n")

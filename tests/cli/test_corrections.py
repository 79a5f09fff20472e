"""Corrections and retractions as new events; history; what the ledger said at a past moment."""

from datetime import datetime, timedelta, timezone

import pytest

from events import When
from ledger.application import Conflict, Ledger
from ledger.store import resolve

FAIR = "2023-06-13-job-fair"


def test_correct_appends_a_version_and_history_shows_what_changed_and_why(cli):
    run = cli.ok("correct", FAIR, "--date", "2023-06-14", "--measure", "jobs_offered=1800余个",
                 "--reason", "报社更正: 日期与岗位数")
    assert run.stderr.endswith(f"coop-ledger: {FAIR} corrected (version 2)\n")
    history = cli.ok("history", FAIR, "-f", "json").json()
    assert [(v["version"], v["action"], v["changed"], v["reason"]) for v in history] == [
        (1, "recorded", [], ""),
        (2, "corrected", ["date", "measures"], "报社更正: 日期与岗位数"),
    ]
    assert history[0]["item"]["date"] == "2023-06-13"
    assert history[1]["item"]["date"] == "2023-06-14"
    assert history[1]["item"]["measures"] == [
        {"metric": "jobs_offered", "value": "1800", "unit": "jobs", "qualifier": "more_than", "text": "1800余个",
         "population": ""}
    ]
    [row] = cli.ok("timeline", "--period", "2023-06-14", "--strict", "-f", "json").json()
    assert row["id"] == FAIR
    totals = cli.ok("totals", "--as-of", "2023-12-31", "--metric", "jobs_offered", "-f", "json").json()
    assert [(t["value"], t["qualifier"]) for t in totals] == [("1800", "more_than")]
    table = cli.ok("history", FAIR).stdout
    assert "corrected" in table and "报社更正: 日期与岗位数" in table


def test_retract_drops_the_item_from_timeline_and_totals_but_not_from_history(cli):
    cli.ok("retract", "2023-12-trade-matchmaking-fair", "--reason", "与另一篇报道重复")
    ids = {r["id"] for r in cli.ok("timeline", "--period", "2023-12", "-f", "json").json()}
    assert "2023-12-trade-matchmaking-fair" not in ids
    # The fair's companies leave the appearances of companies: only the job fair's are left.
    totals = cli.ok("totals", "--as-of", "2023-12-31", "--metric", "companies_participating", "-f", "json").json()
    assert [(t["value"], t["events"]) for t in totals] == [("90", ["2023-06-13-job-fair"])]
    history = cli.ok("history", "2023-12-trade-matchmaking-fair", "-f", "json").json()
    assert [v["action"] for v in history] == ["recorded", "retracted"]
    assert history[1]["reason"] == "与另一篇报道重复"
    assert len(cli.ok("export").stdout.splitlines()) == 64


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("correct", "no-such-item", "--title", "x", "--reason", "r"), "id: 'no-such-item': no such item in the ledger"),
        (("retract", "no-such-item", "--reason", "r"), "id: 'no-such-item': no such item in the ledger"),
        (("history", "no-such-item"), "id: 'no-such-item': no such item in the ledger"),
        (("correct", FAIR, "--reason", "r"), f"correct: '{FAIR}': name at least one field to change"),
        (("correct", FAIR, "--title", "x", "--reason", " "), "reason: ' ': must not be empty"),
        (("correct", FAIR, "--date", "2023-06-31", "--reason", "r"), "date: '2023-06-31': day 31 does not exist"),
        (("correct", FAIR, "--kind", "job_fair", "--reason", "r"), f"id: '{FAIR}': the correction changes nothing"),
    ],
)
def test_bad_corrections_are_refused_with_nothing_written(cli, args, message):
    before = cli.ok("export").stdout
    run = cli(*args)
    assert (run.exit_code, run.stdout) == (2, "")
    assert message in run.stderr and run.stderr.count("\n") == 1
    assert cli.ok("export").stdout == before


def test_a_retracted_item_cannot_be_retracted_or_corrected_again(cli):
    cli.ok("retract", FAIR, "--reason", "r")
    assert cli("retract", FAIR, "--reason", "r").stderr == f"coop-ledger: id: '{FAIR}': the item is already retracted\n"
    run = cli("correct", FAIR, "--title", "x", "--reason", "r")
    assert run.exit_code == 2 and "the item is retracted; nothing to correct" in run.stderr


def test_as_known_at_reproduces_earlier_answers_exactly(sqlite_db):
    start = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    ticks = iter(start + timedelta(hours=i) for i in range(100))
    ledger = Ledger(resolve(sqlite_db), clock=lambda: next(ticks))
    from ledger.seed import seed
    from projections.runner import KnownAt, ReadModel
    from projections.timeline import Window

    seed(ledger)  # the article registered at 09:00, its items recorded at 10:00
    model = ReadModel(ledger)
    model.catch_up()
    day = datetime(2023, 12, 31).date()
    before_totals = [t.to_dict() for t in model.totals(day, [], "scope", False)]
    before_rows = model.all_rows()
    ledger.correct(FAIR, "fix", {"when": When.parse("2023-07")})  # 11:00
    ledger.retract("2023-12-trade-matchmaking-fair", "duplicate")  # 12:00
    model.catch_up()
    assert [t.to_dict() for t in model.totals(day, [], "scope", False)] != before_totals

    at_1030 = KnownAt(ledger, start + timedelta(minutes=90))
    assert [t.to_dict() for t in at_1030.totals(day, [], "scope", False)] == before_totals
    assert at_1030.all_rows() == before_rows
    at_1130 = KnownAt(ledger, start + timedelta(minutes=150))
    ids = [e.row.item.id for e in at_1130.timeline(Window(day.replace(month=12, day=1), day))]
    assert "2023-12-trade-matchmaking-fair" in ids
    assert {r.item.id: r.item.when.text for r in at_1130.all_rows()}[FAIR] == "2023-07"
    assert KnownAt(ledger, start + timedelta(minutes=30)).documents()[0]["id"] == "hnrb-minhang-huainan-2024"
    assert KnownAt(ledger, start - timedelta(seconds=1)).all_rows() == []


def test_as_known_at_on_the_cli(cli):
    before = cli.ok("export").stdout
    moment = datetime.now(timezone.utc).isoformat()
    cli.ok("retract", FAIR, "--reason", "r")
    assert cli.ok("export", "--as-known-at", moment).stdout == before
    rows = cli.ok("timeline", "--period", "2023-06", "--strict", "--as-known-at", moment, "-f", "json").json()
    assert FAIR in {r["id"] for r in rows}
    totals = cli.ok("totals", "--as-of", "2023-12-31", "--metric", "jobs_offered", "--as-known-at", moment, "-f", "json")
    assert [t["value"] for t in totals.json()] == ["1700"]
    assert cli.ok("totals", "--as-of", "2023-12-31", "--metric", "jobs_offered", "-f", "json").json() == []


def test_two_writers_correcting_one_item_at_once(db):
    first, second = Ledger(resolve(db)), Ledger(resolve(db))
    from ledger.seed import seed

    seed(first)
    a = first.load(FAIR)
    b = second.load(FAIR)  # both read version 1
    first.correct(FAIR, "one", {"title": "招聘会(一)"}, based_on=a)
    with pytest.raises(Conflict, match="another writer changed this item at the same time"):
        second.correct(FAIR, "two", {"title": "招聘会(二)"}, based_on=b)
    second.correct(FAIR, "two", {"title": "招聘会(二)"})  # a retry reads version 2 and succeeds
    history = first.history(FAIR)
    assert [(v.version, v.reason) for v in history] == [(1, ""), (2, "one"), (3, "two")]
    assert [v.item.title for v in history[1:]] == ["招聘会(一)", "招聘会(二)"]


def test_a_conflict_on_the_cli_is_exit_code_3(sqlite_cli, monkeypatch):
    sqlite_cli.ok("init")
    stale = Ledger(resolve(sqlite_cli.db)).load(FAIR)
    sqlite_cli.ok("correct", FAIR, "--title", "先到", "--reason", "first")
    monkeypatch.setattr(Ledger, "load", lambda self, item_id: stale)
    run = sqlite_cli("correct", FAIR, "--title", "后到", "--reason", "second")
    assert run.exit_code == 3
    assert run.stderr == (
        f"coop-ledger: id: '{FAIR}': another writer changed this item at the same time; "
        "nothing was written, run the command again\n"
    )
    monkeypatch.undo()
    assert [v["reason"] for v in sqlite_cli.ok("history", FAIR, "-f", "json").json()] == ["", "first"]

"""A write that has committed is never reported as refused, whatever happens to the view after."""

import json

import pytest
from eventsourcing.persistence import OperationalError

from projections.runner import ReadModel


@pytest.fixture
def view_fails(monkeypatch):  # type: ignore[no-untyped-def]
    """The view's own update fails once, after the events were stored (a lock held too long)."""
    original, calls = ReadModel.apply_recordings, {"n": 0}

    def failing(self, recordings):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("database is locked")
        return original(self, recordings)

    return lambda: monkeypatch.setattr(ReadModel, "apply_recordings", failing)


NOTICE = "coop-ledger: recorded; the view could not follow (database is locked): the next command catches it up\n"


def test_an_append_whose_view_update_fails_still_exits_0_and_shows_next_time(cli, view_fails):
    cli.ok("timeline")  # seeded before the failure is armed
    view_fails()
    run = cli("append", "--id", "late", "--kind", "meeting", "--date", "2024-02", "--title", "座谈会")
    assert (run.exit_code, run.stdout, run.stderr) == (0, "late\n", NOTICE)
    listed = json.loads(cli.ok("timeline", "--period", "2024-02", "--strict", "-f", "json").stdout)
    assert [r["id"] for r in listed] == ["late"]


def test_a_correction_whose_view_update_fails_still_exits_0(cli, view_fails):
    cli.ok("timeline")
    view_fails()
    run = cli("correct", "2023-06-13-job-fair", "--title", "招聘会", "--reason", "标题")
    assert run.exit_code == 0
    assert run.stderr == NOTICE + "coop-ledger: 2023-06-13-job-fair corrected (version 2)\n"
    listed = json.loads(cli.ok("timeline", "--period", "2023-06-13", "-f", "json").stdout)
    assert {r["id"]: r["title"] for r in listed}["2023-06-13-job-fair"] == "招聘会"

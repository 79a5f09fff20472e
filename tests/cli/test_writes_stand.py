"""A write that has committed is never reported as refused, whatever happens to the view after."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from eventsourcing.persistence import OperationalError

from projections.runner import ReadModel

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.mark.parametrize("stdout", ["closed pipe", "full disk"])
def test_an_append_whose_stdout_fails_says_it_is_recorded_and_exits_0(sqlite_cli, stdout):
    """`coop-ledger append ... | true`: the reader is gone before the id is printed."""
    sqlite_cli.ok("init")
    if stdout == "closed pipe":
        read_end, sink = os.pipe()
        os.close(read_end)  # closed before the command starts: its first write fails
        error = "Broken pipe"
    else:
        sink = os.open("/dev/full", os.O_WRONLY)
        error = "No space left on device"
    run = subprocess.run(
        [sys.executable, "-m", "cli", "--db", sqlite_cli.db, "append", "--id", "piped", "--kind", "meeting",
         "--date", "2024-02", "--title", "座谈会"],
        stdout=sink, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    os.close(sink)
    assert (run.returncode, run.stderr) == (0, f"coop-ledger: piped is recorded; stdout: cannot write ({error})\n")
    assert [r["title"] for r in sqlite_cli.ok("timeline", "--period", "2024-02", "--strict", "-f", "json").json()] == ["座谈会"]

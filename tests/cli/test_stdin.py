"""Standard input is bounded, and its temporary spool goes away however the import ends."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ledger import importer

ROOT = Path(__file__).resolve().parents[2]

LINE = json.dumps({
    "id": "stdin-1", "kind": "meeting", "date": "2024-01-05", "title": "座谈会",
    "source": {"document": "test", "quote": ""},
}, ensure_ascii=False) + "\n"


def test_the_bound_is_one_gibibyte():
    assert importer.MAX_STDIN == 1 << 30


def test_standard_input_past_the_bound_is_one_line_and_nothing_is_written(sqlite_cli, monkeypatch, tmp_path):
    monkeypatch.setattr(importer, "MAX_STDIN", 4 << 10)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    text = LINE * (1 + (4 << 10) // len(LINE.encode()))
    assert len(text.encode()) > 4 << 10
    run = sqlite_cli("import", "-", input=text)
    assert run.exit_code == 2
    assert run.stderr == "coop-ledger: file: '-': standard input is larger than 4 KiB; import a file instead\n"
    # Refused before the store is opened: it is not even created.
    assert not Path(sqlite_cli.db).exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_standard_input_at_the_bound_is_imported(sqlite_cli, monkeypatch):
    size = len(LINE.encode())
    monkeypatch.setattr(importer, "MAX_STDIN", size)
    sqlite_cli.ok("init", "--no-seed")
    run = sqlite_cli.ok("import", "-")
    assert run.stderr == "coop-ledger: imported 0 items, 0 already recorded\n"
    run = sqlite_cli("import", "-", input=LINE)
    assert (run.exit_code, run.stderr) == (0, "coop-ledger: imported 1 items, 0 already recorded\n")
    assert [json.loads(line)["id"] for line in sqlite_cli.ok("export").stdout.splitlines()] == ["stdin-1"]


def test_sigterm_while_reading_standard_input_removes_the_spool(tmp_path):
    """A pipe that is slow to end (a producer still at work) is killed off with SIGTERM:
    the command ends with 128 + 15, and leaves no temporary directory behind."""
    spool_dir = tmp_path / "tmp"
    spool_dir.mkdir()
    db = tmp_path / "l.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "--db", str(db), "import", "-"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(spool_dir)},
    )
    proc.stdin.write(LINE.encode())
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not list(spool_dir.glob("coop-ledger-stdin-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    spools = list(spool_dir.glob("coop-ledger-stdin-*"))
    assert len(spools) == 1, "the import never began to spool its standard input"
    while not (spools[0] / "stdin.jsonl").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # blocked in its read of the pipe, which stays open
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    proc.stdin.close()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert b"Traceback" not in err
    assert list(spool_dir.iterdir()) == []
    assert not db.exists()

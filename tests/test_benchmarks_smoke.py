"""The benchmark script runs end to end at its smallest size (a smoke test: never timed)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from benchmarks.data import write_jsonl
from ledger.importer import check

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"[\d,]+(?:\.\d+)?"


def test_synthetic_events_are_valid_import_lines(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "events.jsonl", 500)
    with check(path) as checked:
        assert checked.count == 500
    assert path.read_text(encoding="utf-8") == write_jsonl(tmp_path / "again.jsonl", 500).read_text(encoding="utf-8")


def test_quick_run_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "B.md"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    report = out.read_text(encoding="utf-8")
    rows = [
        rf"\| import \(with read models\) \| {NUMBER} events/s \| {NUMBER} rows/s \(executemany\) \| {NUMBER} \|",
        rf"\| replay \(every read model\) \| {NUMBER} events/s \| {NUMBER} rows/s \(SELECT\) \| {NUMBER} \|",
        rf"\| import, the events alone \(the view left behind them\) \| {NUMBER} events/s \| "
        rf"{NUMBER} rows/s \(executemany\) \| {NUMBER} \|",
        rf"\| replay's database part alone \(rows made beforehand, in memory\) \| {NUMBER} events/s \| "
        rf"{NUMBER} rows/s \(SELECT\) \| {NUMBER} \|",
        rf"\| the same, the timeline table alone \(no table for totals\) \| {NUMBER} events/s \| "
        rf"{NUMBER} rows/s \(SELECT\) \| {NUMBER} \|",
        rf"\| timeline 2023-04, in-process \| {NUMBER} ms \(\d+ items\) \|",
        rf"\| totals as of 2023-12-15 \(inside a month\), all metrics, in-process \| {NUMBER} ms \|",
        rf"\| peak memory, import \| {NUMBER} MB \|",
        rf"\| import >= 0\.15 of raw executemany \| 1,000 .*\| {NUMBER} \| (met|\*\*NOT met\*\*) \|",
        rf"\| `coop-ledger --help` \| {NUMBER} s \|",
    ]
    for row in rows:
        assert re.search(row, report), row
    assert "python -m benchmarks.run --quick" in report


def test_the_timeline_alone_rebuild_writes_the_timeline_and_no_figure(tmp_path: Path) -> None:
    """What the `timeline` row measures: the whole timeline, and nothing `totals` reads;
    the full rebuild after it gives the figures back."""
    from benchmarks.child import writes
    from cli.context import Session, Settings
    from projections.rows import FIGURES, SUMS, TIMELINE

    db = str(tmp_path / "store.sqlite")
    Session(Settings(db=db, quiet=True)).ready()  # the article's events, and their view

    def counts() -> dict[str, int]:
        with sqlite3.connect(db) as c:
            return {t: c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in (TIMELINE, FIGURES, SUMS)}

    full = counts()
    assert full[FIGURES] > 0 and full[SUMS] > 0
    events, _ = writes(db, timeline_only=True)
    assert counts() == {TIMELINE: full[TIMELINE], FIGURES: 0, SUMS: 0}
    with sqlite3.connect(db) as c:
        assert events == c.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]
    assert writes(db)[0] == events
    assert counts() == full

"""The benchmark script runs end to end at its smallest size (a smoke test: never timed)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from benchmarks.data import write_jsonl
from ledger.importer import check

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"[\d,]+(?:\.\d+)?"
STATUS = r"(met|\*\*NOT met\*\*)"


def test_synthetic_events_are_valid_import_lines(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "events.jsonl", 500)
    assert check(path).count == 500
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
        rf"\| one-month `timeline -f json` <= 0\.3 s, whole CLI call \| 1,000 .*\| {NUMBER} s \| {STATUS} \|",
        rf"\| `totals --as-of` inside a month, all metrics <= 0\.3 s, whole CLI call \| 1,000 .*\| {NUMBER} s \| "
        rf"{STATUS} \|",
        r"\| one-month `timeline -f json` >= 5x faster than `ledger register` \| .* \| not measured \|",
        rf"\| import >= 0\.5x the events/s of the library's bulk save\(\) \(aim 1\.0x\) \| 1,000 .*\| {NUMBER}x \| ",
        rf"\| replay >= 0\.3x the events/s of the library's read and decode \(aim 1\.0x\) \| 1,000 .*\| {NUMBER}x \| ",
        rf"\| `coop-ledger --help` <= 0\.2 s \| - \| {NUMBER} s \| {STATUS} \|",
        rf"\| import peak memory < 300 MB \| 1,000 .*\| {NUMBER} MB \| {STATUS} \|",
        rf"\| import \(read models kept\) / bulk save\(\) \| {NUMBER} events/s \| {NUMBER} events/s \| {NUMBER}x \|",
        rf"\| replay / read and decode \| {NUMBER} events/s \| {NUMBER} events/s \| {NUMBER}x \|",
        rf"\| peak memory, replay / read and decode \| {NUMBER} MB \| {NUMBER} MB \|",
        rf"\| month 2023-04 \(`timeline` / `register`\) \| {NUMBER} s \(\d+ items\) \|",
        rf"\| as of 2023-12-15 \(`totals` / `balance`\) \| {NUMBER} s \|",
        rf"\| `export -f html` peak memory < 300 MB \| 1,000 .*\| {NUMBER} MB \| {STATUS} \|",
        rf"\| `timeline` \| {NUMBER} s \| {NUMBER} MB \|",
        r"\| coop-ledger commit \| [0-9a-f]{7,}",
    ]
    for row in rows:
        assert re.search(row, report), row
    assert "python -m benchmarks.run --quick" in report

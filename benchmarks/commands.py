"""Whole commands timed by the wall clock: coop-ledger's, ledger-cli's and hledger's."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# What every tool is asked: the month's items, and the totals as of a day inside a month.
MONTH = "2023-04"
AS_OF = "2023-12-15"
# ledger-cli and hledger take an exclusive end date (-e).
TOOL_ARGS = {
    "register": ["register", "-b", "2023-04-01", "-e", "2023-05-01"],
    "balance": ["balance", "-e", "2023-12-16"],
}
TOOLS = ("ledger", "hledger")
# The commands that write every item out, measured for their peak memory (issue 21).
WHOLE = (("export",), ("export", "-f", "html"), ("timeline",), ("timeline", "-f", "json"))
QUERY_RUNS = 5
HELP_RUNS = 10


# Every process started runs this tree's code, ahead of whatever tree is installed, so that
# a clone of one commit can be measured with another checkout's virtualenv.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def coop_ledger() -> list[str]:
    """The installed `coop-ledger` beside this interpreter, else `python -m cli`."""
    script = Path(sys.executable).parent / "coop-ledger"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def timeline_args(db: str) -> list[str]:
    return ["--db", db, "timeline", "--from", MONTH, "--to", MONTH, "-f", "json"]


def totals_args(db: str) -> list[str]:
    return ["--db", db, "totals", "--as-of", AS_OF]


def wall(command: Sequence[str], runs: int) -> float:
    """Median seconds of a whole command over `runs` calls after one untimed call (which
    brings the files into the page cache), its output thrown away."""
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, cwd=ROOT, env=ENV)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True, cwd=ROOT, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timeline_items(db: str) -> int:
    """How many items the month's timeline lists."""
    done = subprocess.run([*coop_ledger(), *timeline_args(db)], capture_output=True, check=True, cwd=ROOT, env=ENV)
    records: list[Any] = json.loads(done.stdout)
    return len(records)


def tools_found() -> dict[str, str]:
    """Each tool on PATH, with the first line of its --version."""
    found = {}
    for name in TOOLS:
        if path := shutil.which(name):
            lines = subprocess.run([path, "--version"], capture_output=True, text=True).stdout.splitlines()
            found[name] = lines[0] if lines else name
    return found


def tool_command(name: str, journal: Path, query: str) -> list[str]:
    return [name, "-f", str(journal), *TOOL_ARGS[query]]

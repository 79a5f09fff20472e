"""What the figures were measured on: the machine, the versions, and the code's commit."""

from __future__ import annotations

import hashlib
import os
import platform
import sqlite3
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

from benchmarks.commands import ROOT


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout


def commit() -> str:
    """HEAD, and the uncommitted changes to tracked files if any: they are what ran. The
    diff's hash tells two runs of the same uncommitted code from two of different code."""
    try:
        head = _git("rev-parse", "--short", "HEAD").strip()
        changed = _git("diff", "HEAD", "--name-only").split()
        diff = _git("diff", "HEAD")
    except OSError:
        return "unknown"
    if not changed:
        return head
    digest = hashlib.sha1(diff.encode()).hexdigest()[:10]
    return f"{head} with uncommitted changes to {len(changed)} files (`git diff HEAD` sha1 {digest})"


def load_average() -> str:
    """The 1, 5 and 15-minute load: other work on the machine slows what is measured."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def describe(tools: dict[str, str], postgres: str | None, load: str) -> list[tuple[str, str]]:
    """Rows of the machine table; `tools` maps a tool to its version line."""
    mem_kb = _first("/proc/meminfo", "MemTotal").split()[0]
    return [
        ("platform", platform.platform()),
        ("CPU", _first("/proc/cpuinfo", "model name")),
        ("cores", str(os.cpu_count())),
        ("load average when the run began", load),
        ("RAM", f"{int(mem_kb) / 2**20:.1f} GiB" if mem_kb.isdigit() else "unknown"),
        ("Python", sys.version.split()[0]),
        ("SQLite", sqlite3.sqlite_version),
        ("eventsourcing", version("eventsourcing")),
        *[(name, line) for name, line in tools.items()],
        *([("PostgreSQL", postgres)] if postgres else []),
        ("coop-ledger commit", commit()),
        ("run at", time.strftime("%Y-%m-%d %H:%M %Z")),
    ]

"""One size measured: import and replay beside the library's own baselines, then the queries
as whole CLI calls beside ledger-cli and hledger on the same data."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from benchmarks import commands
from benchmarks.commands import ROOT, log
from benchmarks.data import write_journal


@dataclass(frozen=True)
class Job:
    """A child job over its runs: median events/s and seconds, the largest peak."""

    events_per_s: float
    seconds: float
    peak_mb: float

    @classmethod
    def of(cls, answers: list[dict[str, Any]]) -> Job:
        return cls(
            statistics.median(a["events"] / a["seconds"] for a in answers),
            statistics.median(a["seconds"] for a in answers),
            max(a["peak_mb"] for a in answers),
        )


@dataclass
class SizeResult:
    size: int
    repeats: int
    import_: Job
    save: Job
    replay: Job
    read: Job
    check_seconds: float  # of the import's seconds, the first pass over the file
    db_mb: float = 0.0
    file_mb: float = 0.0
    # Whole CLI calls and the other tools' commands, in median seconds.
    timeline_s: float = 0.0
    totals_s: float = 0.0
    timeline_items: int = 0
    tools: dict[str, float] = field(default_factory=dict)  # "ledger register" -> seconds
    # The commands that write every item out: "export -f html" -> (seconds, peak MB).
    whole: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def import_ratio(self) -> float:
        return self.import_.events_per_s / self.save.events_per_s

    @property
    def replay_ratio(self) -> float:
        return self.replay.events_per_s / self.read.events_per_s


def child(job: str, *args: str, size: int) -> dict[str, Any]:
    """Run benchmarks.child in a new process and return its answer."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.child", job, *args], stdout=subprocess.PIPE, cwd=ROOT,
                          env=commands.ENV)
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.child {job} exited {done.returncode}")
    answer: dict[str, Any] = json.loads(done.stdout)
    if answer["events"] != size:
        raise RuntimeError(f"benchmarks.child {job}: {answer['events']} of {size} events")
    log(f"  {job} {size:,}: {answer['events'] / answer['seconds']:,.0f} events/s, peak {answer['peak_mb']:,.0f} MB")
    return answer


class Fresh(Protocol):
    """A new, empty store on each call, named by its --db; `last` is the latest one."""

    last: str

    def __call__(self) -> str: ...


def import_and_replay(jsonl: Path, size: int, repeats: int, fresh: Fresh) -> SizeResult:
    """Each run: the baseline save() into one fresh store, the import into another; then
    replay and the baseline read, run by turns on the last imported store, so that a
    busy moment of a shared machine falls on both sides alike."""
    imports, saves = [], []
    for _ in range(repeats):
        saves.append(child("save", fresh(), str(jsonl), size=size))
        imports.append(child("import", fresh(), str(jsonl), size=size))
    db = fresh.last
    replays, reads = [], []
    for _ in range(repeats):
        reads.append(child("read", db, size=size))
        replays.append(child("replay", db, size=size))
    return SizeResult(
        size, repeats, Job.of(imports), Job.of(saves), Job.of(replays), Job.of(reads),
        statistics.median(a["check_seconds"] for a in imports), file_mb=jsonl.stat().st_size / 2**20,
    )


class FreshFile:
    """A new SQLite file at `path` on each call, the one before removed; `last` is the latest."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.last = str(path)

    def __call__(self) -> str:
        remove_db(self.path)
        return self.last

    def size_mb(self) -> float:
        return sum(p.stat().st_size for p in self.path.parent.glob(f"{self.path.name}*")) / 2**20


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def queries(result: SizeResult, db: str, runs: int = commands.QUERY_RUNS) -> None:
    base = commands.coop_ledger()
    result.timeline_items = commands.timeline_items(db)
    result.timeline_s = commands.wall([*base, *commands.timeline_args(db)], runs)
    result.totals_s = commands.wall([*base, *commands.totals_args(db)], runs)
    log(f"  CLI {result.size:,}: timeline {result.timeline_s:.3f} s ({result.timeline_items} items), "
        f"totals {result.totals_s:.3f} s")


def whole(result: SizeResult, db: str) -> None:
    """Each command that writes every item out, once, in a process of its own (its peak
    memory its own): the ledger must stream through, not be held."""
    for args in commands.WHOLE:
        done = subprocess.run([sys.executable, "-m", "benchmarks.child", "command", "--db", db, "--quiet", *args],
                              stdout=subprocess.PIPE, cwd=ROOT, env=commands.ENV, check=True)
        answer = json.loads(done.stdout)
        name = " ".join(args)
        result.whole[name] = (answer["seconds"], answer["peak_mb"])
        log(f"  {name} {result.size:,}: {answer['seconds']:.1f} s, peak {answer['peak_mb']:,.0f} MB")


def tools(result: SizeResult, jsonl: Path, work: Path, found: dict[str, str], runs: int) -> None:
    """ledger-cli and hledger asked the same two questions of the same items as a journal."""
    if not found:
        return
    journal = write_journal(jsonl, work / f"bench-{result.size}.journal")
    try:
        for name in found:
            for query in commands.TOOL_ARGS:
                seconds = commands.wall(commands.tool_command(name, journal, query), runs)
                result.tools[f"{name} {query}"] = seconds
                log(f"  {name} {query} {result.size:,}: {seconds:.3f} s")
    finally:
        journal.unlink()


def sqlite(size: int, repeats: int, jsonl: Path, work: Path, found: dict[str, str], tool_runs: int) -> SizeResult:
    """Every measure of one size on SQLite; `found` names the other tools to time."""
    fresh = FreshFile(work / f"ours-{size}.sqlite")
    try:
        result = import_and_replay(jsonl, size, repeats, fresh)
        result.db_mb = fresh.size_mb()
        queries(result, fresh.last)
        whole(result, fresh.last)
        tools(result, jsonl, work, found, tool_runs)
    finally:
        remove_db(fresh.path)
    return result

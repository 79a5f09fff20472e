"""The measurements: ours beside a raw sqlite3 baseline, and the CLI beside ledger-cli and hledger."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parent.parent

# The one-month window and the as-of day every tool is asked about.
MONTH = "2023-04"
MONTH_FIRST, MONTH_LAST = date(2023, 4, 1), date(2023, 4, 30)
AS_OF = date(2023, 12, 31)
# A day inside a month, beside AS_OF: a total as of a period's last day reads whole
# periods' sums, one as of this day also reads the month's figures up to it.
MID_MONTH = date(2023, 12, 15)
QUERY_RUNS = 20
QUERY_BUDGET = 60.0  # seconds of calls per in-process query, after the third
CLI_RUNS = 5
HELP_RUNS = 10
TOOL_RUNS = 3
# What ledger-cli and hledger are asked: the month's postings, and balances to the as-of day (-e is exclusive).
TOOL_ARGS = {
    "register": ["register", "-b", MONTH_FIRST.isoformat(), "-e", "2023-05-01"],
    "balance": ["balance", "-e", date(AS_OF.year + 1, 1, 1).isoformat()],
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def cli() -> list[str]:
    """The installed `coop-ledger` beside this interpreter, else `python -m cli`."""
    script = Path(sys.executable).parent / "coop-ledger"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def wall(command: Sequence[str], runs: int) -> float:
    """Median wall time of a whole command, its output thrown away."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return median(times)


def in_process(query: Callable[[], Any], runs: int = QUERY_RUNS, budget: float = QUERY_BUDGET) -> float:
    """Median seconds of `query` over `runs` calls after one warm-up call, or over as many
    as `budget` seconds allow (at least three): a 26-second total need not run 20 times."""
    query()
    times: list[float] = []
    while len(times) < runs and (len(times) < 3 or sum(times) < budget):
        start = time.perf_counter()
        query()
        times.append(time.perf_counter() - start)
    return median(times)


def child(*args: str) -> tuple[dict[str, Any], float]:
    """Run benchmarks.child in a new process: its JSON answer and its peak RSS in MB.

    The child reports its own high-water mark: ru_maxrss from wait4 would also count the
    peak this (parent) process had when it forked the child.
    """
    done = subprocess.run([sys.executable, "-m", "benchmarks.child", *args], stdout=subprocess.PIPE, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.child {' '.join(args)} exited {done.returncode}")
    answer = json.loads(done.stdout)
    return answer, answer["peak_mb"]


# Raw sqlite3 baselines -------------------------------------------------------------------


def _raw_rows(lines: TextIO) -> Iterator[tuple[str, str, str, str, str]]:
    for line in lines:
        item = json.loads(line)
        lower, _, upper = item["date"].partition("/")
        yield item["id"], lower, upper or lower, item["kind"], line


def raw_insert(jsonl: Path, db: Path) -> float:
    """Seconds to read, parse and insert every line into an indexed table, in one transaction."""
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE events (id TEXT PRIMARY KEY, lower TEXT, upper TEXT, kind TEXT, data TEXT)")
        con.execute("CREATE INDEX events_lower ON events (lower)")
        start = time.perf_counter()
        with jsonl.open(encoding="utf-8") as lines:
            con.execute("BEGIN")
            con.executemany("INSERT INTO events VALUES (?,?,?,?,?)", _raw_rows(lines))
            con.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        con.close()


def raw_select(db: Path) -> tuple[int, float]:
    """Rows and seconds to fetch every stored event of our store, streamed from the cursor."""
    con = sqlite3.connect(db)
    try:
        start = time.perf_counter()
        count = sum(1 for _ in con.execute("SELECT rowid, * FROM stored_events"))
        return count, time.perf_counter() - start
    finally:
        con.close()


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# One size --------------------------------------------------------------------------------


@dataclass
class SizeResult:
    size: int
    repeats: int
    file_mb: float
    import_eps: float = 0.0
    raw_insert_eps: float = 0.0
    replay_eps: float = 0.0
    # Up to WRITES_MAX (0.0: not measured at this size): an import's events alone, the view
    # left behind; a replay's database part alone, its rows made beforehand.
    events_eps: float = 0.0
    writes_eps: float = 0.0
    # The same database part with the timeline table's rows alone (none for totals).
    timeline_writes_eps: float = 0.0
    raw_select_eps: float = 0.0
    import_peak_mb: float = 0.0
    replay_peak_mb: float = 0.0
    db_mb: float = 0.0
    timeline_rows: int = 0
    timeline_ms: float = 0.0
    totals_one_ms: float = 0.0
    totals_all_ms: float = 0.0
    totals_all_mid_ms: float = 0.0  # as of MID_MONTH
    cli_timeline_s: float = 0.0
    cli_totals_one_s: float = 0.0
    cli_totals_all_s: float = 0.0
    # The same totals with every item id read, as JSON and CSV list them.
    totals_one_ids_ms: float = 0.0
    totals_all_ids_ms: float = 0.0
    cli_totals_all_json_s: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def import_ratio(self) -> float:
        return self.import_eps / self.raw_insert_eps

    @property
    def replay_ratio(self) -> float:
        return self.replay_eps / self.raw_select_eps

    @property
    def writes_ratio(self) -> float:
        return self.writes_eps / self.raw_select_eps

    @property
    def timeline_writes_ratio(self) -> float:
        return self.timeline_writes_eps / self.raw_select_eps

    @property
    def events_ratio(self) -> float:
        return self.events_eps / self.raw_insert_eps

    @property
    def import_ceiling(self) -> float:
        """The import ratio if the view's rows cost nothing to make: the events stored,
        then the view's database part, one after the other."""
        return 1 / (1 / self.events_eps + 1 / self.writes_eps) / self.raw_insert_eps


def import_and_replay(
    jsonl: Path, size: int, repeats: int, fresh: Callable[[], str]
) -> tuple[float, float, float, float, str]:
    """Import `jsonl` into a fresh store `repeats` times, then replay the last one `repeats` times.

    Returns the median events/s of each, their peak RSS in MB (the largest of the runs),
    and the store that was kept.
    """
    import_eps, import_peak, db = [], 0.0, ""
    for _ in range(repeats):
        db = fresh()
        answer, peak = child("import", db, str(jsonl))
        assert answer["events"] == size, f"imported {answer['events']} of {size} events"
        import_eps.append(size / answer["seconds"])
        import_peak = max(import_peak, peak)
        log(f"  import {size:,}: {size / answer['seconds']:,.0f} events/s, peak {peak:,.0f} MB")
    replay_eps, replay_peak = [], 0.0
    for _ in range(repeats):
        answer, peak = child("replay", db)
        replay_eps.append(answer["events"] / answer["seconds"])
        replay_peak = max(replay_peak, peak)
        log(f"  replay {size:,}: {answer['events'] / answer['seconds']:,.0f} events/s, peak {peak:,.0f} MB")
    return median(import_eps), import_peak, median(replay_eps), replay_peak, db


# The largest size whose rows `writes` holds in memory at once (100,000 events: 0.4 GB);
# the events of an import are measured alone up to it too, to set beside it.
WRITES_MAX = 100_000


def _alone_eps(what: str, size: int, mode: str, *args: str) -> float:
    """Events/s of one part measured alone (benchmarks.child `mode` with `args`)."""
    answer, _ = child(mode, *args)
    assert answer["events"] == size, f"{what}: {answer['events']} of {size} events"
    log(f"  {what} {size:,}: {size / answer['seconds']:,.0f} events/s")
    return size / answer["seconds"]


def _timeline_writes_eps(db: str, size: int, repeats: int, copy: Path) -> float:
    """Events/s of the timeline table's part alone, each run on a fresh copy of the store
    `db`: so that each drops the whole view, as a replay does, and the store keeps the
    figures the queries read."""
    runs = []
    for _ in range(repeats):
        remove_db(copy)
        with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        runs.append(_alone_eps("replay's timeline alone", size, "timeline", str(copy)))
    remove_db(copy)
    return median(runs)


def _events_eps(jsonl: Path, db: Path, size: int) -> float:
    """Events/s of an import's events alone, into a fresh store at `db`."""
    remove_db(db)
    try:
        return _alone_eps("import's events alone", size, "events", str(db), str(jsonl))
    finally:
        remove_db(db)


def measure_size(size: int, repeats: int, jsonl: Path, work: Path) -> SizeResult:
    result = SizeResult(size, repeats, jsonl.stat().st_size / 2**20)

    raw_eps = []
    for _ in range(repeats):
        raw = work / f"raw-{size}.sqlite"
        remove_db(raw)
        raw_eps.append(size / raw_insert(jsonl, raw))
        remove_db(raw)
    result.raw_insert_eps = median(raw_eps)
    log(f"  raw executemany {size:,}: {result.raw_insert_eps:,.0f} rows/s")

    def fresh() -> str:
        path = work / f"ours-{size}.sqlite"
        remove_db(path)
        return str(path)

    result.import_eps, result.import_peak_mb, result.replay_eps, result.replay_peak_mb, db = import_and_replay(
        jsonl, size, repeats, fresh
    )
    result.db_mb = sum(p.stat().st_size for p in work.glob(f"ours-{size}.sqlite*")) / 2**20
    if size <= WRITES_MAX:
        result.timeline_writes_eps = _timeline_writes_eps(db, size, repeats, work / f"timeline-{size}.sqlite")
        result.writes_eps = median([_alone_eps("replay's writes alone", size, "writes", db) for _ in range(repeats)])
        result.events_eps = median([_events_eps(jsonl, work / f"events-{size}.sqlite", size) for _ in range(repeats)])

    selects = [raw_select(Path(db)) for _ in range(repeats)]
    assert all(count == size for count, _ in selects)
    result.raw_select_eps = median([count / seconds for count, seconds in selects])
    log(f"  raw SELECT {size:,}: {result.raw_select_eps:,.0f} rows/s")

    queries(result, db)
    return result


def queries(result: SizeResult, db: str) -> None:
    """One-month timeline and as-of totals: in-process, then as whole CLI calls."""
    from cli.context import Session, Settings
    from projections.answers import compute_totals, timeline

    session = Session(Settings(db=db, quiet=True))
    session.ready()
    # The view a reading command gets: the tables read straight from the file, as current.
    model = session.current_view()
    result.timeline_rows = len(timeline(model, MONTH_FIRST, MONTH_LAST))
    result.timeline_ms = 1000 * in_process(lambda: timeline(model, MONTH_FIRST, MONTH_LAST))
    # As the table reads them (sums and counts), then with every item id, as JSON lists them.
    result.totals_one_ms = 1000 * in_process(lambda: compute_totals(model, AS_OF, ["signed_investment"], ids=False))
    result.totals_all_ms = 1000 * in_process(lambda: compute_totals(model, AS_OF, [], ids=False))
    result.totals_all_mid_ms = 1000 * in_process(lambda: compute_totals(model, MID_MONTH, [], ids=False))
    result.totals_one_ids_ms = 1000 * in_process(lambda: compute_totals(model, AS_OF, ["signed_investment"]))
    result.totals_all_ids_ms = 1000 * in_process(lambda: compute_totals(model, AS_OF, []))
    log(
        f"  in-process: timeline {result.timeline_ms:.1f} ms ({result.timeline_rows} rows), "
        f"totals {result.totals_one_ms:.1f} ms (one metric), {result.totals_all_ms:.1f} ms (all), "
        f"{result.totals_all_mid_ms:.1f} ms (all, as of {MID_MONTH}), "
        f"with ids {result.totals_one_ids_ms:.1f} / {result.totals_all_ids_ms:.1f} ms"
    )
    base = [*cli(), "--db", db, "-q"]
    as_of = AS_OF.isoformat()
    result.cli_timeline_s = wall([*base, "timeline", "--period", MONTH, "-f", "json"], CLI_RUNS)
    result.cli_totals_one_s = wall([*base, "totals", "--as-of", as_of, "--metric", "signed_investment"], CLI_RUNS)
    result.cli_totals_all_s = wall([*base, "totals", "--as-of", as_of], CLI_RUNS)
    result.cli_totals_all_json_s = wall([*base, "totals", "--as-of", as_of, "-f", "json"], CLI_RUNS)
    log(
        f"  CLI: timeline {result.cli_timeline_s:.2f} s, totals {result.cli_totals_one_s:.2f} s (one metric), "
        f"{result.cli_totals_all_s:.2f} s (all), {result.cli_totals_all_json_s:.2f} s (all, -f json)"
    )


# Cold start ------------------------------------------------------------------------------


@dataclass
class ColdStart:
    help_s: float
    seed_first_s: float
    seed_timeline_s: float


def cold_start(work: Path) -> ColdStart:
    help_s = wall([*cli(), "--help"], HELP_RUNS)
    db = work / "seed.sqlite"
    remove_db(db)
    command = [*cli(), "--db", str(db), "-q", "timeline", "--period", MONTH]
    first = wall(command, 1)
    repeated = wall(command, HELP_RUNS)
    remove_db(db)
    log(f"cold start: --help {help_s:.2f} s, first timeline (seeds) {first:.2f} s, then {repeated:.2f} s")
    return ColdStart(help_s, first, repeated)


# ledger-cli and hledger ------------------------------------------------------------------


@dataclass
class ToolTimes:
    size: int
    found: dict[str, str]  # tool -> version line
    times: dict[str, float]  # "ledger register" -> median seconds
    missing: list[str]


def tools(jsonl: Path, size: int, work: Path) -> ToolTimes:
    """`register` for the month and `balance` to the as-of day, in each tool found on PATH."""
    from benchmarks.data import write_journal

    found = {name: shutil.which(name) for name in ("ledger", "hledger")}
    present = {name: path for name, path in found.items() if path}
    result = ToolTimes(size, {}, {}, [name for name, path in found.items() if not path])
    if not present:
        return result
    journal = write_journal(jsonl, work / f"bench-{size}.journal")
    for name, path in present.items():
        version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout.splitlines()
        result.found[name] = version[0] if version else name
        for command, args in TOOL_ARGS.items():
            result.times[f"{name} {command}"] = wall([path, "-f", str(journal), *args], TOOL_RUNS)
        log(f"  {name}: " + ", ".join(f"{c} {result.times[f'{name} {c}']:.2f} s" for c in TOOL_ARGS))
    journal.unlink()
    return result


# PostgreSQL ------------------------------------------------------------------------------


@dataclass
class PostgresResult:
    size: int
    repeats: int
    import_eps: float
    import_peak_mb: float
    replay_eps: float
    replay_peak_mb: float


def postgres(url: str, size: int, repeats: int, jsonl: Path) -> PostgresResult:
    """Import and replay into a fresh schema of `url`, dropped afterwards."""
    import psycopg

    schema = f"bench_{size}_{os.getpid()}"
    joiner = "&" if "?" in url else "?"

    def fresh() -> str:
        with psycopg.connect(url.split("?")[0], autocommit=True) as con:
            con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            con.execute(f"CREATE SCHEMA {schema}")
        return f"{url}{joiner}schema={schema}"

    try:
        import_eps, import_peak, replay_eps, replay_peak, _ = import_and_replay(jsonl, size, repeats, fresh)
    finally:
        with psycopg.connect(url.split("?")[0], autocommit=True) as con:
            con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    return PostgresResult(size, repeats, import_eps, import_peak, replay_eps, replay_peak)

"""BENCHMARKS.md: the machine, the figures of each size, the issue's targets met or not, how to rerun."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from benchmarks.measure import (
    AS_OF,
    MID_MONTH,
    MONTH,
    ROOT,
    TOOL_ARGS,
    TOOL_RUNS,
    ColdStart,
    PostgresResult,
    SizeResult,
    ToolTimes,
)

MILLION = 1_000_000
RATIO_SIZES = (100_000, MILLION)  # the issue states its ratios on the 100k set and at 1M
BIG_SIZES = (MILLION,)  # and its query times and memory bounds over 1M
# The two ratio targets: `targets` judges by them, `_ceilings` explains a miss against
# them. A restated target is changed here.
IMPORT_AT_LEAST = 0.15  # of raw executemany
REPLAY_AT_LEAST = 0.05  # of raw SELECT


@dataclass
class Run:
    command: str
    results: list[SizeResult]
    cold: ColdStart
    tools: ToolTimes | None = None
    postgres: list[PostgresResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _git() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True)
    except OSError:
        return "unknown"
    return head.stdout.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")


def machine() -> list[tuple[str, str]]:
    mem_kb = _first("/proc/meminfo", "MemTotal").split()[0]
    return [
        ("platform", platform.platform()),
        ("CPU", _first("/proc/cpuinfo", "model name")),
        ("cores", str(os.cpu_count())),
        ("RAM", f"{int(mem_kb) / 2**20:.1f} GiB" if mem_kb.isdigit() else "unknown"),
        ("Python", sys.version.split()[0]),
        ("SQLite", sqlite3.sqlite_version),
        ("eventsourcing", version("eventsourcing")),
        ("coop-ledger commit", _git()),
        ("run at", time.strftime("%Y-%m-%d %H:%M %Z")),
    ]


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _size_table(r: SizeResult) -> list[str]:
    return _table(
        ("measure", "coop-ledger", "raw baseline", "ratio"),
        [
            ("import (with read models)", f"{r.import_eps:,.0f} events/s", f"{r.raw_insert_eps:,.0f} rows/s (executemany)",
             f"{r.import_ratio:.3f}"),
            ("replay (every read model)", f"{r.replay_eps:,.0f} events/s", f"{r.raw_select_eps:,.0f} rows/s (SELECT)",
             f"{r.replay_ratio:.3f}"),
            *([("import, the events alone (the view left behind them)", f"{r.events_eps:,.0f} events/s",
                f"{r.raw_insert_eps:,.0f} rows/s (executemany)", f"{r.events_ratio:.3f}")] if r.events_eps else []),
            *([("replay's database part alone (rows made beforehand, in memory)", f"{r.writes_eps:,.0f} events/s",
                f"{r.raw_select_eps:,.0f} rows/s (SELECT)", f"{r.writes_ratio:.3f}")] if r.writes_eps else []),
            *([("the same, the timeline table alone (no table for totals)", f"{r.timeline_writes_eps:,.0f} events/s",
                f"{r.raw_select_eps:,.0f} rows/s (SELECT)", f"{r.timeline_writes_ratio:.3f}")]
              if r.timeline_writes_eps else []),
            ("peak memory, import", f"{r.import_peak_mb:,.0f} MB", "", ""),
            ("peak memory, replay", f"{r.replay_peak_mb:,.0f} MB", "", ""),
            (f"timeline {MONTH}, in-process", f"{r.timeline_ms:.2f} ms ({r.timeline_rows} items)", "", ""),
            (f"totals as of {AS_OF}, signed_investment, in-process", f"{r.totals_one_ms:.2f} ms", "", ""),
            (f"totals as of {AS_OF}, all metrics, in-process", f"{r.totals_all_ms:.2f} ms", "", ""),
            (f"totals as of {MID_MONTH} (inside a month), all metrics, in-process", f"{r.totals_all_mid_ms:.2f} ms", "", ""),
            ("the same two with every item id read (as JSON lists them)",
             f"{r.totals_one_ids_ms:.2f} ms / {r.totals_all_ids_ms:.2f} ms", "", ""),
            (f"`timeline --period {MONTH} -f json`, whole CLI call", f"{r.cli_timeline_s:.3f} s", "", ""),
            (f"`totals --as-of {AS_OF} --metric signed_investment`, CLI", f"{r.cli_totals_one_s:.3f} s", "", ""),
            (f"`totals --as-of {AS_OF}`, CLI", f"{r.cli_totals_all_s:.3f} s", "", ""),
            (f"`totals --as-of {AS_OF} -f json`, CLI", f"{r.cli_totals_all_json_s:.3f} s", "", ""),
            ("store size on disk", f"{r.db_mb:,.0f} MB", f"{r.file_mb:,.0f} MB (JSON lines)", ""),
        ],
    )


def _status(met: bool) -> str:
    return "met" if met else "**NOT met**"


def _at(results: list[SizeResult], stated: tuple[int, ...]) -> list[tuple[SizeResult, str]]:
    """The results a target is judged on, labelled; the largest size run when none is stated."""
    chosen = [r for r in results if r.size in stated]
    if chosen:
        return [(r, f"{r.size:,}") for r in chosen]
    largest = max(results, key=lambda r: r.size)
    return [(largest, f"{largest.size:,} (stated for {' and '.join(f'{s:,}' for s in stated)}: not run)")]


def targets(run: Run) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    for r, where in _at(run.results, RATIO_SIZES):
        rows.append((f"import >= {IMPORT_AT_LEAST} of raw executemany", where, f"{r.import_ratio:.3f}",
                     _status(r.import_ratio >= IMPORT_AT_LEAST)))
        rows.append((f"replay >= {REPLAY_AT_LEAST} of raw SELECT", where, f"{r.replay_ratio:.3f}",
                     _status(r.replay_ratio >= REPLAY_AT_LEAST)))
    for r, where in _at(run.results, BIG_SIZES):
        for name, ms in (("one-month timeline", r.timeline_ms), ("totals --as-of (signed_investment)", r.totals_one_ms),
                         ("totals --as-of (all metrics)", r.totals_all_ms)):
            rows.append((f"{name} < 20 ms in-process", where, f"{ms:.2f} ms", _status(ms < 20)))
        for name, s in (("one-month timeline", r.cli_timeline_s), ("totals --as-of (signed_investment)", r.cli_totals_one_s),
                        ("totals --as-of (all metrics)", r.cli_totals_all_s)):
            rows.append((f"{name} < 0.4 s whole CLI call", where, f"{s:.3f} s", _status(s < 0.4)))
        rows.append(("import peak memory < 300 MB", where, f"{r.import_peak_mb:,.0f} MB", _status(r.import_peak_mb < 300)))
        rows.append(("replay peak memory < 300 MB", where, f"{r.replay_peak_mb:,.0f} MB", _status(r.replay_peak_mb < 300)))
    tools = run.tools
    if tools and "ledger register" in tools.times:
        ours = next(r for r in run.results if r.size == tools.size)
        for theirs, mine, label in (("ledger register", ours.cli_timeline_s, "timeline"),
                                    ("ledger balance", ours.cli_totals_all_s, "totals --as-of")):
            speedup = tools.times[theirs] / mine
            rows.append((f"{label} CLI >= 2x faster than `{theirs}`", f"{tools.size:,} (the journal's size)",
                         f"{speedup:.1f}x ({mine:.3f} s vs {tools.times[theirs]:.3f} s)", _status(speedup >= 2)))
    else:
        rows.append(("timeline/totals CLI >= 2x faster than `ledger register`", "-", "not measured (see notes)",
                     "**NOT measured**"))
    rows.append(("`coop-ledger --help` < 0.25 s", "-", f"{run.cold.help_s:.3f} s", _status(run.cold.help_s < 0.25)))
    return rows


def _ceilings(run: Run) -> list[str]:
    """Where the database's part alone is slower than a target allows, so that no
    speed-up of making the view's rows could meet it."""
    notes = []
    for r in run.results:
        if r.writes_eps and r.writes_ratio < REPLAY_AT_LEAST:
            notes.append(
                f"At {r.size:,} events a replay's database part alone, its rows made beforehand, reaches "
                f"{r.writes_ratio:.3f} of raw SELECT: under the {REPLAY_AT_LEAST} target, which therefore no speed-up of making "
                "the rows can meet with these tables and indexes."
            )
        if r.timeline_writes_eps:
            # The share of the target's time the timeline table's part takes by itself.
            share = REPLAY_AT_LEAST / r.timeline_writes_ratio
            notes.append(
                f"At {r.size:,} events the same database part with the timeline table alone, and no table for "
                f"`totals`, reaches {r.timeline_writes_ratio:.3f} of raw SELECT: "
                + (f"under the {REPLAY_AT_LEAST} target by itself." if share > 1 else
                   f"it takes {share:.0%} of the time the {REPLAY_AT_LEAST} target allows, which leaves {1 - share:.0%} "
                   "for every table `totals` reads and for making all the rows.")
            )
        if r.writes_eps and r.events_eps and r.import_ceiling < IMPORT_AT_LEAST:
            notes.append(
                f"At {r.size:,} events an import's events alone reach {r.events_ratio:.3f} of raw executemany; "
                "with the replay's database part after them, and the view's rows made for nothing, an import would "
                f"reach about {r.import_ceiling:.3f} (a little more: a new store has no old view to drop): under "
                f"the {IMPORT_AT_LEAST} target, for the same reason."
            )
    return notes


def render(run: Run) -> str:
    out = [
        "# Benchmarks",
        "",
        "Measured by `benchmarks/run.py` (issue 7): synthetic events with the article's kinds, imprecise "
        "dates and qualified measures (seed 20240101, spread over 2000-2030), each size imported into a fresh "
        "SQLite store as the `import` command does, read models included. Figures are medians of the runs "
        "shown; peak memory is the largest RSS of the child process doing the import or replay, plus the largest of "
        "the worker processes it starts (one at a time: to check half of a large file, to make the view's rows), "
        "the two peaks added though they need not coincide.",
        "",
        "Baselines, in the same run: *raw executemany* reads and json-parses the same file and inserts "
        "`(id, lower, upper, kind, line)` (the date's two ends as text) into a table with `id` as primary key "
        "and an index on `lower`, WAL, one transaction; *raw SELECT* streams `SELECT rowid, * FROM "
        "stored_events` of our store. In-process query times are medians of 20 calls after a warm-up (fewer, and at least 3, "
        "where 20 would take over a minute), on the "
        "view a reading command gets (the read model's tables read straight from the file, once current); "
        "`timeline` returns its rows undecoded, as `-f json` prints them; `totals` reads what its table "
        "prints (sums, and how many items each adds up), and a second row reads every item id as JSON lists "
        "them. CLI times are whole `coop-ledger` processes, medians of 5; `totals` in its default table "
        "(notes name 20 items each at most), then `-f json`.",
        "",
        "## Machine",
        "",
        *_table(("", ""), machine()),
        "",
        "## Targets",
        "",
        *_table(("target", "events", "measured", "status"), targets(run)),
        "",
    ]
    for r in run.results:
        out += [f"## {r.size:,} events ({r.repeats} run{'s' if r.repeats > 1 else ''})", "", *_size_table(r), ""]
    out += ["## Cold start", "", *_table(("command", "wall time"), [
        ("`coop-ledger --help`", f"{run.cold.help_s:.3f} s"),
        (f"`coop-ledger --db NEW -q timeline --period {MONTH}`, first call (seeds the store)", f"{run.cold.seed_first_s:.3f} s"),
        ("the same on the seeded store, repeated", f"{run.cold.seed_timeline_s:.3f} s"),
    ]), ""]
    if run.tools and run.tools.times:
        ours = next(r for r in run.results if r.size == run.tools.size)
        rows = []
        for name, seconds in run.tools.times.items():
            tool, command = name.split()
            rows.append((f"`{tool} -f JOURNAL {' '.join(TOOL_ARGS[command])}`", f"{seconds:.3f} s"))
        rows += [(f"`coop-ledger timeline --period {MONTH} -f json`", f"{ours.cli_timeline_s:.3f} s"),
                 (f"`coop-ledger totals --as-of {AS_OF}`", f"{ours.cli_totals_all_s:.3f} s"),
                 (f"`coop-ledger totals --as-of {AS_OF} -f json`", f"{ours.cli_totals_all_json_s:.3f} s")]
        out += [f"## Beside ledger-cli and hledger ({run.tools.size:,} events)", "",
                "The same events as a journal: a transaction per item dated by its first day, a posting "
                f"per measure, balanced by `Equity`; median of {TOOL_RUNS} runs each.", "",
                *_table(("command", "wall time"), rows), "",
                "Versions: " + "; ".join(run.tools.found.values()), ""]
    if run.postgres:
        out += ["## PostgreSQL", "", *_table(
            ("events", "runs", "import", "peak memory", "replay", "peak memory"),
            [(f"{p.size:,}", str(p.repeats), f"{p.import_eps:,.0f} events/s", f"{p.import_peak_mb:,.0f} MB",
              f"{p.replay_eps:,.0f} events/s", f"{p.replay_peak_mb:,.0f} MB") for p in run.postgres],
        ), ""]
    notes = [*_ceilings(run), *run.notes]
    if notes:
        out += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    out += [
        "## Rerun",
        "",
        "```",
        run.command,
        "```",
        "",
        "Options: `--sizes 10000,100000,1000000`, `--repeat 3`, `--out BENCHMARKS.md`, "
        "`--postgres postgresql://postgres@127.0.0.1:5432/test` (a throwaway schema is made and dropped), "
        "`--quick` (1,000 events, one run). The ledger-cli/hledger comparison needs them on PATH "
        "(Debian: `apt-get install -y ledger hledger`) and the 100,000 size.",
        "",
    ]
    return "\n".join(out)

"""BENCHMARKS.md: the targets met or not, the figures of each size, the machine, how to rerun."""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmarks import commands
from benchmarks.measure import SizeResult
from benchmarks.targets import judge

INTRO = (
    "Measured by `benchmarks/run.py` against issue 20's speed targets, all in one run. The events are "
    "synthetic, with the article's kinds, imprecise dates and qualified measures (`benchmarks/data.py`, "
    "seed 20240101, dates spread over 2000-2030). Each size is written as JSON lines, then:\n\n"
    "- **import**: the file checked and imported into a fresh store with the read models kept, as "
    "`coop-ledger import` does once the store is open (`check()` then `ReadModel.import_checked()`); "
    "**bulk save()**, its baseline: the same items, already parsed, stored by the library alone "
    "into another fresh store, an `ItemAggregate.record()` per item and a `Ledger.save()` per batch "
    "(the ledger's batch: {batch:,} on SQLite, {pg_batch:,} on PostgreSQL), no read model; only those two calls are "
    "timed.\n"
    "- **replay**: `ReadModel.replay()` on the imported store; **read and decode**, its baseline: "
    "`recorder.select_notifications()` pages of 5,000 and `mapper.to_domain_event()` for each, nothing kept.\n"
    "- Each of the four runs in a process of its own, timed from when the store is open; its peak memory is "
    "that process's high-water mark (VmHWM). The import and the save runs alternate, as do the replay and "
    "the read runs; figures are medians over the runs, peaks the largest.\n"
    "- **queries**: whole CLI processes on the imported store, the median of "
    "{runs} calls after one untimed call; ledger-cli and hledger are asked the same of the same items "
    "written as a journal (see below).\n"
    "- **every item written out**: `export` (JSON lines and HTML) and `timeline` (the table and JSON, all "
    "dates) on the imported store, once each, a whole command in a process of its own, its output thrown "
    "away; its peak memory is that process's high-water mark, as above."
)


@dataclass
class Run:
    command: str
    help_s: float
    results: list[SizeResult]
    postgres: list[SizeResult] = field(default_factory=list)
    machine: list[tuple[str, str]] = field(default_factory=list)
    runs: int = 0  # per query
    notes: list[str] = field(default_factory=list)


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _runs(n: int) -> str:
    return f"{n} run{'s' if n > 1 else ''}"


def _eps(x: float) -> str:
    return f"{x:,.0f} events/s"


def write_table(r: SizeResult) -> list[str]:
    return table(
        ("measure", "coop-ledger", "the library alone", "ratio"),
        [
            ("import (read models kept) / bulk save()", _eps(r.import_.events_per_s), _eps(r.save.events_per_s),
             f"{r.import_ratio:.2f}x"),
            ("seconds, import (its check pass) / bulk save()",
             f"{r.import_.seconds:.2f} s ({r.check_seconds:.2f} s)", f"{r.save.seconds:.2f} s", ""),
            ("replay / read and decode", _eps(r.replay.events_per_s), _eps(r.read.events_per_s),
             f"{r.replay_ratio:.2f}x"),
            ("peak memory, import / bulk save()", f"{r.import_.peak_mb:,.0f} MB", f"{r.save.peak_mb:,.0f} MB", ""),
            ("peak memory, replay / read and decode", f"{r.replay.peak_mb:,.0f} MB", f"{r.read.peak_mb:,.0f} MB", ""),
        ],
    )


def _tool(r: SizeResult, name: str) -> str:
    seconds = r.tools.get(name)
    return "" if seconds is None else f"{seconds:.3f} s"


def _speedup(ours: float, theirs: float | None) -> str:
    return "" if theirs is None else f"{theirs / ours:.1f}x"


def query_table(r: SizeResult) -> list[str]:
    return table(
        ("query", "coop-ledger", "ledger-cli", "hledger", "ledger-cli time / coop-ledger time"),
        [
            (f"month {commands.MONTH} (`timeline` / `register`)", f"{r.timeline_s:.3f} s ({r.timeline_items:,} items)",
             _tool(r, "ledger register"), _tool(r, "hledger register"),
             _speedup(r.timeline_s, r.tools.get("ledger register"))),
            (f"as of {commands.AS_OF} (`totals` / `balance`)", f"{r.totals_s:.3f} s", _tool(r, "ledger balance"),
             _tool(r, "hledger balance"), _speedup(r.totals_s, r.tools.get("ledger balance"))),
        ],
    )


def whole_table(r: SizeResult) -> list[str]:
    return table(("every item written out", "seconds", "peak memory"),
                 [(f"`{name}`", f"{seconds:.1f} s", f"{peak:,.0f} MB") for name, (seconds, peak) in r.whole.items()])


def postgres_table(results: list[SizeResult]) -> list[str]:
    return table(
        ("events", "runs", "import", "bulk save()", "ratio", "replay", "read and decode", "ratio",
         "peak import / replay"),
        [(f"{r.size:,}", str(r.repeats), _eps(r.import_.events_per_s), _eps(r.save.events_per_s),
          f"{r.import_ratio:.2f}x", _eps(r.replay.events_per_s), _eps(r.read.events_per_s), f"{r.replay_ratio:.2f}x",
          f"{r.import_.peak_mb:,.0f} / {r.replay.peak_mb:,.0f} MB") for r in results],
    )


def _commands() -> list[str]:
    return [
        f"- `coop-ledger {' '.join(commands.timeline_args('DB'))}`",
        f"- `coop-ledger {' '.join(commands.totals_args('DB'))}`",
        *[f"- `{tool} -f JOURNAL {' '.join(args)}`" for tool in commands.TOOLS for args in commands.TOOL_ARGS.values()],
    ]


def render(run: Run) -> str:
    verdicts = judge(run.results, run.help_s)
    from ledger.application import BATCH_SIZE, POSTGRES_BATCH_SIZE

    intro = INTRO.format(runs=run.runs, batch=BATCH_SIZE, pg_batch=POSTGRES_BATCH_SIZE)
    out = ["# Benchmarks", "", intro, "", "## Targets", "",
           *table(("target", "events", "measured", "status"),
                  [(v.target, v.events, v.measured, v.status) for v in verdicts]), ""]
    for r in run.results:
        out += [f"## {r.size:,} events, SQLite ({_runs(r.repeats)})", "", *write_table(r), "", *query_table(r), "",
                *whole_table(r), "",
                f"Store on disk: {r.db_mb:,.0f} MB; the JSON lines: {r.file_mb:,.0f} MB.", ""]
    if run.postgres:
        out += ["## PostgreSQL", "", "Import and replay as above, each store a fresh schema, dropped afterwards.", "",
                *postgres_table(run.postgres), ""]
    out += [
        "## The commands timed", "",
        "The journal has a transaction per item, dated by the item's first day (its last when it has none), "
        "posting 1 `items` to `Items:<kind>` and each measure to `Measures:<metric>`, balanced by `Equity`. "
        "`-e` is exclusive in both tools, so `-e 2023-12-16` is as of 15 December.", "",
        *_commands(), f"- `coop-ledger --help`: {run.help_s:.3f} s, the median of {commands.HELP_RUNS} calls after "
        "one untimed call", "",
        "## Machine", "", *table(("", ""), run.machine), "",
    ]
    if run.notes:
        out += ["## Notes", "", *[f"- {n}" for n in run.notes], ""]
    out += [
        "## Rerun", "", "```", run.command, "```", "",
        "Options: `--sizes 10000,100000,1000000`, `--repeat 3` (one run at 1,000,000 and above), "
        "`--out BENCHMARKS.md`, `--postgres postgresql://postgres@127.0.0.1:5432/test` (import and replay up to "
        "100,000, each in a schema made and dropped by the run), `--quick` (1,000 events, one run, no "
        "ledger-cli/hledger: a smoke test). ledger-cli and hledger are timed when on PATH "
        "(Debian: `apt-get install -y ledger hledger`). To measure one commit while the checkout keeps "
        "changing, run it in a clone with the checkout's interpreter (`git clone . /tmp/bench && cd /tmp/bench && "
        "$OLDPWD/.venv/bin/python -m benchmarks.run ...`): every process it starts runs the clone's code.", "",
    ]
    return "\n".join(out)

"""Run issue 20's benchmarks and write BENCHMARKS.md.

    .venv/bin/python -m benchmarks.run [--sizes 10000,100000,1000000] [--repeat 3]
        [--out BENCHMARKS.md] [--postgres URL] [--quick]
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

from benchmarks import commands, machine
from benchmarks.commands import log
from benchmarks.data import write_jsonl
from benchmarks.measure import sqlite
from benchmarks.report import Run, render
from benchmarks.targets import MILLION

POSTGRES_MAX = 100_000  # PostgreSQL is measured up to this size
# Runs at 1M and above, whatever --repeat says, to bound the time a whole run takes.
BIG_REPEAT = 1
TOOL_RUNS = 3
# hledger holds the whole journal in memory, several times its size: at 1M, too much of a shared machine.
HLEDGER_MAX = 100_000


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[10_000, 100_000, MILLION], help="comma-separated event counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median is reported")
    parser.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"), help="the markdown file to write")
    parser.add_argument("--postgres", metavar="URL", help=f"also measure import and replay there, up to {POSTGRES_MAX:,}")
    parser.add_argument("--quick", action="store_true", help="1,000 events, one run, no ledger-cli: a smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = [1000], 1
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    found = {} if args.quick else commands.tools_found()
    pg_version = None
    if args.postgres:
        from benchmarks.postgres import postgres, server_version

        pg_version = server_version(args.postgres)
    load = machine.load_average()
    run = Run(shlex.join([".venv/bin/python", "-m", "benchmarks.run", *argv]),
              commands.wall([*commands.coop_ledger(), "--help"], commands.HELP_RUNS), [], runs=commands.QUERY_RUNS)
    log(f"--help: {run.help_s:.3f} s")
    if args.quick:
        run.notes.append("--quick: a smoke run at 1,000 events, one run each, no ledger-cli/hledger; not a benchmark.")
    run.notes += [f"`{name}` is not on PATH: not compared." for name in commands.TOOLS if name not in found
                  and not args.quick]
    with tempfile.TemporaryDirectory(prefix="coop-bench-") as tmp:
        work = Path(tmp)
        for size in args.sizes:
            big = size >= MILLION
            repeats = min(args.repeat, BIG_REPEAT) if big else args.repeat
            if repeats < args.repeat:
                run.notes.append(f"{size:,} events: {repeats} run instead of {args.repeat}, and one call of each "
                                 "ledger-cli/hledger command, to bound the run time.")
            log(f"{size:,} events: generating")
            jsonl = write_jsonl(work / f"events-{size}.jsonl", size)
            here = {name: line for name, line in found.items() if name != "hledger" or size <= HLEDGER_MAX}
            if "hledger" in found and "hledger" not in here:
                run.notes.append(f"{size:,} events: hledger not run, to bound the memory the run takes.")
            run.results.append(sqlite(size, repeats, jsonl, work, here, 1 if big else TOOL_RUNS))
            if args.postgres and size <= POSTGRES_MAX:
                log(f"{size:,} events: PostgreSQL")
                run.postgres.append(postgres(args.postgres, size, repeats, jsonl))
            jsonl.unlink()
            # The report so far after each size: a run that fails at 1M keeps the rest.
            write(run, args.out, machine.describe(found, pg_version, load))
    if not args.postgres:
        run.notes.append("PostgreSQL not measured (no --postgres URL).")
    write(run, args.out, machine.describe(found, pg_version, load))


def write(run: Run, out: Path, described: list[tuple[str, str]]) -> None:
    run.machine = described
    out.write_text(render(run), encoding="utf-8")
    log(f"wrote {out}")


if __name__ == "__main__":
    main()

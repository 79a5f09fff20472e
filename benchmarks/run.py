"""Run the benchmarks of issue 7 and write BENCHMARKS.md.

    .venv/bin/python -m benchmarks.run [--sizes 10000,100000,1000000] [--repeat 3]
        [--out BENCHMARKS.md] [--postgres URL] [--quick]
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

from benchmarks.data import write_jsonl
from benchmarks.measure import cold_start, log, measure_size, postgres, remove_db, tools
from benchmarks.report import MILLION, Run, render

TOOL_SIZE = 100_000  # the size the journal for ledger-cli and hledger is written at
POSTGRES_MAX = 100_000  # PostgreSQL is measured up to this size
BIG_REPEAT = 1  # runs at 1M and above, whatever --repeat says: one import takes minutes


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
    parser.add_argument("--postgres", metavar="URL", help="also measure import and replay on this PostgreSQL")
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
    command = shlex.join([".venv/bin/python", "-m", "benchmarks.run", *argv])
    with tempfile.TemporaryDirectory(prefix="coop-bench-") as tmp:
        work = Path(tmp)
        log(f"working in {work}")
        run = Run(command, [], cold_start(work))
        if args.quick:
            run.notes.append("--quick: a smoke run at 1,000 events, one run each, no ledger-cli/hledger; not a benchmark.")
        for size in args.sizes:
            repeats = min(args.repeat, BIG_REPEAT) if size >= MILLION else args.repeat
            if repeats < args.repeat:
                run.notes.append(f"{size:,} events: {repeats} run instead of {args.repeat}, to bound the run time.")
            log(f"{size:,} events: generating")
            jsonl = write_jsonl(work / f"events-{size}.jsonl", size)
            log(f"{size:,} events: measuring ({repeats} run{'s' if repeats > 1 else ''})")
            run.results.append(measure_size(size, repeats, jsonl, work))
            if size == TOOL_SIZE and not args.quick:
                log(f"{size:,} events: ledger-cli and hledger")
                run.tools = tools(jsonl, size, work)
                run.notes += [f"`{name}` is not on PATH: not compared." for name in run.tools.missing]
            if args.postgres and size <= POSTGRES_MAX:
                log(f"{size:,} events: PostgreSQL")
                run.postgres.append(postgres(args.postgres, size, repeats, jsonl))
            jsonl.unlink()
            remove_db(work / f"ours-{size}.sqlite")
    if run.tools is None and not args.quick:
        run.notes.append(f"ledger-cli/hledger are compared on the {TOOL_SIZE:,} set, which this run did not include.")
    if not args.postgres:
        run.notes.append("PostgreSQL not measured (no --postgres URL).")
    args.out.write_text(render(run), encoding="utf-8")
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()

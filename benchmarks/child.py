"""One import or replay in a process of its own, so its peak memory is its own.

    python -m benchmarks.child import DB FILE   # an empty store, then FILE imported as the CLI does
    python -m benchmarks.child events DB FILE   # the same, the view left behind its events
    python -m benchmarks.child replay DB        # every read model rebuilt
    python -m benchmarks.child writes DB        # a rebuild's database part alone
    python -m benchmarks.child timeline DB      # the same, of the timeline table alone

Prints one JSON line: {"events": n, "seconds": s, "peak_mb": m}; the timed part excludes
opening the store. The peak is this process's own high-water mark (VmHWM), plus its own
workers' (the kernel's ru_maxrss of a child carries over its parent's peak at fork, which
hid the real figure when the benchmark read this process's that way).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

from cli.context import Session, Settings
from ledger.heap import settled


def import_(db: str, file: Path, *, events_only: bool = False) -> tuple[int, float]:
    """The import command's work; with `events_only`, the file checked and its events
    stored as it does, but the view left behind them (what the events alone cost)."""
    from ledger.importer import check, write_checked
    from ledger.seed import mark_initialized

    session = Session(Settings(db=db, quiet=True))
    mark_initialized(session.ledger, "empty")
    session.read_model  # noqa: B018  (create the view tables before the clock starts, as `import` does)
    start = time.perf_counter()
    with settled():  # as the import command does
        with check(file) as checked:
            if events_only:
                result = write_checked(session.ledger, checked, events_only=True)
            else:
                result = session.import_checked(checked)
    return result.added, time.perf_counter() - start


def replay(db: str) -> tuple[int, float]:
    from projections.runner import ReadModel

    session = Session(Settings(db=db, quiet=True))
    model = ReadModel(session.ledger)
    start = time.perf_counter()
    with settled():  # as Session.catch_up does for the replay command
        count = model.replay()
    return count, time.perf_counter() - start


def writes(db: str, *, timeline_only: bool = False) -> tuple[int, float]:
    """A replay's writes alone: every page's rows made first, in memory and untimed, then
    the rebuild of the view from them timed. What a replay would take if making its rows
    cost nothing; a large store's pages do not fit in memory (100,000 events take 0.5 GB).

    With `timeline_only`, the pages keep their timeline rows alone: what the least view
    that still answers `timeline` costs, with no table for `totals`. It leaves the store's
    view without figures, as current: the benchmark runs it on a copy.
    """
    from projections.feed import pages
    from projections.rows import NAME
    from projections.runner import ReadModel

    session = Session(Settings(db=db, quiet=True))
    model = ReadModel(session.ledger)
    made = list(pages(session.ledger))
    if timeline_only:
        made = [replace(page, writes=replace(page.writes, stale=[], figures=[])) for page in made]
    start = time.perf_counter()
    count = model.view.rebuild(iter(made), NAME)
    return count, time.perf_counter() - start


def main(argv: list[str]) -> None:
    match argv:
        case ["import", db, file]:
            events, seconds = import_(db, Path(file))
        case ["events", db, file]:
            events, seconds = import_(db, Path(file), events_only=True)
        case ["replay", db]:
            events, seconds = replay(db)
        case ["writes", db]:
            events, seconds = writes(db)
        case ["timeline", db]:
            events, seconds = writes(db, timeline_only=True)
        case _:
            sys.exit(__doc__)
    print(json.dumps({"events": events, "seconds": seconds, "peak_mb": _peak_mb()}))


def _peak_mb() -> float:
    """This process's peak, plus its workers' (projections.feed), all ended by now: their
    ru_maxrss may include this process's size when they were started, so the sum errs high."""
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024 + workers
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    main(sys.argv[1:])

"""One measured job in a process of its own, so that its peak memory is its own.

    python -m benchmarks.child import DB FILE   # FILE checked and imported, read models kept
    python -m benchmarks.child save DB FILE     # baseline: the library's bulk save(), no read model
    python -m benchmarks.child replay DB        # the read models rebuilt from the first event
    python -m benchmarks.child read DB          # baseline: the library reads and decodes every event
    python -m benchmarks.child command ARGS...  # a whole coop-ledger command, its output thrown away

Prints one JSON line: {"events": n, "seconds": s, "peak_mb": m, ...}. The clock starts
once the store is open. The peak is the process's VmHWM: ru_maxrss would also count the
memory of the process that started it, which Linux carries over across fork and exec.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ledger.application import Ledger, utc_now
from ledger.store import resolve

# Events per page read by the baseline, as the read model reads them.
READ_PAGE = 5000

Job = Callable[..., dict[str, Any]]


def import_(db: str, file: str) -> dict[str, Any]:
    """What `coop-ledger import FILE` does once the store is open: check, then store."""
    from ledger.importer import check
    from projections.runner import ReadModel

    ledger = Ledger(resolve(db))
    model = ReadModel(ledger)  # creates the view's tables, as opening does
    start = time.perf_counter()
    checked = check(Path(file), ledger=ledger)
    checked_at = time.perf_counter()
    result, behind = model.import_checked(checked)
    end = time.perf_counter()
    if behind:  # the events are stored but the view is not: not the import being measured
        raise RuntimeError(f"the read model fell behind: {behind}")
    return {"events": result.added, "seconds": end - start, "check_seconds": checked_at - start}


def _batches(file: str, size: int) -> Iterator[list[Any]]:
    from ledger.importer import check

    batch = []
    for item in check(Path(file)).items():
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def save(db: str, file: str) -> dict[str, Any]:
    """The library's own bulk write of the same items: an aggregate per item, a save()
    per batch, no read model. Only the aggregates and save() are timed, not the parsing."""
    from ledger.aggregate import ItemAggregate

    ledger = Ledger(resolve(db))
    events, seconds = 0, 0.0
    # The ledger's own batch: 5,000 on SQLite; PostgreSQL's pipeline needs smaller ones.
    for items in _batches(file, ledger.batch_size):
        start = time.perf_counter()
        timestamp = utc_now()
        ledger.save(*[ItemAggregate.record(item, timestamp) for item in items])
        seconds += time.perf_counter() - start
        events += len(items)
    return {"events": events, "seconds": seconds}


def replay(db: str) -> dict[str, Any]:
    from projections.runner import ReadModel

    model = ReadModel(Ledger(resolve(db)))
    start = time.perf_counter()
    count = model.replay()
    return {"events": count, "seconds": time.perf_counter() - start}


def read(db: str) -> dict[str, Any]:
    """The library's own read and decode of every event, a page at a time, nothing kept."""
    ledger = Ledger(resolve(db))
    to_event = ledger.mapper.to_domain_event
    events, after = 0, 0
    start = time.perf_counter()
    while page := ledger.recorder.select_notifications(start=after, limit=READ_PAGE, inclusive_of_start=False):
        for notification in page:
            to_event(notification)
        events += len(page)
        after = page[-1].id
    return {"events": events, "seconds": time.perf_counter() - start}


def command(*args: str) -> dict[str, Any]:
    """`coop-ledger ARGS...` in this process, as its console script runs it, from start-up:
    for the peak memory of a command that writes a whole ledger out. Its output goes to
    /dev/null; the answer to the stdout this process was given."""
    import os

    answer_to = os.dup(1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    start = time.perf_counter()
    from cli.main import app

    try:
        app(args=list(args), prog_name="coop-ledger")
    except SystemExit as e:
        if e.code:
            raise RuntimeError(f"coop-ledger {' '.join(args)} exited {e.code}") from None
    sys.stdout.flush()
    seconds = time.perf_counter() - start
    os.dup2(answer_to, 1)
    return {"seconds": seconds}


JOBS: dict[str, Job] = {"import": import_, "save": save, "replay": replay, "read": read, "command": command}


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in JOBS:
        sys.exit(__doc__)
    answer = JOBS[argv[0]](*argv[1:])
    print(json.dumps({**answer, "peak_mb": peak_mb()}))


if __name__ == "__main__":
    main(sys.argv[1:])

"""The log read a page at a time as what each page writes to the view: made here, or by a
worker process while this one writes.

A rebuild is two halves of about the same weight: Python turning stored events into rows
(decoding, figures, JSON), and SQLite or PostgreSQL writing them. Threads cannot share
the first between cores (the GIL; sqlite3 takes it back for every row it steps), so a
large rebuild has a second process make the rows, a few pages ahead of the writes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventsourcing.persistence import Notification

from ledger.application import Ledger
from ledger.store import StoreSpec
from ledger.transcodings import stores_plain_json
from ledger.workers import Worker, WorkerFailed
from projections.fold import Change, change_of, stored_change
from projections.writes import Writes, writes_of

if TYPE_CHECKING:
    from multiprocessing import Queue

PAGE = 5000
# A worker process pays for its start (a new interpreter, about a third of a second)
# from about this many events; below, the rows are made in this process.
WORKER_FROM = 20_000
AHEAD = 2  # pages a worker may have made and not yet handed over: bounds its memory


@dataclass(frozen=True, slots=True)
class Page:
    """What `events` events of the log write to the view; `position` is the last one's."""

    writes: Writes
    events: int
    position: int


def changes_of(ledger: Ledger, notifications: Sequence[Notification]) -> list[Change]:
    """One change per event; read from the stored JSON where the store holds it plain."""
    if stores_plain_json(ledger.mapper):
        return [stored_change(n.topic, n.state, n.id) for n in notifications]
    return [change_of(ledger.mapper.to_domain_event(n), n.id) for n in notifications]


def pages(ledger: Ledger, after: int = 0, size: int | None = None) -> Iterator[Page]:
    """The log after position `after`, a page at a time (PAGE events), until it ends."""
    select_page = ledger.recorder.select_notifications
    while page := select_page(start=after, limit=size or PAGE, inclusive_of_start=False):
        after = page[-1].id
        yield Page(writes_of(changes_of(ledger, page)), len(page), after)


def feed(ledger: Ledger, events: int, after: int = 0) -> Iterator[Page]:
    """`pages(ledger, after)` for about `events` events to come, from a worker if it pays."""
    if events >= WORKER_FROM and (os.cpu_count() or 1) > 1:
        return worker_pages(ledger.spec, after)
    return pages(ledger, after)


def worker_pages(spec: StoreSpec, after: int = 0, size: int | None = None) -> Iterator[Page]:
    """`pages` of the store, made by a worker process with a connection of its own."""
    with Worker(_work, spec, after, size or PAGE, name="making the view's rows", ahead=AHEAD) as worker:
        while (message := worker.get()) is not None:
            if not isinstance(message, Page):
                raise WorkerFailed(message)
            yield message


def _work(spec: StoreSpec, after: int, size: int, answers: Queue) -> None:
    try:
        ledger = Ledger(spec.for_reading())
        for page in pages(ledger, after, size):
            answers.put(page)
        ledger.close()
        answers.put(None)
    except BaseException as e:  # handed over whole: the writer raises it as one line
        answers.put(f"{type(e).__name__}: {e}")


Progress = Callable[[int], None]


def counted(pages: Iterator[Page], progress: Progress | None) -> Iterator[Page]:
    """The pages, calling `progress` with each page's events once the page is written."""
    for page in pages:
        yield page
        if progress:
            progress(page.events)

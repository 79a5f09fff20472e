"""The log read a page at a time as what each page writes to the view: made here, or by a
worker process while this one writes.

A rebuild is two parts: Python turning stored events into rows (decoding, figures, JSON),
and SQLite or PostgreSQL writing them. Threads cannot share the first between cores (the
GIL; sqlite3 takes it back for every row it steps), so a large rebuild has a second
process make the rows, a few pages ahead of the writes. A rebuild's writes are appends
(see ReadModelQueries.rebuild), lighter than making the rows: the writer makes every
WRITER_EVERY-th page's rows itself, from the events the worker hands over, so that
neither process waits long for the other.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventsourcing.persistence import Mapper, Notification

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
# Of a worker's pages, the writer makes the rows of one in this many itself. Measured on
# the benchmark's million events: with one in three the writer waited for the worker 33 s
# of an 84 s fill; with one in two the fill took 78 s.
WRITER_EVERY = 2


@dataclass(frozen=True, slots=True)
class Page:
    """What `events` events of the log write to the view; `position` is the last one's."""

    writes: Writes
    events: int
    position: int


def changes_of(mapper: Mapper, notifications: Sequence[Notification]) -> list[Change]:
    """One change per event; read from the stored JSON where the store holds it plain."""
    if stores_plain_json(mapper):
        return [stored_change(n.topic, n.state, n.id) for n in notifications]
    return [change_of(mapper.to_domain_event(n), n.id) for n in notifications]


def page_of(mapper: Mapper, notifications: Sequence[Notification]) -> Page:
    return Page(writes_of(changes_of(mapper, notifications)), len(notifications), notifications[-1].id)


def _event_pages(ledger: Ledger, after: int, size: int) -> Iterator[Sequence[Notification]]:
    select_page = ledger.recorder.select_notifications
    while page := select_page(start=after, limit=size, inclusive_of_start=False):
        after = page[-1].id
        yield page


def pages(ledger: Ledger, after: int = 0, size: int | None = None) -> Iterator[Page]:
    """The log after position `after`, a page at a time (PAGE events), until it ends."""
    for events in _event_pages(ledger, after, size or PAGE):
        yield page_of(ledger.mapper, events)


def feed(ledger: Ledger, events: int, after: int = 0) -> Iterator[Page]:
    """`pages(ledger, after)` for about `events` events to come, from a worker if it pays."""
    if events >= WORKER_FROM and (os.cpu_count() or 1) > 1:
        return worker_pages(ledger.spec, after, writer=ledger.mapper)
    return pages(ledger, after)


def worker_pages(spec: StoreSpec, after: int = 0, size: int | None = None, *, writer: Mapper | None = None) -> Iterator[Page]:
    """`pages` of the store, made by a worker process with a connection of its own; given
    the `writer`'s mapper, one page in WRITER_EVERY is made here, from the events the
    worker read."""
    share = WRITER_EVERY if writer is not None else 0
    with Worker(_work, spec, after, size or PAGE, share, name="making the view's rows", ahead=AHEAD) as worker:
        while (message := worker.get()) is not None:
            if isinstance(message, list):
                yield page_of(writer, message)  # type: ignore[arg-type]  (a share was asked for)
            elif isinstance(message, Page):
                yield message
            else:
                raise WorkerFailed(message)


def _work(spec: StoreSpec, after: int, size: int, share: int, answers: Queue) -> None:
    try:
        ledger = Ledger(spec.for_reading())
        for n, events in enumerate(_event_pages(ledger, after, size), start=1):
            answers.put(list(events) if share and n % share == 0 else page_of(ledger.mapper, events))
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

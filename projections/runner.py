"""Keeping the read model current from the notification log, and reading it back."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from eventsourcing.persistence import IntegrityError, Recording, Tracking

from events import Kind
from ledger.application import Ledger
from projections.feed import PAGE, counted, feed
from projections.fold import State, apply, change_of
from projections.rows import NAME, Entry
from projections.timeline import Row, select
from projections.totals import Figure, Total, figures_of, totals
from projections.writes import writes_of

Progress = Callable[[int], None]

# Events behind, and more than the view has applied, from which a catch-up is a rebuild.
REBUILD_FROM = 20_000


def _rebuilds(behind: int, position: int) -> bool:
    return behind >= REBUILD_FROM and behind > position


def _recorder_class(ledger: Ledger) -> type:
    if ledger.spec.is_postgres:
        from projections.postgres import ReadModelPostgresRecorder

        return ReadModelPostgresRecorder
    from projections.sqlite import ReadModelSQLiteRecorder

    return ReadModelSQLiteRecorder


class ReadModel:
    """The timeline and figures tables of a ledger, in the same database as its events."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.view = ledger.factory.tracking_recorder(_recorder_class(ledger))
        if self.view.max_tracking_id(NAME) is None:
            self.view.ensure_position(NAME)

    def position(self) -> int:
        return self.view.max_tracking_id(NAME) or 0

    def work(self) -> int:
        """How many events a catch-up would apply now: those behind, or all if it rebuilds."""
        position, last = self.position(), self.ledger.recorder.max_notification_id() or 0
        return last if _rebuilds(last - position, position) else max(0, last - position)

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply every event after the tracking position, a page per transaction; the rows
        of a large backlog are made by a worker process (see projections.feed).

        A backlog larger than what the view holds already, and large (a bulk import into
        a new store), is cheaper rebuilt than applied: a rebuild appends rows and sorts
        them once, where applying them updates every B-tree of the view row by row.
        """
        applied = 0
        while True:
            position = self.position()
            behind = (self.ledger.recorder.max_notification_id() or 0) - position
            if behind <= 0:
                return applied
            if _rebuilds(behind, position):
                return applied + self.replay(progress)
            with contextlib.closing(feed(self.ledger, behind, after=position)) as pages:
                try:
                    for page in pages:
                        self.view.write(page.writes, Tracking(NAME, page.position), after=position)
                        position = page.position
                        applied += page.events
                        if progress:
                            progress(page.events)
                except IntegrityError:
                    # Another process applied these events first: carry on from where it got to.
                    continue
            return applied

    def apply_recordings(self, recordings: Sequence[Recording]) -> None:
        """Bring the view up to date after a save, from the events in hand when it can."""
        if not recordings:
            return
        first = recordings[0].notification.id
        if self.position() == first - 1:
            writes = writes_of([change_of(r.domain_event, r.notification.id) for r in recordings])
            # If another process moved the position meanwhile, the write is refused whole
            # and the catch-up below reads the log instead.
            with contextlib.suppress(IntegrityError):
                self.view.write(writes, Tracking(NAME, recordings[-1].notification.id), after=first - 1)
        self.catch_up()

    def replay(self, progress: Progress | None = None) -> int:
        """Rebuild the read model from the first event, beside the one in use (see
        ReadModelQueries.rebuild), then catch up with what was appended meanwhile."""
        events = self.ledger.recorder.max_notification_id() or 0
        # Closed on the way out, failed or not: a worker making the rows stops with it.
        with contextlib.closing(feed(self.ledger, events)) as pages:
            rebuilt = self.view.rebuild(counted(pages, progress), NAME)
        return rebuilt + self.catch_up(progress)

    # Reading ------------------------------------------------------------------

    def timeline(self, lower: date, upper: date, *, strict: bool = False, kinds: Iterable[Kind] = ()) -> list[Entry]:
        return self.view.timeline(lower, upper, strict=strict, kinds=kinds)

    def all_rows(self) -> list[Row]:
        return self.view.all_rows()

    def figures(self, metrics: Sequence[str], as_of: date) -> list[Figure]:
        return self.view.figures(metrics, as_of)

    def totals(self, as_of: date, metrics: Sequence[str], by: str, cumulative: bool, ids: bool) -> list[Total]:
        return self.view.totals(as_of, metrics, by, cumulative, ids)


class KnownAt:
    """The read model as the ledger had it at a past moment (record time), folded in memory."""

    def __init__(self, ledger: Ledger, at: datetime) -> None:
        state: State = {}
        position = 0
        to_event = ledger.mapper.to_domain_event
        while True:
            page = ledger.recorder.select_notifications(start=position, limit=PAGE, inclusive_of_start=False)
            if not page:
                break
            for n in page:
                event = to_event(n)
                if event.timestamp <= at:  # type: ignore[attr-defined]
                    apply(state, event, n.id)
            position = page[-1].id
        self.state = state

    def timeline(self, lower: date, upper: date, *, strict: bool = False, kinds: Iterable[Kind] = ()) -> list[Entry]:
        return [Entry.of(row, c) for row, c in select(self.state.values(), lower, upper, strict=strict, kinds=kinds)]

    def all_rows(self) -> list[Row]:
        return sorted(self.state.values(), key=lambda r: r.seq)

    def figures(self, metrics: Sequence[str], as_of: date) -> list[Figure]:
        wanted = set(metrics)
        return [f for row in self.state.values() for f in figures_of(row) if not wanted or f.metric in wanted]

    def totals(self, as_of: date, metrics: Sequence[str], by: str, cumulative: bool, ids: bool) -> list[Total]:
        return totals(self.figures(metrics, as_of), as_of, metrics, by, cumulative)


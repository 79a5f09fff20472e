"""Keeping the read model current from the notification log, and reading it back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime

from eventsourcing.persistence import IntegrityError, Recording

from events import Item
from ledger.application import Ledger, RecordResult, creating_tables
from ledger.importer import Checked, ImportResult, write
from projections.fold import apply
from projections.rows import NAME, Timeline
from projections.sameness import Sameness
from projections.state import State
from projections.store import Page
from projections.timeline import Row, Window, select
from projections.totals import Figure, Total, figures_of, totals

Progress = Callable[[int], None]
PAGE = 5000  # events read, folded and written at a time
# Catch-ups in a row that find the position moved by another process, then give up.
ATTEMPTS = 50


class Stuck(Exception):
    """The view cannot advance past its position; a replay rebuilds it from the events."""


def _recorder_class(ledger: Ledger) -> type:
    if ledger.spec.is_postgres:
        from projections.postgres import ReadModelPostgresRecorder

        return ReadModelPostgresRecorder
    from projections.sqlite import ReadModelSQLiteRecorder

    return ReadModelSQLiteRecorder


def pages(ledger: Ledger, after: int = 0, until: int | None = None) -> Iterator[Page]:
    """The log after position `after` (up to `until`), decoded by the library, a page at a time."""
    to_event = ledger.mapper.to_domain_event
    select = ledger.recorder.select_notifications
    while notifications := select(start=after, limit=PAGE, stop=until, inclusive_of_start=False):
        after = notifications[-1].id
        yield [(n.id, to_event(n)) for n in notifications]


class ReadModel:
    """The timeline and figures tables of a ledger, in the same database as its events."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        # The library's factory creates its tracking table (and the record of that table's
        # migration) as it makes the recorder: a race with another first use, as creating
        # the view's own tables below is.
        self.view = creating_tables(lambda: ledger.factory.tracking_recorder(_recorder_class(ledger)))
        # A new store, one of another layout, or a table dropped behind the ledger's back:
        # the view is made anew, and rebuilt from the events if it had any.
        self.damaged = False
        if not self.view.tables_exist():
            creating_tables(self.view.create_tables)
            self.damaged = bool(self.view.max_tracking_id(NAME))
        if self.view.max_tracking_id(NAME) is None:
            self.view.ensure_position(NAME)

    def position(self) -> int:
        found = self.view.max_tracking_id(NAME)
        if found is not None and type(found) is not int:  # SQLite keeps whatever an edit puts there
            raise Stuck(f"the read model's position is {found!r}, not an event: run `coop-ledger replay` to rebuild it")
        return found or 0

    def behind(self) -> int:
        return max(0, (self.ledger.recorder.max_notification_id() or 0) - self.position())

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply every event after the tracking position, a page per transaction.

        Another process catching up at the same time may apply a page first; then this
        one carries on from where that one got to. A position that never moves (its
        tracking row gone, say) stops with Stuck rather than trying for ever.
        """
        if self.damaged:
            return self.replay(progress)
        applied = 0
        for _ in range(ATTEMPTS):
            position = self.position()
            try:
                for page in pages(self.ledger, position):
                    self.view.write(page, NAME, after=position)
                    position = page[-1][0]
                    applied += len(page)
                    if progress:
                        progress(len(page))
                return applied
            except IntegrityError:
                continue
        raise Stuck(
            f"the read model cannot advance past event {self.position()}: run `coop-ledger replay` to rebuild it"
        )

    def apply_recordings(self, recordings: Sequence[Recording]) -> None:
        """Bring the view up to date after a save, from the events in hand when they are
        the next ones; from the log when another writer's events came between."""
        if not recordings:
            self.catch_up()
            return
        first = recordings[0].notification.id
        if self.position() == first - 1:
            page = [(r.notification.id, r.domain_event) for r in recordings]
            try:
                self.view.write(page, NAME, after=first - 1)
                return
            except IntegrityError:
                pass  # another process moved the position meanwhile: read the log below
        self.catch_up()

    def follow(self, recordings: Sequence[Recording]) -> str | None:
        """`apply_recordings` after a write that has committed: a failure of the view's
        own update (a lock held too long, a lost connection, a row of the view edited
        behind its back) must not read as a refused write, so it comes back as its
        reason; the next command's catch-up retries it, or says what to do."""
        try:
            self.apply_recordings(recordings)
        except Exception as e:  # noqa: BLE001 -- the write stands, whatever stopped its view
            return " ".join(str(e).split()) or type(e).__name__
        return None

    def import_checked(
        self, checked: Checked, progress: Progress | None = None, then: Callable[[RecordResult], None] | None = None,
    ) -> tuple[ImportResult, str | None]:
        """Store a checked file's items, keeping the view current batch by batch; with
        the reason the view fell behind, if it did. Killed part way, it leaves the view
        at most behind its log, which the next command catches up. `then` is given each
        batch once the view holds it."""
        behind: list[str] = []

        def on_batch(batch: RecordResult) -> None:
            if not behind and (reason := self.follow(batch.recordings)):
                behind.append(reason)
            if then and not behind:
                then(batch)
            if progress:
                progress(len(batch.added) + len(batch.skipped))

        result = write(self.ledger, checked, on_batch)
        return result, (behind[0] if behind else None)

    def replay(self, progress: Progress | None = None) -> int:
        """Rebuild the read model from the first event, beside the one in use (see
        ReadModelQueries.rebuild), then catch up with what was appended meanwhile."""

        def counted() -> Iterator[Page]:
            for page in pages(self.ledger):
                yield page
                if progress:
                    progress(len(page))

        rebuilt = self.view.rebuild(counted(), NAME)
        self.damaged = False
        return rebuilt + self.catch_up(progress)

    def differences(self) -> dict[str, list[str]]:
        """What the view holds that a rebuild from the same events would not (see
        ReadModelQueries.differences): nothing, unless it was edited behind the ledger's back."""
        self.catch_up()
        position = self.position()
        return self.view.differences(pages(self.ledger, until=position)) if position else {}

    # Reading ------------------------------------------------------------------

    def timeline(self, window: Window) -> Timeline:
        return self.view.timeline(window)

    def rows(self) -> Iterator[Row]:
        return self.view.rows()

    def all_rows(self) -> list[Row]:
        return self.view.all_rows()

    def figures(self, metrics: Sequence[str], as_of: date) -> list[Figure]:
        return self.view.figures(metrics, as_of)

    def sameness(self) -> Sameness:
        return self.view.sameness()

    def documents(self) -> list[dict]:
        return self.view.documents()

    def near(
        self, items: Iterable[Item], before: int | None = None
    ) -> Iterator[tuple[Item, list[str], Callable[[list[int]], list[Item]]]]:
        return self.view.near(items, before)

    def totals(self, as_of: date, metrics: Sequence[str], by: str, cumulative: bool) -> list[Total]:
        return self.view.totals(as_of, metrics, by, cumulative)


class KnownAt:
    """The read model as the ledger had it at a past moment (record time): the same fold
    and the same rules, over the events recorded by then, in memory."""

    def __init__(self, ledger: Ledger, at: datetime) -> None:
        state = State()
        for page in pages(ledger):
            for seq, event in page:
                if event.timestamp <= at:  # type: ignore[attr-defined]
                    apply(state, event, seq)
        self.state = state

    def sameness(self) -> Sameness:
        return Sameness.of(self.state.links, self.state.rows)

    def timeline(self, window: Window) -> Timeline:
        return Timeline.held(select(self.sameness().shown(self.state.rows.values()), window))

    def rows(self) -> Iterator[Row]:
        return iter(self.all_rows())

    def all_rows(self) -> list[Row]:
        return sorted(self.state.rows.values(), key=lambda r: r.seq)

    def figures(self, metrics: Sequence[str], as_of: date) -> list[Figure]:
        wanted = set(metrics)
        return self.sameness().counted(
            f for row in self.state.rows.values() for f in figures_of(row) if not wanted or f.metric in wanted)

    def totals(self, as_of: date, metrics: Sequence[str], by: str, cumulative: bool) -> list[Total]:
        return totals(self.figures(metrics, as_of), as_of, metrics, by, cumulative)

    def documents(self) -> list[dict]:
        return [r.summary() for r in sorted(self.state.documents.values(), key=lambda r: r.seq)]

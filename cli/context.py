"""Opening the store for a command: the ledger, its read model brought up to date, seeding."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store's modules load only when a command opens it: --help stays quick
    from ledger.application import Ledger, RecordResult
    from ledger.importer import Checked, ImportResult
    from ledger.store import StoreSpec


# Events behind from which a catch-up is a bulk pass, run with the heap settled.
BULK = 10_000


@dataclass
class Settings:
    db: str | None = None
    quiet: bool = False


class Session:
    """What every command needs: the ledger and its read model, opened once, lazily."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def spec(self) -> StoreSpec:
        from ledger.store import resolve

        return resolve(self.settings.db)

    @cached_property
    def ledger(self) -> Ledger:
        from ledger.application import Ledger

        return Ledger(self.spec)

    def current_view(self):  # type: ignore[no-untyped-def]
        """The read model for a command that only reads: read straight from a SQLite file
        whose read model is current (no event store loaded), else opened and caught up."""
        if not self.spec.is_postgres:
            from projections.reader import open_current

            view = open_current(Path(self.spec.env["SQLITE_DBNAME"]))
            if view is not None:
                return view
        self.ready()
        return self.read_model

    @cached_property
    def read_model(self):  # type: ignore[no-untyped-def]
        from projections.runner import ReadModel

        return ReadModel(self.ledger)

    def say(self, message: str) -> None:
        """A line for people on stderr, kept off stdout so output stays pipeable."""
        if not self.settings.quiet:
            print(message, file=sys.stderr)

    def ready(self, *, seed: bool = True) -> None:
        """Seed an empty store on first use, then catch the read model up with the log."""
        from ledger import seed as seeding

        if seed and seeding.needs_seed(self.ledger):
            result = seeding.seed(self.ledger, self.on_batch)
            self.say(
                f"coop-ledger: the store was empty; seeded it with the article's {result.added} events "
                f"({self.ledger.spec.shown})"
            )
        self.catch_up("catching up")

    def catch_up(self, label: str, replay: bool = False) -> int:
        from cli.progress import progress
        from ledger.heap import settled

        model = self.read_model
        behind = (self.ledger.recorder.max_notification_id() or 0) if replay else model.work()
        with progress(label, behind, self.settings.quiet) as advance, settled() if behind >= BULK else nullcontext():
            return model.replay(advance) if replay else model.catch_up(advance)

    def on_batch(self, batch: RecordResult) -> None:
        """Bring the read model up to date with a batch just stored, in the same pass."""
        self.read_model.apply_recordings(batch.recordings)

    def import_checked(self, checked: Checked) -> ImportResult:
        """Store a checked file's items, and bring the read model up to date.

        A small file keeps the view current batch by batch, from the events in hand. A
        large one writes its events first and the view after, from the log, its rows made
        by a worker process on the other core while this one writes them (projections.feed).
        Killed part way, either leaves the view at most behind its log, which the next
        command catches up.
        """
        from cli.progress import progress
        from ledger.importer import write_checked
        from projections.feed import WORKER_FROM

        view_after = checked.count >= WORKER_FROM
        with progress("importing", checked.count, self.settings.quiet) as advance:

            def handle(batch: RecordResult) -> None:
                if not view_after:
                    self.on_batch(batch)
                if advance:
                    advance(len(batch.added) + len(batch.skipped))

            result = write_checked(self.ledger, checked, handle, events_only=view_after)
        if view_after:
            self.catch_up("updating the view")
        return result

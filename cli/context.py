"""Opening the store for a command: the ledger, its read model brought up to date, seeding."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store's modules load only when a command opens it: --help stays quick
    from collections.abc import Sequence

    from eventsourcing.persistence import Recording

    from ledger.application import Ledger, RecordResult
    from ledger.importer import Checked, ImportResult
    from ledger.matching import Match
    from ledger.store import StoreSpec
    from projections.runner import ReadModel


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
    def read_model(self) -> ReadModel:
        from projections.runner import ReadModel

        return ReadModel(self.ledger)

    def close(self) -> None:
        """Give back the store's connections (a PostgreSQL pool holds several): a process
        that runs many commands, as the tests do, must not keep them all open."""
        if "read_model" in self.__dict__:
            self.read_model.view.datastore.close()
        if "ledger" in self.__dict__:
            self.ledger.close()

    def say(self, message: str) -> None:
        """A line for people on stderr, kept off stdout so output stays pipeable."""
        if not self.settings.quiet:
            print(message, file=sys.stderr)

    def ready(self, *, seed: bool = True) -> None:
        """Seed an empty store on first use, then catch the read model up with the log."""
        from ledger import seed as seeding

        if seed and seeding.needs_seed(self.ledger):
            result = seeding.seed(self.ledger, lambda batch: self.read_model.apply_recordings(batch.recordings))
            self.say(
                f"coop-ledger: the store was empty; seeded it with the article and its {result.added} items "
                f"({self.ledger.spec.shown})"
            )
        self.catch_up("catching up")

    def catch_up(self, label: str, replay: bool = False) -> int:
        from cli.progress import progress

        model = self.read_model
        work = (self.ledger.recorder.max_notification_id() or 0) if replay else model.behind()
        with progress(label, work, self.settings.quiet) as advance:
            return model.replay(advance) if replay else model.catch_up(advance)

    def import_checked(self, checked: Checked) -> ImportResult:
        """Store a checked file's items, the read model kept current batch by batch."""
        from cli.progress import progress

        from projections.duplicates import probable

        found: dict[frozenset[str], Match] = {}
        before = self.read_model.position()  # what was recorded before this file

        def compare(batch: RecordResult) -> None:  # each batch as it is in the view
            for match in probable(self.read_model, batch.added, before):
                found.setdefault(frozenset(match.items), match)

        with progress("importing", checked.count, self.settings.quiet) as advance:
            result, behind = self.read_model.import_checked(checked, advance, compare)
        if behind:
            self.behind(behind)
        self.say(f"coop-ledger: imported {result.added} items, {result.skipped} already recorded")
        self.warn_of(sorted(found.values(), key=lambda m: (-m.score, m.items)))
        return result

    def after_write(self, recordings: Sequence[Recording]) -> None:
        """The view brought up to date after a write that has committed: if that fails,
        the write still stands, and the command says so rather than fail."""
        reason = self.read_model.follow(recordings)
        if reason:
            self.behind(reason)

    def warn_of(self, found: Sequence[Match]) -> None:
        """Warn of new items that are probably items recorded from another source; they
        stay recorded, for a person to link or leave."""
        from cli.documents import warnings

        for line in warnings(found):
            self.say(line)

    def behind(self, reason: str) -> None:
        self.say(f"coop-ledger: recorded; the view could not follow ({reason}): the next command catches it up")

"""Opening the store for a command: the ledger, its read model brought up to date, seeding."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store's modules load only when a command opens it: --help stays quick
    from ledger.application import Ledger, RecordResult


@dataclass
class Settings:
    db: str | None = None
    quiet: bool = False


class Session:
    """What every command needs: the ledger and its read model, opened once, lazily."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def ledger(self) -> Ledger:
        from ledger.application import Ledger
        from ledger.store import resolve

        return Ledger(resolve(self.settings.db))

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

        model = self.read_model
        behind = (self.ledger.recorder.max_notification_id() or 0) - (0 if replay else model.position())
        with progress(label, behind, self.settings.quiet) as advance:
            return model.replay(advance) if replay else model.catch_up(advance)

    def on_batch(self, batch: RecordResult) -> None:
        """Bring the read model up to date with a batch just stored, in the same pass."""
        self.read_model.apply_recordings(batch.recordings)

    def batch_handler(self, advance: Callable[[int], None] | None) -> Callable[[RecordResult], None]:
        def handle(batch: RecordResult) -> None:
            self.on_batch(batch)
            if advance:
                advance(len(batch.added) + len(batch.skipped))

        return handle

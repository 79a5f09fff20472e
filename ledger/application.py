"""The ledger: append, correct, retract and read back items, as immutable events."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from operator import itemgetter
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, PersistenceError, Recording

from events import Item, Source
from ledger.aggregate import ItemAggregate, aggregate_id
from ledger.store import StoreSpec, StoreUnavailable
from ledger.transcodings import register_transcodings

Clock = Callable[[], datetime]

# Events per save. PostgreSQL's pipeline mode can deadlock on a save whose statement is
# large (psycopg issue 685): the library warns above 5,000 events, and with items of
# about a kilobyte a 100k import hung at 5,000, so PostgreSQL saves 1,000 at a time.
BATCH_SIZE = 5000
POSTGRES_BATCH_SIZE = 1000
# Concurrent importers of the same ids may collide a few times before one wins.
ATTEMPTS = 10


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class UnknownItem(LookupError):
    def __init__(self, item_id: str) -> None:
        super().__init__(f"id: {item_id!r}: no such item in the ledger")


class Conflict(Exception):
    """Another writer changed the item first; retrying reads its change and succeeds."""


class IdTaken(Conflict):
    """An id the ledger holds for other content, or for an item it retracted: one fact,
    one item, so the new one is refused rather than skipped as already recorded."""

    def __init__(self, item_id: str, retracted: bool) -> None:
        self.item_id = item_id
        if retracted:
            reason = "was retracted; a retracted item is not recorded again"
        else:
            reason = f"is already recorded with other content; `coop-ledger correct {item_id}` changes it"
        self.reason = reason
        super().__init__(f"id: {item_id!r}: {reason}")


class NothingToChange(ValueError):
    pass


@dataclass
class RecordResult:
    added: list[Item] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    recordings: list[Recording[UUID]] = field(default_factory=list)


@dataclass(frozen=True)
class Version:
    """One event of an item's history, as a user reads it."""

    version: int
    action: str
    recorded_at: datetime
    item: Item | None
    changed: tuple[str, ...]
    reason: str


class Ledger(Application[UUID]):
    name = "CoopLedger"

    def __init__(self, spec: StoreSpec, clock: Clock = utc_now) -> None:
        self.spec = spec
        self.clock = clock
        try:
            creating_tables(lambda: Application.__init__(self, env=spec.env_for_open()))
        except (PersistenceError, OSError, sqlite3.Error) as e:
            raise StoreUnavailable(f"db: {spec.shown!r}: cannot open the store ({_first_line(e)})") from None

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_transcodings(transcoder)

    # Writing ------------------------------------------------------------------

    def record(self, items: Sequence[Item]) -> RecordResult:
        """Store the items not stored yet, in one transaction; those stored already, as
        they are, are skipped. An id held for other content raises IdTaken, nothing stored."""
        result = RecordResult()
        for attempt in range(ATTEMPTS):
            result = RecordResult()
            fresh: dict[str, Item] = {}
            for item in items:
                if item.id not in fresh:
                    fresh[item.id] = item
                elif fresh[item.id] != item:
                    raise IdTaken(item.id, retracted=False)
                else:
                    result.skipped.append(item.id)
            found = self.taken(list(fresh.values()))
            if found:
                raise found[0]
            existing = self.recorder.existing([aggregate_id(i) for i in fresh])  # type: ignore[attr-defined]
            timestamp = self.clock()
            aggregates = []
            for item_id, item in fresh.items():
                if aggregate_id(item_id) in existing:
                    result.skipped.append(item_id)
                else:
                    result.added.append(item)
                    aggregates.append(ItemAggregate.record(item, timestamp))
            if not aggregates:
                return result
            try:
                result.recordings = self.save(*aggregates)
            except IntegrityError:
                # Another writer stored some of these ids since we looked: look again.
                if attempt == ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0, 0.05 * (attempt + 1)))
                continue
            return result
        return result

    def taken(self, items: Sequence[Item]) -> list[IdTaken]:
        """The items whose id the ledger holds for other content, or retracted."""
        existing = self.recorder.existing([aggregate_id(i.id) for i in items])  # type: ignore[attr-defined]
        found = []
        for item in items:
            if aggregate_id(item.id) in existing:
                aggregate = self.load(item.id)
                if aggregate.retracted or aggregate.item != item:
                    found.append(IdTaken(item.id, aggregate.retracted))
        return found

    @property
    def batch_size(self) -> int:
        return POSTGRES_BATCH_SIZE if self.spec.is_postgres else BATCH_SIZE

    def record_all(self, items: Iterable[Item]) -> Iterable[RecordResult]:
        """Items in batches, each batch a transaction."""
        batch: list[Item] = []
        for item in items:
            batch.append(item)
            if len(batch) >= self.batch_size:
                yield self.record(batch)
                batch = []
        if batch:
            yield self.record(batch)

    def load(self, item_id: str) -> ItemAggregate:
        try:
            aggregate = self.repository.get(aggregate_id(item_id))
        except AggregateNotFoundError:
            raise UnknownItem(item_id) from None
        assert isinstance(aggregate, ItemAggregate)
        return aggregate

    def correct(
        self, item_id: str, reason: str, changes: dict[str, Any], based_on: ItemAggregate | None = None
    ) -> ItemAggregate:
        """Append a new version of the item with `changes` (Item field names, or `quote`)."""
        aggregate = based_on or self.load(item_id)
        if aggregate.retracted:
            raise NothingToChange(f"id: {item_id!r}: the item is retracted; nothing to correct")
        if "quote" in changes:
            changes = dict(changes)
            source = aggregate.item.source
            changes["source"] = Source(source.document, changes.pop("quote"), source.published)
        new = aggregate.item.with_changes(**changes)
        before, after = aggregate.item.to_dict(), new.to_dict()
        changed = [key for key in after if before[key] != after[key]]
        if not changed:
            raise NothingToChange(f"id: {item_id!r}: the correction changes nothing")
        aggregate.correct(new, changed, reason, self._hash_of(aggregate), self.clock())
        self._save_change(aggregate)
        return aggregate

    def retract(self, item_id: str, reason: str, based_on: ItemAggregate | None = None) -> ItemAggregate:
        aggregate = based_on or self.load(item_id)
        if aggregate.retracted:
            raise NothingToChange(f"id: {item_id!r}: the item is already retracted")
        aggregate.retract(reason, self._hash_of(aggregate), self.clock())
        self._save_change(aggregate)
        return aggregate

    def _hash_of(self, aggregate: ItemAggregate) -> str:
        return self.recorder.event_hash_of(aggregate.id, aggregate.version) or ""  # type: ignore[attr-defined]

    def _save_change(self, aggregate: ItemAggregate) -> None:
        try:
            self.save(aggregate)
        except IntegrityError:
            raise Conflict(
                f"id: {aggregate.item.id!r}: another writer changed this item at the same time; "
                "nothing was written, run the command again"
            ) from None

    # Reading ------------------------------------------------------------------

    def history(self, item_id: str) -> list[Version]:
        versions = []
        item: Item | None = None
        for event in self.events.get(aggregate_id(item_id)):
            if isinstance(event, ItemAggregate.Recorded):
                item, action, changed, reason = event.item, "recorded", (), ""
            elif isinstance(event, ItemAggregate.Corrected):
                item, action, changed, reason = event.item, "corrected", tuple(event.changed), event.reason
            else:
                assert isinstance(event, ItemAggregate.Retracted)
                item, action, changed, reason = None, "retracted", (), event.reason
            versions.append(Version(event.originator_version, action, event.timestamp, item, changed, reason))
        if not versions:
            raise UnknownItem(item_id)
        return versions


# What PostgreSQL and SQLite say when two processes create the same tables (and the
# library's tracking record of its table migration) at once.
RACES = ("concurrently updated", "already exists", "duplicate key value", "deadlock detected",
         "UNIQUE constraint failed", "__migration__", "database is locked")


def creating_tables(create: Callable[[], object]) -> None:
    """Run `create`, which may create tables, again when it lost a race with another
    process creating the same PostgreSQL tables at once (one wins, the other retries)."""
    for attempt in range(ATTEMPTS):
        try:
            create()
            return
        except (PersistenceError, OSError, sqlite3.Error) as e:
            text = str(e)
            race = any(s in text for s in RACES)
            if attempt == ATTEMPTS - 1 or not race:
                raise
            time.sleep(random.uniform(0.05, 0.2))


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


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
from eventsourcing.persistence import IntegrityError, JSONTranscoder, PersistenceError, Recording, StoredEvent
from eventsourcing.utils import get_topic

from events import Item, Source
from ledger.aggregate import ItemAggregate, aggregate_id
from ledger.store import StoreSpec, StoreUnavailable
from ledger.transcodings import recorded_state, register_transcodings, stores_plain_json

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


class NothingToChange(ValueError):
    pass


@dataclass
class RecordResult:
    added: list[Any] = field(default_factory=list)  # Items, or their dicts (record_checked)
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
        for attempt in range(ATTEMPTS):
            try:
                super().__init__(env=spec.env_for_open())
                return
            except (PersistenceError, OSError, sqlite3.Error) as e:
                # Two processes creating the same PostgreSQL tables at once: one loses, retries.
                if attempt < ATTEMPTS - 1 and _is_ddl_race(e):
                    time.sleep(random.uniform(0.05, 0.2))
                    continue
                raise StoreUnavailable(f"db: {spec.shown!r}: cannot open the store ({_first_line(e)})") from None

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_transcodings(transcoder)

    # Writing ------------------------------------------------------------------

    def record(self, items: Sequence[Item]) -> RecordResult:
        """Store the items not stored yet, in one transaction; the rest are skipped."""
        return self._record_new(items, _item_id, self._put_items)

    def record_checked(self, items: Sequence[dict[str, Any]]) -> RecordResult:
        """`record` for the canonical dicts of items a check has passed (an import's
        spool): stored as `record` stores them, byte for byte, without an Item or an
        event object each (see recorded_state). No recordings: the view reads the log."""
        return self._record_new(items, itemgetter("id"), self._put_checked)

    def _record_new(self, items: Sequence[Any], id_of: Callable[[Any], str], put: Put) -> RecordResult:
        result = RecordResult()
        for attempt in range(ATTEMPTS):
            result = RecordResult()
            seen: set[str] = set()
            fresh = []
            for item in items:
                item_id = id_of(item)
                if item_id in seen:
                    result.skipped.append(item_id)
                else:
                    seen.add(item_id)
                    fresh.append(item)
            ids = [aggregate_id(id_of(i)) for i in fresh]
            existing = self.recorder.existing(ids)  # type: ignore[attr-defined]
            new = []
            for item, originator_id in zip(fresh, ids, strict=True):
                if originator_id in existing:
                    result.skipped.append(id_of(item))
                else:
                    result.added.append(item)
                    new.append((item, originator_id))
            if not new:
                return result
            try:
                result.recordings = put(new, self.clock())
            except IntegrityError:
                # Another writer stored some of these ids since we looked: look again.
                if attempt == ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0, 0.05 * (attempt + 1)))
                continue
            return result
        return result

    def _put_items(self, new: list[tuple[Item, UUID]], timestamp: datetime) -> list[Recording[UUID]]:
        # Straight to the event store: these are new aggregates' first events, and save()
        # would only collect them again, checking each against a protocol.
        return self.events.put([
            ItemAggregate.Recorded(
                originator_id=originator_id, originator_version=1, timestamp=timestamp,
                originator_topic=_ITEM_TOPIC, item=item, prev_hash="",
            )
            for item, originator_id in new
        ])

    def _put_checked(self, new: list[tuple[dict[str, Any], UUID]], timestamp: datetime) -> list[Recording[UUID]]:
        if not stores_plain_json(self.mapper):
            return self._put_items([(Item.from_stored(data), oid) for data, oid in new], timestamp)
        self.recorder.insert_events([
            StoredEvent(originator_id=oid, originator_version=1, topic=_RECORDED_TOPIC, state=recorded_state(data, timestamp))
            for data, oid in new
        ])
        return []

    @property
    def batch_size(self) -> int:
        return POSTGRES_BATCH_SIZE if self.spec.is_postgres else BATCH_SIZE

    def record_all(self, items: Iterable[Any], batch_size: int | None = None, *, checked: bool = False) -> Iterable[RecordResult]:
        """Items in batches, each batch a transaction; canonical dicts with `checked`."""
        record = self.record_checked if checked else self.record
        batch_size = batch_size or self.batch_size
        batch: list[Any] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield record(batch)
                batch = []
        if batch:
            yield record(batch)

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


def _is_ddl_race(error: BaseException) -> bool:
    text = str(error)
    return any(s in text for s in ("concurrently updated", "already exists", "duplicate key value"))


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


_ITEM_TOPIC = get_topic(ItemAggregate)
_RECORDED_TOPIC = get_topic(ItemAggregate.Recorded)


def _item_id(item: Item) -> str:
    return item.id


Put = Callable[[list[tuple[Any, UUID]], datetime], list[Recording[UUID]]]

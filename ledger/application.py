"""The ledger: append, correct, retract and read back items, as immutable events."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from operator import itemgetter
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, project_aggregate
from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import (
    IntegrityError, JSONTranscoder, Mapper, MapperDeserialisationError, PersistenceError, Recording, StoredEvent,
)
from eventsourcing.utils import get_topic

from events import Document, InvalidValue, Item, Source
from ledger.aggregate import (
    DocumentAggregate, ItemAggregate, LinkAggregate, aggregate_id, document_aggregate_id, link_aggregate_id, pair,
)
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
T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)


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


class UnknownDocument(LookupError):
    def __init__(self, document_id: str) -> None:
        super().__init__(f"document: {document_id!r}: no such document registered (`coop-ledger source list` lists them)")


class DocumentTaken(ValueError):
    """A document id registered with another text: a new text is a new document."""

    def __init__(self, document_id: str, sha256: str) -> None:
        super().__init__(
            f"id: {document_id!r}: is registered with another text (SHA-256 {sha256[:12]}...); "
            "register this one under a new id"
        )


class QuoteNotFound(InvalidValue):
    """A quote with a piece its registered document does not hold."""

    def __init__(self, item_id: str, document_id: str, piece: str) -> None:
        super().__init__("source.quote", piece, f"of item {item_id!r} is not in document {document_id!r}")


class BrokenEvent(Exception):
    """A stored event that is not one the ledger wrote: its state is not the JSON of one of
    its events, its topic names no event of an item, or its item's sequence has a gap.
    Only an edit of the store behind the ledger's back makes one; `verify` names it."""

    def __init__(self, where: str, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"db: {where} cannot be read ({reason}): the store was altered; `coop-ledger verify` lists what changed"
        )


# What each event of the ledger holds, as the ledger writes it: a stored state decoded into
# anything else would fail later, far from the store, as an AttributeError or worse.
_FIELDS: dict[type, dict[str, type | tuple[type, ...]]] = {
    ItemAggregate.Recorded: {"item": Item, "prev_hash": str, "originator_topic": str},
    ItemAggregate.Corrected: {"item": Item, "changed": list, "reason": str, "prev_hash": str},
    ItemAggregate.Retracted: {"item_id": str, "reason": str, "prev_hash": str},
    DocumentAggregate.Registered: {"document": Document, "prev_hash": str, "originator_topic": str},
    LinkAggregate.Linked: {"items": list, "reason": str, "prev_hash": str, "originator_topic": str},
    LinkAggregate.Unlinked: {"items": list, "reason": str, "prev_hash": str},
    LinkAggregate.Relinked: {"items": list, "reason": str, "prev_hash": str},
}
_EVENTS = {get_topic(cls): cls for cls in _FIELDS}
# Each aggregate by the event that creates it (its version 1), and the events it has.
_CREATED: dict[type, type[Aggregate]] = {
    ItemAggregate.Recorded: ItemAggregate, DocumentAggregate.Registered: DocumentAggregate,
    LinkAggregate.Linked: LinkAggregate,
}
_AGGREGATE_OF = {
    event: aggregate
    for aggregate, events in {
        ItemAggregate: (ItemAggregate.Recorded, ItemAggregate.Corrected, ItemAggregate.Retracted),
        DocumentAggregate: (DocumentAggregate.Registered,),
        LinkAggregate: (LinkAggregate.Linked, LinkAggregate.Unlinked, LinkAggregate.Relinked),
    }.items()
    for event in events
}


class LedgerMapper(Mapper[UUID]):
    """The library's mapper, for the ledger's own events only, each checked whole.

    The topic is looked up among the item's events before the library resolves it: a
    topic is a module path, and resolving one imports that module, whatever it is.
    """

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        name = f"aggregate {_hex(stored_event.originator_id)} version {stored_event.originator_version}"
        position = getattr(stored_event, "id", None)  # a notification's place in the log
        where = f"event {position} ({name})" if position is not None else name
        cls = _EVENTS.get(stored_event.topic) if isinstance(stored_event.topic, str) else None
        if cls is None:
            raise BrokenEvent(where, f"topic {stored_event.topic!r} is no event of the ledger")
        if not isinstance(stored_event.state, bytes):
            raise BrokenEvent(where, f"its state is {type(stored_event.state).__name__}, not bytes")
        if type(stored_event.originator_version) is not int or stored_event.originator_version < 1:
            raise BrokenEvent(where, f"version {stored_event.originator_version!r} is not a whole number from 1")
        try:
            event = super().to_domain_event(stored_event)
        except MapperDeserialisationError as e:  # not JSON, or JSON of no valid item
            cause = e.__cause__
            reason = f"its state is not JSON ({cause})" if isinstance(cause, ValueError) and not isinstance(
                cause, InvalidValue) else str(cause or e)
            raise BrokenEvent(where, " ".join(reason.split())) from None
        except Exception as e:  # noqa: BLE001 -- JSON, but not an object of an event's fields
            raise BrokenEvent(where, f"its state is not an event's fields ({type(e).__name__}: {e})") from None
        state = vars(event)
        for name, kind in {**_FIELDS[cls], "timestamp": datetime}.items():
            if name not in state:
                raise BrokenEvent(where, f"its state has no {name}")
            if not isinstance(state[name], kind):
                raise BrokenEvent(where, f"{name} is {type(state[name]).__name__}, not {_names(kind)}")
        if cls in _CREATED and state["originator_topic"] != get_topic(_CREATED[cls]):
            raise BrokenEvent(where, f"originator_topic {state['originator_topic']!r} is not a {_CREATED[cls].__name__}'s")
        if "items" in state and not (len(state["items"]) == 2 and all(isinstance(i, str) for i in state["items"])):
            raise BrokenEvent(where, f"items {state['items']!r} is not a pair of item ids")
        return event


def _hex(originator_id: object) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else str(originator_id)


def _names(kind: type | tuple[type, ...]) -> str:
    return " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))


def _projector(kind: type[Aggregate]) -> Callable[..., Any]:
    """The library's projection, on the events of an aggregate of `kind` in their order
    only: created at version 1, then one version after another. A gap (an event deleted)
    would otherwise fail inside the library, or build an aggregate from the wrong events."""

    def project(aggregate: Aggregate | None, events: Iterable[DomainEventProtocol[UUID]]) -> Aggregate | None:
        expected = aggregate.version + 1 if aggregate is not None else 1
        checked = []
        for event in events:
            version = event.originator_version
            where = f"aggregate {_hex(event.originator_id)}"
            if version != expected:
                raise BrokenEvent(where, f"version {expected} is missing: the next event is version {version}")
            if _AGGREGATE_OF.get(type(event)) is not kind or (version == 1) != (type(event) in _CREATED):
                raise BrokenEvent(where, f"version {version} is {type(event).__name__.lower()}")
            checked.append(event)
            expected += 1
        return project_aggregate(aggregate, checked)

    return project


_PROJECTORS = {kind: _projector(kind) for kind in _CREATED.values()}


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
        # Documents as looked up, None for an id not registered: an import asks for the
        # same one or two on every line.
        self._documents: dict[str, Document | None] = {}
        try:
            creating_tables(lambda: Application.__init__(self, env=spec.env_for_open()))
        except (PersistenceError, OSError, sqlite3.Error) as e:
            raise StoreUnavailable(f"db: {spec.shown!r}: cannot open the store ({_first_line(e)})") from None

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=LedgerMapper)

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
            for item in fresh.values():
                self.check_quote(item)
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
        aggregate = self._get(ItemAggregate, aggregate_id(item_id))
        if aggregate is None:
            raise UnknownItem(item_id)
        return aggregate

    def _get(self, kind: type[A], originator_id: UUID) -> A | None:
        """The aggregate of `kind` with this id, its events checked (see _projector), or None."""
        try:
            aggregate = self.repository.get(originator_id, projector_func=_PROJECTORS[kind])
        except AggregateNotFoundError:
            return None
        assert isinstance(aggregate, kind)
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
        self.check_quote(new)
        before, after = aggregate.item.to_dict(), new.to_dict()
        changed = [key for key in after if before[key] != after[key]]
        if not changed:
            raise NothingToChange(f"id: {item_id!r}: the correction changes nothing")
        aggregate.correct(new, changed, reason, self._hash_of(aggregate), self.clock())
        self._save_change(aggregate, item_id)
        return aggregate

    def retract(self, item_id: str, reason: str, based_on: ItemAggregate | None = None) -> ItemAggregate:
        aggregate = based_on or self.load(item_id)
        if aggregate.retracted:
            raise NothingToChange(f"id: {item_id!r}: the item is already retracted")
        aggregate.retract(reason, self._hash_of(aggregate), self.clock())
        self._save_change(aggregate, item_id)
        return aggregate

    # Documents ------------------------------------------------------------------

    def register(self, document: Document) -> bool:
        """Record the document; False when it is registered already with the same text.
        The same id with another text raises DocumentTaken."""
        self._documents.pop(document.id, None)  # another writer may have registered it
        known = self.document(document.id, missing_ok=True)
        if known is None:
            try:
                self.save(DocumentAggregate.register(document, self.clock()))
                self._documents[document.id] = document
                return True
            except IntegrityError:  # registered by another writer since we looked: read theirs
                self._documents.pop(document.id, None)
                known = self.document(document.id)
                assert known is not None
        if known.sha256 != document.sha256:
            raise DocumentTaken(document.id, known.sha256)
        return False

    def document(self, document_id: str, *, missing_ok: bool = False) -> Document | None:
        """The registered document (kept for the ledger's life: a document never changes)."""
        if document_id not in self._documents:
            aggregate = self._get(DocumentAggregate, document_aggregate_id(document_id))
            self._documents[document_id] = aggregate.document if aggregate else None
        found = self._documents[document_id]
        if found is None and not missing_ok:
            raise UnknownDocument(document_id)
        return found

    def check_quote(self, item: Item) -> None:
        """Raise QuoteNotFound when the item's document is registered and its quote has a
        piece the document does not hold; a document not registered is not checked."""
        document = self.document(item.source.document, missing_ok=True)
        if document is not None:
            missing = document.missing(item.source)
            if missing:
                raise QuoteNotFound(item.id, document.id, missing[0])

    # Links ----------------------------------------------------------------------

    def link(self, a: str, b: str, reason: str) -> LinkAggregate:
        """Record that items a and b are one real-world item."""
        if a == b:
            raise InvalidValue("same-as", b, "is the item itself")
        for item_id in (a, b):
            if self.load(item_id).retracted:
                raise NothingToChange(f"id: {item_id!r}: the item is retracted; it cannot be linked")
        aggregate = self._link_of(a, b)
        if aggregate is None:
            aggregate = LinkAggregate.link((a, b), reason, self.clock())
        elif aggregate.linked:
            raise NothingToChange(f"id: {a!r}: is already linked to {b!r}")
        else:
            aggregate.relink(reason, self._hash_of(aggregate), self.clock())
        self._save_change(aggregate, a)
        return aggregate

    def unlink(self, a: str, b: str, reason: str) -> LinkAggregate:
        """Record that items a and b, linked before, are two real-world items after all."""
        aggregate = self._link_of(a, b)
        if aggregate is None or not aggregate.linked:
            raise NothingToChange(f"id: {a!r}: is not linked to {b!r}")
        aggregate.unlink(reason, self._hash_of(aggregate), self.clock())
        self._save_change(aggregate, a)
        return aggregate

    def _link_of(self, a: str, b: str) -> LinkAggregate | None:
        return self._get(LinkAggregate, link_aggregate_id(pair(a, b)))

    def _hash_of(self, aggregate: Aggregate) -> str:
        return self.recorder.event_hash_of(aggregate.id, aggregate.version) or ""  # type: ignore[attr-defined]

    def _save_change(self, aggregate: Aggregate, item_id: str) -> None:
        try:
            self.save(aggregate)
        except IntegrityError:
            raise Conflict(
                f"id: {item_id!r}: another writer changed this item at the same time; "
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


def creating_tables(create: Callable[[], T]) -> T:
    """Run `create`, which may create tables, again when it lost a race with another
    process creating the same tables at once (one wins, the other retries); its result."""
    for attempt in range(ATTEMPTS):
        try:
            return create()
        except (PersistenceError, OSError, sqlite3.Error) as e:
            text = str(e)
            race = any(s in text for s in RACES)
            if attempt == ATTEMPTS - 1 or not race:
                raise
            time.sleep(random.uniform(0.05, 0.2))
    raise AssertionError("unreachable: the last attempt returns or raises")


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


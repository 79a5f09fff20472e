"""The aggregates: one event-sourced sequence per item, per document, per linked pair."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from eventsourcing.domain import Aggregate

from events import Document, Item

# Item ids are the user's; aggregate ids are derived from them, so the same item
# recorded twice lands on the same sequence and the store refuses the copy.
# Documents and links have namespaces of their own, so no id of one can be another's.
_NAMESPACE = uuid.UUID("5b2c8a5e-0d6f-4c64-9a55-0c9b7e0f3a11")
_DOCUMENTS = uuid.UUID("0f1d7c1e-5a53-4f0e-8d3a-6b1f2c9e4d27")
_LINKS = uuid.UUID("8e6a3b90-2c4d-4b7f-a1e5-3d9c0f6b8a42")


def aggregate_id(item_id: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, item_id)


def document_aggregate_id(document_id: str) -> uuid.UUID:
    return uuid.uuid5(_DOCUMENTS, document_id)


def pair(a: str, b: str) -> tuple[str, str]:
    """Two item ids in the order a link keeps them: a link of a to b is one of b to a."""
    return (a, b) if a <= b else (b, a)


def link_aggregate_id(items: tuple[str, str]) -> uuid.UUID:
    return uuid.uuid5(_LINKS, "\x1f".join(pair(*items)))


class ItemAggregate(Aggregate):
    """An item as the ledger knows it now, and every version it knew before."""

    class Recorded(Aggregate.Created):
        item: Item
        prev_hash: str

    class Corrected(Aggregate.Event):
        item: Item
        changed: list[str]
        reason: str
        prev_hash: str

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, ItemAggregate)
            aggregate.item = self.item

    class Retracted(Aggregate.Event):
        item_id: str
        reason: str
        prev_hash: str

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, ItemAggregate)
            aggregate.retracted = True

    def __init__(self, item: Item, prev_hash: str) -> None:
        self.item = item
        self.retracted = False

    @classmethod
    def record(cls, item: Item, timestamp: datetime) -> ItemAggregate:
        return cls._create(
            cls.Recorded, id=aggregate_id(item.id), item=item, prev_hash="", timestamp=timestamp
        )

    def correct(self, item: Item, changed: list[str], reason: str, prev_hash: str, timestamp: datetime) -> None:
        self.trigger_event(
            self.Corrected, item=item, changed=changed, reason=reason, prev_hash=prev_hash, timestamp=timestamp
        )

    def retract(self, reason: str, prev_hash: str, timestamp: datetime) -> None:
        self.trigger_event(self.Retracted, item_id=self.item.id, reason=reason, prev_hash=prev_hash, timestamp=timestamp)


class DocumentAggregate(Aggregate):
    """A registered document. Its text never changes: another text is another document."""

    class Registered(Aggregate.Created):
        document: Document
        prev_hash: str

    def __init__(self, document: Document, prev_hash: str) -> None:
        self.document = document

    @classmethod
    def register(cls, document: Document, timestamp: datetime) -> DocumentAggregate:
        return cls._create(
            cls.Registered, id=document_aggregate_id(document.id), document=document, prev_hash="",
            timestamp=timestamp,
        )


class LinkAggregate(Aggregate):
    """A person's decision that two items are one real-world item, reported twice; or,
    once unlinked, that they are not. Each event names both items, so the read model
    folds it without loading the link."""

    class Linked(Aggregate.Created):
        items: list[str]
        reason: str
        prev_hash: str

    class Decided(Aggregate.Event):
        """The decision changed: `linked` says to what."""

        items: list[str]
        reason: str
        prev_hash: str
        linked: ClassVar[bool]

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, LinkAggregate)
            aggregate.linked = self.linked

    class Unlinked(Decided):
        linked = False

    class Relinked(Decided):
        linked = True

    def __init__(self, items: list[str], reason: str, prev_hash: str) -> None:
        self.items = items
        self.linked = True

    @classmethod
    def link(cls, items: tuple[str, str], reason: str, timestamp: datetime) -> LinkAggregate:
        return cls._create(
            cls.Linked, id=link_aggregate_id(items), items=list(pair(*items)), reason=reason, prev_hash="",
            timestamp=timestamp,
        )

    def unlink(self, reason: str, prev_hash: str, timestamp: datetime) -> None:
        self.trigger_event(self.Unlinked, items=self.items, reason=reason, prev_hash=prev_hash, timestamp=timestamp)

    def relink(self, reason: str, prev_hash: str, timestamp: datetime) -> None:
        self.trigger_event(self.Relinked, items=self.items, reason=reason, prev_hash=prev_hash, timestamp=timestamp)

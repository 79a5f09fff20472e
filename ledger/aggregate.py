"""The item aggregate: one event-sourced sequence per recorded item."""

from __future__ import annotations

import uuid
from datetime import datetime

from eventsourcing.domain import Aggregate

from events import Item

# Item ids are the user's; aggregate ids are derived from them, so the same item
# recorded twice lands on the same sequence and the store refuses the copy.
_NAMESPACE = uuid.UUID("5b2c8a5e-0d6f-4c64-9a55-0c9b7e0f3a11")


def aggregate_id(item_id: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, item_id)


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

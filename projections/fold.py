"""The timeline read model as a pure fold over events: the current version of every item."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ledger.aggregate import ItemAggregate
from projections.timeline import Row


@dataclass(frozen=True, slots=True)
class Upsert:
    row: Row
    replaces: bool = False  # True when the item had a row before (a correction)


@dataclass(frozen=True, slots=True)
class Delete:
    item_id: str


Change = Upsert | Delete
State = dict[str, Row]


def change_of(event: object, seq: int, current: Row | None = None) -> Change:
    """What one stored event does to the timeline; a correction keeps the item's place."""
    if isinstance(event, ItemAggregate.Recorded):
        return Upsert(Row(event.item, seq, event.timestamp))
    if isinstance(event, ItemAggregate.Corrected):
        return Upsert(Row(event.item, current.seq if current else seq, event.timestamp), replaces=True)
    if isinstance(event, ItemAggregate.Retracted):
        return Delete(event.item_id)
    raise TypeError(f"not an item event: {type(event).__name__}")


def collapse(changes: Iterable[Change]) -> list[Change]:
    """One change per item for a batch written at once: its last, keeping its first place."""
    final: dict[str, Change] = {}
    for change in changes:
        key = change.row.item.id if isinstance(change, Upsert) else change.item_id
        before = final.get(key)
        if isinstance(change, Upsert) and isinstance(before, Upsert):
            change = Upsert(Row(change.row.item, before.row.seq, change.row.recorded_at), before.replaces)
        final[key] = change
    return list(final.values())


def apply(state: State, event: object, seq: int) -> State:
    """Fold one event into the state (the state is owned by the fold and updated in place)."""
    item = getattr(event, "item", None)
    change = change_of(event, seq, state.get(item.id) if item is not None else None)
    if isinstance(change, Upsert):
        state[change.row.item.id] = change.row
    else:
        state.pop(change.item_id, None)
    return state

"""The timeline read model: the current version of every item, as a pure fold over events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from events import Item, Kind
from ledger.aggregate import ItemAggregate


@dataclass(frozen=True, slots=True)
class Row:
    """An item as the timeline shows it: `seq` is its place in record order."""

    item: Item
    seq: int
    recorded_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {**self.item.to_dict(), "recorded_at": self.recorded_at.isoformat()}


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



def in_window(item: Item, lower: date, upper: date, *, strict: bool) -> str | None:
    """The certainty of the item in [lower, upper]: "within", "overlaps" (it may), or None."""
    if item.when.within(lower, upper):
        return "within"
    if not strict and item.when.overlaps(lower, upper):
        return "overlaps"
    return None


def select(
    rows: Iterable[Row], lower: date, upper: date, *, strict: bool = False, kinds: Iterable[Kind] = ()
) -> list[tuple[Row, str]]:
    """The rows of a window, sorted by lower bound, ties in record order."""
    wanted = set(kinds)
    chosen = []
    for row in rows:
        if wanted and row.item.kind not in wanted:
            continue
        certainty = in_window(row.item, lower, upper, strict=strict)
        if certainty:
            chosen.append((row, certainty))
    chosen.sort(key=lambda pair: (pair[0].item.when.lower or date.min, pair[0].seq))
    return chosen


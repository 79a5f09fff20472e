"""The read model as a pure fold over events: the current version of every item."""

from __future__ import annotations

from ledger.aggregate import ItemAggregate
from projections.timeline import Row

State = dict[str, Row]


def item_id_of(event: object) -> str:
    if isinstance(event, ItemAggregate.Retracted):
        return event.item_id
    if isinstance(event, (ItemAggregate.Recorded, ItemAggregate.Corrected)):
        return event.item.id
    raise TypeError(f"not an item event: {type(event).__name__}")


def apply(state: State, event: object, seq: int) -> State:
    """Fold one event, the `seq`-th of the log, into the state (updated in place).

    A correction keeps the item's place in record order, so a corrected item is listed
    where it was first recorded; a retraction removes it.
    """
    if isinstance(event, ItemAggregate.Retracted):
        state.pop(event.item_id, None)
    elif isinstance(event, ItemAggregate.Corrected):
        current = state.get(event.item.id)
        state[event.item.id] = Row(event.item, current.seq if current else seq, event.timestamp)
    elif isinstance(event, ItemAggregate.Recorded):
        state[event.item.id] = Row(event.item, seq, event.timestamp)
    else:
        raise TypeError(f"not an item event: {type(event).__name__}")
    return state

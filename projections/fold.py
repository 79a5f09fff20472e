"""The read model as a pure fold over events: the current version of every item, the
links people made between items, and the registered documents."""

from __future__ import annotations

from ledger.aggregate import DocumentAggregate, ItemAggregate, LinkAggregate, pair
from projections.state import Link, Pair, Registered, State
from projections.timeline import Row

def item_id_of(event: object) -> str | None:
    """The item an event changes, or None for an event of a document or a link."""
    if isinstance(event, ItemAggregate.Retracted):
        return event.item_id
    if isinstance(event, (ItemAggregate.Recorded, ItemAggregate.Corrected)):
        return event.item.id
    if isinstance(event, (DocumentAggregate.Registered, LinkAggregate.Event)):
        return None
    raise TypeError(f"not an event of the ledger: {type(event).__name__}")


def pair_of(event: object) -> Pair | None:
    """The two items a link event is about, or None for another event."""
    if isinstance(event, LinkAggregate.Event):
        return pair(*event.items)  # type: ignore[attr-defined]
    return None


def apply(state: State, event: object, seq: int) -> State:
    """Fold one event, the `seq`-th of the log, into the state (updated in place).

    A correction keeps the item's place in record order, so a corrected item is listed
    where it was first recorded; a retraction removes it (a link to it then joins
    nothing: items are one only while both are current).
    """
    rows = state.rows
    if isinstance(event, ItemAggregate.Retracted):
        rows.pop(event.item_id, None)
    elif isinstance(event, ItemAggregate.Corrected):
        current = rows.get(event.item.id)
        rows[event.item.id] = Row(event.item, current.seq if current else seq, event.timestamp)
    elif isinstance(event, ItemAggregate.Recorded):
        rows[event.item.id] = Row(event.item, seq, event.timestamp)
    elif isinstance(event, (LinkAggregate.Linked, LinkAggregate.Relinked)):
        items = pair(*event.items)
        state.links[items] = Link(items, seq)
    elif isinstance(event, LinkAggregate.Unlinked):
        state.links.pop(pair(*event.items), None)
    elif isinstance(event, DocumentAggregate.Registered):
        state.documents[event.document.id] = Registered(event.document, seq, event.timestamp)
    else:
        raise TypeError(f"not an event of the ledger: {type(event).__name__}")
    return state

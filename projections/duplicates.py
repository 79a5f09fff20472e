"""Probable duplicates among the items the view shows: the scoring is ledger.matching's,
the candidates are the view's rows of the same kinds and nearby dates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from events import Item, Kind
from ledger.matching import Match, across_documents
from projections.timeline import Window


def probable(view, new: Iterable[Item]) -> list[Match]:  # type: ignore[no-untyped-def]
    """The probable duplicates of the new items among the items of other documents the
    view shows, best first. A group of linked items is shown, and so compared, as one: its
    members are never proposed again, and a new report of it is proposed once."""
    new = list(new)
    spans: dict[Kind, list[date]] = defaultdict(list)
    for item in new:
        spans[item.kind].extend(d for d in (item.when.lower, item.when.upper) if d is not None)
    known = []
    for kind, days in spans.items():
        window = Window(min(days), max(days), kinds=frozenset([kind])) if days else Window(date.min, date.max)
        known.extend(entry.row.item for entry in view.timeline(window))
    shown = {item.id for item in known}
    return across_documents([i for i in new if i.id in shown], known)

"""The timeline's row, and which rows a date window holds (the fold over events is in fold.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from events import Item, Kind


@dataclass(frozen=True, slots=True)
class Row:
    """An item as the timeline shows it: `seq` is its place in record order."""

    item: Item
    seq: int
    recorded_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {**self.item.to_dict(), "recorded_at": self.recorded_at.isoformat()}


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


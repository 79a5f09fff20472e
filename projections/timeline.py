"""The timeline's row, and which rows a date window holds (the fold over events is in fold.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from events import Item, Kind, When


@dataclass(frozen=True, slots=True)
class Row:
    """An item as the timeline shows it: `seq` is its place in record order. `same` are
    the items linked to it as the same real-world item, reported by other sources: the
    timeline shows them as this one row (see sameness.py)."""

    item: Item
    seq: int
    recorded_at: datetime
    same: tuple[Item, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The export form: the item as an import line takes it, and when it was recorded."""
        return {**self.item.to_dict(), "recorded_at": self.recorded_at.isoformat()}

    def timeline_dict(self) -> dict[str, Any]:
        """The timeline's form: the export form with every source that reports the item."""
        sources = [{"item": i.id, **i.source.to_dict()} for i in (self.item, *self.same)]
        return {**self.item.to_dict(), "sources": sources, "recorded_at": self.recorded_at.isoformat()}


@dataclass(frozen=True, slots=True)
class Window:
    """The days [lower, upper] a timeline asks for; `strict` keeps only what lies within.

    An item lies "within" when every day its date may mean is in the window, and
    "overlaps" when only some are (`2023` overlaps April 2023). An open end (`2021/..`)
    reaches without bound that way.
    """

    lower: date
    upper: date
    strict: bool = False
    kinds: frozenset[Kind] = frozenset()

    def holds(self, kind: str, when: When) -> str | None:
        """"within", "overlaps", or None when the window does not hold an item of this
        kind and date (a kind is a str enum, so its value stands for it)."""
        if self.kinds and kind not in self.kinds:
            return None
        if when.within(self.lower, self.upper):
            return "within"
        if not self.strict and when.overlaps(self.lower, self.upper):
            return "overlaps"
        return None


def order_key(when: When, seq: int) -> tuple[bool, date, int]:
    """Timeline order: by first day, ties in record order; items with no first day (an
    undated fact, at the latest its upper bound) after every dated one, never first as
    if they were the earliest."""
    return (when.lower is None, when.lower or date.min, seq)


def select(rows: Iterable[Row], window: Window) -> list[tuple[Row, str]]:
    """The rows of a window in timeline order, each with its certainty."""
    chosen = [(row, c) for row in rows if (c := window.holds(row.item.kind, row.item.when))]
    chosen.sort(key=lambda pair: order_key(pair[0].item.when, pair[0].seq))
    return chosen

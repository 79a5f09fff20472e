"""The two questions every view answers, whichever view it is: a window, and totals.

Kept apart from the runner so that reading commands load no event-store module: a view
is anything with these methods (the caught-up read model, the same tables read directly,
or the ledger as known at a past moment).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from events import Kind
from projections.rows import Entry
from projections.timeline import Row
from projections.totals import Total


class View(Protocol):
    def timeline(self, lower: date, upper: date, *, strict: bool = False, kinds: Iterable[Kind] = ()) -> list[Entry]: ...

    def all_rows(self) -> list[Row]: ...

    def totals(self, as_of: date, metrics: Sequence[str], by: str, cumulative: bool, ids: bool) -> list[Total]: ...


def timeline(
    view: View, lower: date, upper: date, *, strict: bool = False, kinds: Iterable[Kind] = ()
) -> list[Entry]:
    """The items of [lower, upper] by lower bound, ties in record order, each with its certainty."""
    return view.timeline(lower, upper, strict=strict, kinds=kinds)


def compute_totals(
    view: View, as_of: date, metrics: Sequence[str] = (), by: str = "scope", cumulative: bool = False,
    *, ids: bool = True,
) -> list[Total]:
    """Every (metric, scope) as of the day. With `ids` False a view may leave each total's
    item ids unread, keeping only their number (what a table shows)."""
    return view.totals(as_of, metrics, by, cumulative, ids)

"""What a page of changes writes to the view: plain rows, made apart from the writing.

Making the rows is most of a rebuild's Python work and needs no database, so it can run
in another process (see projections.feed) while this one writes the page before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from projections.fold import Change, Delete, Upsert, collapse
from projections.rows import FIGURE_KEY, row_params

# A timeline row's key, its place (row_params's first value).
_PLACE = itemgetter(0)


@dataclass(frozen=True, slots=True)
class Writes:
    """The rows one page of changes deletes and writes, each a tuple of SQL parameters."""

    stale: list[tuple[str]]  # items whose figures go: retracted or corrected
    deletes: list[tuple[str]]  # items whose timeline row goes: retracted
    timeline: list[tuple]  # row_params's timeline rows, inserted or replacing the item's row
    figures: list[tuple]  # row_params's figure rows


def writes_of(changes: Sequence[Change]) -> Writes:
    """One item's last change of the page counts (collapse); rows come in key order, so
    that each B-tree page is visited once, not once per row."""
    changes = collapse(changes)
    # A first recording has no figures yet; only corrections and retractions replace some.
    deletes = [(ch.item_id,) for ch in changes if isinstance(ch, Delete)]
    stale = deletes + [(ch.row.item.id,) for ch in changes if isinstance(ch, Upsert) and ch.replaces]
    timeline, figures = [], []
    for change in changes:
        if isinstance(change, Upsert):
            row, its_figures = row_params(change.row)
            timeline.append(row)
            figures += its_figures
    return Writes(stale, deletes, sorted(timeline, key=_PLACE), sorted(figures, key=FIGURE_KEY))

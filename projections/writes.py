"""What a page of changes writes to the view: plain rows, made apart from the writing.

Making the rows is most of a rebuild's Python work and needs no database, so it can run
in another process (see projections.feed) while this one writes the page before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from projections.fold import Change, Delete, Upsert, collapse
from projections.rows import figure_params, timeline_params

# The keys of timeline_params and figure_params rows: place; (metric, scope, lower, item_id).
_PLACE = itemgetter(0)
_FIGURE_KEY = itemgetter(1, 2, 7, 0)


@dataclass(frozen=True, slots=True)
class Writes:
    """The rows one page of changes deletes and writes, each a tuple of SQL parameters."""

    stale: list[tuple[str]]  # items whose figures go: retracted or corrected
    deletes: list[tuple[str]]  # items whose timeline row goes: retracted
    timeline: list[tuple]  # timeline_params rows, inserted or replacing the item's row
    figures: list[tuple]  # figure_params rows

    def __len__(self) -> int:
        return len(self.stale) + len(self.deletes) + len(self.timeline) + len(self.figures)


def writes_of(changes: Sequence[Change]) -> Writes:
    """One item's last change of the page counts (collapse); rows come in key order, so
    that each B-tree page is visited once, not once per row."""
    changes = collapse(changes)
    # A first recording has no figures yet; only corrections and retractions replace some.
    deletes = [(ch.item_id,) for ch in changes if isinstance(ch, Delete)]
    stale = deletes + [(ch.row.item.id,) for ch in changes if isinstance(ch, Upsert) and ch.replaces]
    upserts = [ch.row for ch in changes if isinstance(ch, Upsert)]
    return Writes(
        stale,
        deletes,
        sorted((timeline_params(r) for r in upserts), key=_PLACE),
        sorted((p for r in upserts for p in figure_params(r)), key=_FIGURE_KEY),
    )

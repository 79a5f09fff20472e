"""Probable duplicates among the current items: the scoring is ledger.matching's, the
candidates are items of other documents, of the same kind and nearby dates."""

from __future__ import annotations

from collections.abc import Iterable

from events import Item
from ledger.matching import DateIndex, Match, candidates, matches_of


def probable(view, new: Iterable[Item], before: int | None = None) -> list[Match]:  # type: ignore[no-untyped-def]
    """The probable duplicates of items just recorded, each found among the view's items
    of its kind and nearby dates from other documents (one indexed read per item); with
    `before`, among those recorded by that position of the log only: an import warns of
    items already recorded, not of the lines of its own file (`duplicates` lists those)."""
    found = (m for item, titles, others in view.near(new, before) for m in matches_of(item, titles, others))
    return _kept(view, found)


def every(view) -> list[Match]:  # type: ignore[no-untyped-def]
    """Every probable pair among the current items (`coop-ledger duplicates`), all read
    at once and indexed in memory."""
    items = [row.item for row in view.rows()]
    return _kept(view, candidates(items, DateIndex(items)))


def _kept(view, matches: Iterable[Match]) -> list[Match]:  # type: ignore[no-untyped-def]
    """Each pair once, best first, without pairs already linked as one."""
    sameness = view.sameness()
    found: dict[frozenset[str], Match] = {}
    for match in matches:
        if not sameness.together(*match.items):
            found.setdefault(frozenset(match.items), match)
    return sorted(found.values(), key=lambda m: (-m.score, m.items))

"""Probable duplicates: two recorded items that are probably one real-world item.

The signs, each worth a share of the score: a similar title (the largest share, since two
signings of one month with the same investment are still two signings), the same kind,
overlapping dates, shared actors or places, equal figures. Items whose dates do not overlap
are never duplicates. The signs other than the title add up to less than `THRESHOLD`, so no
pair is probable without a similar title; the candidate search relies on that. The search
also compares items of one kind only (`DateIndex`, and the view's `near`), so "same kind"
always holds among its candidates: `score` counts it for a pair scored on its own, and a
draft of the wrong kind is found once a reviewer corrects its kind.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process

from events import Item, Kind
from events.when import bounds, reach, span_class

THRESHOLD = 0.7
# A title ratio (0-100) at or below this says nothing: unrelated Chinese titles of this
# ledger share words (淮南, 项目, 签约) and reach it.
_TITLE_FLOOR = 50
_WEIGHTS = {"title": 0.4, "kind": 0.15, "date": 0.15, "names": 0.15, "figures": 0.15}


@dataclass(frozen=True, slots=True)
class Match:
    """Two items that are probably one, as `duplicates -f json` lists them."""

    items: tuple[str, str]
    score: float
    why: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"items": list(self.items), "score": self.score, "why": list(self.why)}


def score(a: Item, b: Item) -> tuple[float, tuple[str, ...]]:
    """How probably `a` and `b` are one item, in [0, 1], and the signs that say so."""
    a_lower, a_upper = bounds(a.when)
    if not b.when.overlaps(a_lower, a_upper):
        return 0.0, ("dates do not overlap",)
    why: list[str] = []
    total = 0.0
    ratio = fuzz.ratio(a.title, b.title)
    if ratio > _TITLE_FLOOR:
        total += _WEIGHTS["title"] * (ratio - _TITLE_FLOOR) / (100 - _TITLE_FLOOR)
        why.append(f"similar title ({ratio:.0f}%)")
    if a.kind is b.kind:
        total += _WEIGHTS["kind"]
        why.append(f"same kind ({a.kind.value})")
    if (a.when.lower, a.when.upper) == (b.when.lower, b.when.upper):
        total += _WEIGHTS["date"]
        why.append(f"same date ({a.when.text})")
    else:
        total += _WEIGHTS["date"] / 2
        why.append(f"overlapping dates ({a.when.text}, {b.when.text})")
    a_names, b_names = {*a.actors, *a.places}, {*b.actors, *b.places}
    shared = a_names & b_names
    if shared:
        total += _WEIGHTS["names"] * len(shared) / len(a_names | b_names)
        why.append("shared names (" + ", ".join(sorted(shared)) + ")")
    a_figures, b_figures = _figures(a), _figures(b)
    equal = a_figures & b_figures
    if equal:
        total += _WEIGHTS["figures"] * len(equal) / len(a_figures | b_figures)
        why.append("equal figures (" + ", ".join(sorted(f"{m} {v}" for m, v, _, _ in equal)) + ")")
    return round(total, 3), tuple(why)


def _figures(item: Item) -> set[tuple[str, str, str, str]]:
    return {(m.metric, str(m.value), m.unit, m.qualifier.value) for m in item.measures}


class DateIndex:
    """Recorded items by kind and span class (`span_class`), each group sorted by first day,
    to find those of a new item's kind whose dates may overlap it: one bisection per group.
    A draft whose kind is wrong is found once its kind is corrected, as a reviewer does
    before importing it.
    """

    def __init__(self, items: Iterable[Item]) -> None:
        groups: dict[tuple[Kind, int], list[tuple[int, Item]]] = {}
        for item in items:
            groups.setdefault((item.kind, span_class(item.when)), []).append((bounds(item.when)[0].toordinal(), item))
        self._groups: dict[Kind, list[tuple[int, list[int], list[Item]]]] = {}
        for (kind, cls), rows in groups.items():
            rows.sort(key=lambda row: row[0])
            kept = [r[1] for r in rows]
            self._groups.setdefault(kind, []).append((reach(cls), [r[0] for r in rows], kept))

    def near(self, item: Item) -> Iterable[list[Item]]:
        """Per group of the item's kind, the items whose first day may let them overlap it."""
        lower, upper = (d.toordinal() for d in bounds(item.when))
        for longest, lowers, items in self._groups.get(item.kind, ()):
            i = bisect.bisect_left(lowers, lower - longest)
            j = bisect.bisect_right(lowers, upper)
            if i < j:
                yield items[i:j]


def candidates(new: Sequence[Item], index: DateIndex, threshold: float = THRESHOLD) -> list[Match]:
    """Every probable duplicate of each new item among the indexed ones, best first."""
    matches = [m for item in new for near in index.near(item)
               for m in matches_of(item, [i.title for i in near], lambda ks, near=near: [near[k] for k in ks], threshold)]
    matches.sort(key=lambda m: -m.score)
    return matches


def title_cutoff(threshold: float) -> float:
    """The title ratio below which a pair cannot reach the threshold, even with every
    other sign at its full weight: titles below it are never read further."""
    others = sum(_WEIGHTS.values()) - _WEIGHTS["title"]
    needed = max(threshold - others, 0) / _WEIGHTS["title"]
    return _TITLE_FLOOR + needed * (100 - _TITLE_FLOOR) - 1e-9


def matches_of(
    item: Item, titles: Sequence[str], others: Callable[[list[int]], list[Item]], threshold: float = THRESHOLD
) -> list[Match]:
    """Of the others (their titles, and `others(ks)` those at the places ks in full), those that are
    probably the item: never the item itself, nor an item of its own document (within one
    report two alike items are two facts, two signings of one day, so only a second source
    repeats one).

    Titles are compared first, in one call (rapidfuzz's C loop): a pair whose titles are
    less similar than `title_cutoff` cannot reach the threshold, so only the rest are read
    in full and scored.
    """
    similar = process.extract(item.title, titles, scorer=fuzz.ratio, score_cutoff=title_cutoff(threshold), limit=None)
    found = []
    for candidate in others([k for _, _, k in similar]) if similar else ():
        if candidate.id == item.id or candidate.source.document == item.source.document:
            continue
        value, why = score(item, candidate)
        if value >= threshold:
            found.append(Match((item.id, candidate.id), value, why))
    return found

"""Probable duplicates: two recorded items that are probably one real-world item.

The signs, each worth a share of the score: a similar title (the largest share, since two
signings of one month with the same investment are still two signings), the same kind,
overlapping dates, shared actors or places, equal figures. Items whose dates do not overlap
are never duplicates. The signs other than the title add up to less than `THRESHOLD`, so no
pair is probable without a similar title; the candidate search relies on that.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process

from events import Item, Kind, When

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


def _bounds(when: When) -> tuple[date, date]:
    """The days a date may mean; an open end is read at its known end ("nearby dates")."""
    lower = when.lower or when.upper
    upper = when.upper or when.lower
    assert lower is not None and upper is not None
    return lower, upper


def score(a: Item, b: Item) -> tuple[float, tuple[str, ...]]:
    """How probably `a` and `b` are one item, in [0, 1], and the signs that say so."""
    a_lower, a_upper = _bounds(a.when)
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
    """Recorded items by kind and date, to find those of a new item's kind whose dates overlap.

    Within a kind, items are kept in groups by how many days their date spans (1, 2-3, 4-7,
    ... days), each sorted by first day: an item of a group overlaps [lower, upper] only if
    its first day lies in [lower - the group's longest span, upper], one bisection per group.
    A draft whose kind is wrong is found once its kind is corrected, as a reviewer does
    before importing it.
    """

    def __init__(self, items: Iterable[Item]) -> None:
        groups: dict[tuple[Kind, int], list[tuple[int, Item]]] = {}
        for item in items:
            lower, upper = _bounds(item.when)
            span = upper.toordinal() - lower.toordinal()
            groups.setdefault((item.kind, span.bit_length()), []).append((lower.toordinal(), item))
        self._groups: dict[Kind, list[tuple[int, list[int], list[Item], list[str]]]] = {}
        for (kind, _), rows in groups.items():
            rows.sort(key=lambda row: row[0])
            kept = [r[1] for r in rows]
            longest = max(_span(i) for i in kept)
            self._groups.setdefault(kind, []).append((longest, [r[0] for r in rows], kept, [i.title for i in kept]))

    def near(self, item: Item) -> Iterable[tuple[list[Item], list[str]]]:
        """Per group of the item's kind, the items whose first day may let them overlap it."""
        lower, upper = (d.toordinal() for d in _bounds(item.when))
        for longest, lowers, items, titles in self._groups.get(item.kind, ()):
            i = bisect.bisect_left(lowers, lower - longest)
            j = bisect.bisect_right(lowers, upper)
            if i < j:
                yield items[i:j], titles[i:j]


def _span(item: Item) -> int:
    lower, upper = _bounds(item.when)
    return upper.toordinal() - lower.toordinal()


def candidates(new: Sequence[Item], index: DateIndex, threshold: float = THRESHOLD) -> list[Match]:
    """Every probable duplicate of each new item among the indexed ones, best first.

    Titles are compared first, in one call per date window (rapidfuzz's C loop): a pair
    whose titles are not similar cannot reach the threshold, so only the rest are scored.
    """
    matches: list[Match] = []
    for item in new:
        for items, titles in index.near(item):
            similar = process.extract(item.title, titles, scorer=fuzz.ratio, score_cutoff=_TITLE_FLOOR + 0.001, limit=None)
            for _, _, k in similar:
                other = items[k]
                if other is item:
                    continue
                value, why = score(item, other)
                if value >= threshold:
                    matches.append(Match((item.id, other.id), value, why))
    matches.sort(key=lambda m: -m.score)
    return matches


def across_documents(new: Sequence[Item], known: Sequence[Item]) -> list[Match]:
    """The probable duplicates of the new items among the known ones reported by another
    document, each pair once, best first.

    Within one document two alike items are two facts (two signings of one day): a report
    is read as a whole when its items are made, so only a second source repeats one. Each
    document's new items are compared with the other documents' items only, so a large
    import from one source is never compared with itself.
    """
    by_document: dict[str, list[Item]] = {}
    for item in new:
        by_document.setdefault(item.source.document, []).append(item)
    found: dict[frozenset[str], Match] = {}
    for document, items in by_document.items():
        index = DateIndex(i for i in known if i.source.document != document)
        for match in candidates(items, index):
            found.setdefault(frozenset(match.items), match)
    return sorted(found.values(), key=lambda m: (-m.score, m.items))

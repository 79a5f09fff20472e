"""One item however many sources report it: items people linked, shown and counted once.

A group is the items joined by links. A link is a person's statement that two records are
one real-world item, so a group holds through a member that is later retracted (A = B and
B = C still say A = C); only current items are shown and counted. Members are ranked: one
that happened before one only planned, then the most precise date (the fewest days it may
mean), then the first recorded. The first stands for the group: the timeline shows it once,
at its date, with every member's source. Totals count each figure of the group (a metric
and population) once, from the best-ranked member that gives it, dated as the group is;
counts of events of a kind (parks unveiled, signings) come from the first member alone,
since the group is one event of that member's kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from events import When
from projections.state import Pair
from projections.timeline import Row
from projections.totals import EVENT_COUNTS, Figure, counts_from

_OPEN = 10**9  # days of a date with an open end: ranked after every closed one


def days(when: When) -> int:
    """How many days a date may mean: 1 for a day, 31 for a month, _OPEN for an open end."""
    if when.lower is None or when.upper is None:
        return _OPEN
    return (when.upper - when.lower).days + 1


def groups(links: Iterable[Pair], current: Mapping[str, Row]) -> list[list[Row]]:
    """The groups the links make among the current rows, each ranked, in record order."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        parent[root(a)] = root(b)
    members: dict[str, list[Row]] = {}
    for item_id in parent:
        if item_id in current:
            members.setdefault(root(item_id), []).append(current[item_id])
    ranked = [sorted(rows, key=rank) for rows in members.values() if len(rows) > 1]
    return sorted(ranked, key=lambda rows: rows[0].seq)


def rank(row: Row) -> tuple[bool, int, int]:
    """A member's place in its group: happened before planned, then the most precise date,
    then record order."""
    return (row.item.planned, days(row.item.when), row.seq)


@dataclass(frozen=True)
class Sameness:
    """The groups of one state of the links: each grouped item's group and rank."""

    groups: list[list[Row]]

    @classmethod
    def of(cls, links: Iterable[Pair], current: Mapping[str, Row]) -> Sameness:
        return cls(groups(links, current))

    @cached_property
    def ranks(self) -> dict[str, tuple[int, int]]:
        return {row.item.id: (g, rank) for g, rows in enumerate(self.groups) for rank, row in enumerate(rows)}

    def together(self, a: str, b: str) -> bool:
        """Whether the two items are one already."""
        ranks = self.ranks
        return a in ranks and b in ranks and ranks[a][0] == ranks[b][0]

    def merged(self) -> list[Row]:
        """Each group as the one row the timeline shows."""
        return [Row(first.item, first.seq, first.recorded_at, tuple(r.item for r in rest))
                for first, *rest in self.groups]

    def shown(self, rows: Iterable[Row]) -> Iterator[Row]:
        """The rows as the timeline shows them: an ungrouped row as it is, each group once."""
        ranks = self.ranks
        yield from (row for row in rows if row.item.id not in ranks)
        yield from self.merged()

    def counted(self, figures: Iterable[Figure]) -> list[Figure]:
        """The figures totals count: of a group's, one per metric and population, the
        best-ranked member's, dated as the group's first member; an event count, the first
        member's only."""
        ranks = self.ranks
        best: dict[tuple[int, str, str], tuple[int, Figure]] = {}
        kept = []
        for f in figures:
            if f.item_id not in ranks:
                kept.append(f)
                continue
            group, place = ranks[f.item_id]
            if f.metric in EVENT_COUNTS and place:
                continue
            key = (group, f.metric, f.population)
            if key not in best or place < best[key][0]:
                best[key] = (place, f)
        return kept + [self._dated(f, group) for (group, _, _), (_, f) in best.items()]

    def _dated(self, figure: Figure, group: int) -> Figure:
        first = self.groups[group][0]
        if figure.item_id == first.item.id:
            return figure
        when = first.item.when
        return figure._replace(lower=when.lower, upper=when.upper, counts_from=counts_from(first))

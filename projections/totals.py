"""Totals as of a date: what the items add up to, never double counted, imprecision kept.

The as-of rule. An item counts as of day D when it had certainly happened by D: its
date's upper bound is on or before D. `2023-06` counts from 2023-06-30, `2023` from
2023-12-31, `2023-04-14/2023-04-16` from 2023-04-16. An item whose range straddles D
(`2023` as of 2023-06-30) may or may not have happened yet: it is listed as pending,
never added. An open-ended item (`2021/..`, "since 2021") has no upper bound: it counts
from the day the source that reports it was published (from its last possible day when
that is imprecise), or, with no published date, from the day the ledger recorded it; but
never before its own first day.
A planned item never counts.

Reported versus itemized. A `period_report` is the authority for its scope and period:
an itemized figure of the same metric and scope whose date may fall in that period is
shown beside the report (`beside`), not added on top. Different scopes are never summed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Protocol, TypeVar

from events import InvalidValue, Item, Kind, Qualifier
from events.metrics import METRICS
from projections.timeline import Row

# Counts of items by kind, offered beside the measured metrics.
EVENT_COUNTS: dict[str, frozenset[Kind]] = {
    "delegation_visits": frozenset({Kind.DELEGATION_VISIT}),
    "meetings": frozenset({Kind.MEETING}),
    "trainings": frozenset({Kind.TRAINING}),
    "fairs": frozenset({Kind.JOB_FAIR, Kind.TRADE_FAIR}),
    "job_fairs": frozenset({Kind.JOB_FAIR}),
    "trade_fairs": frozenset({Kind.TRADE_FAIR}),
    "promotions": frozenset({Kind.PROMOTION}),
    "parks_unveiled": frozenset({Kind.PARK_UNVEILED}),
    "agreements_signed": frozenset({Kind.AGREEMENT_SIGNED}),
    "signings": frozenset({Kind.PROJECT_SIGNED}),
    "exchanges": frozenset({Kind.EXCHANGE}),
    "secondments": frozenset({Kind.SECONDMENT}),
}
EVENTS_UNIT = "events"
# A table's note names this many items at most.
NAMED = 20
ALL_METRICS = sorted([*METRICS, *EVENT_COUNTS])
BY = ("scope", "kind", "month", "quarter", "year")


class Figure(NamedTuple):
    """One item's contribution to one metric; `counts_from` None means never (a plan).

    A named tuple: a million-event total builds a million of these, and a tuple is the
    cheapest immutable record Python builds.
    """

    item_id: str
    metric: str
    scope: str
    kind: Kind
    value: Decimal
    unit: str
    qualifier: Qualifier
    lower: date | None
    upper: date | None
    counts_from: date | None
    is_report: bool


def counts_from(row: Row) -> date | None:
    item = row.item
    if item.planned:
        return None
    when = item.when
    if when.upper is not None:
        return when.upper
    published = item.source.published
    day = published.upper if published is not None and published.upper is not None else row.recorded_at.date()
    # Never before its first day: "from 2025 on" in a source of 2024 had not happened in 2024.
    return max(day, when.lower) if when.lower is not None else day


def combine(qualifiers: Sequence[Qualifier]) -> Qualifier:
    """The qualifier of a sum: one part keeps its own; "nearly" or "approx" make it approx."""
    return combined(len(qualifiers), set(qualifiers))


def combined(count: int, present: Collection[Qualifier]) -> Qualifier:
    """`combine` of `count` parts whose qualifiers are `present`: all a sum needs to know."""
    if count == 1:
        [only] = present
        return only
    for q in (Qualifier.APPROX, Qualifier.NEARLY):
        if q in present:
            return Qualifier.APPROX
    for q in (Qualifier.MORE_THAN, Qualifier.AT_LEAST):
        if q in present:
            return q
    return Qualifier.EXACT


def figures_of(row: Row) -> list[Figure]:
    """The item's figures, one per metric: two measures of one metric in an item add up."""
    item = row.item
    start = counts_from(row)
    by_metric: dict[str, list] = defaultdict(list)
    for m in item.measures:
        by_metric[m.metric].append(m)
    figures = []
    for metric, measures in by_metric.items():
        figures.append(_figure(item, metric, sum((m.value for m in measures), Decimal(0)), measures[0].unit,
                               combine([m.qualifier for m in measures]), start))
    if item.kind is not Kind.PERIOD_REPORT:
        for metric, kinds in EVENT_COUNTS.items():
            if item.kind in kinds:
                figures.append(_figure(item, metric, Decimal(1), EVENTS_UNIT, Qualifier.EXACT, start))
    return figures


def _figure(item: Item, metric: str, value: Decimal, unit: str, qualifier: Qualifier, start: date | None) -> Figure:
    return Figure(
        item.id, metric, item.scope, item.kind, value, unit, qualifier,
        item.when.lower, item.when.upper, start, item.kind is Kind.PERIOD_REPORT,
    )


@dataclass
class Total:
    """One row of `totals`: a metric for one scope (and one group, with --by)."""

    metric: str
    scope: str
    value: Decimal
    unit: str
    qualifier: Qualifier
    basis: str
    events: list[str] = field(default_factory=list)
    beside: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    group: str | None = None

    def to_dict(self, by: str | None = None) -> dict[str, object]:
        data: dict[str, object] = {
            "metric": self.metric,
            "scope": self.scope,
            "value": str(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier.value,
            "basis": self.basis,
            "events": list(self.events),
            "beside": list(self.beside),
            "pending": self.pending,
        }
        if by and by != "scope":
            data = {by: self.group, **data}
        return data


@dataclass(frozen=True)
class Sum:
    """Figures added up: all a total needs of them, however they were read."""

    value: Decimal
    count: int
    qualifiers: frozenset[Qualifier]
    reports: frozenset[bool]  # is_report of the parts: the basis
    ids: list[str]  # in (counts_from, item_id) order

    @classmethod
    def of(cls, figures: Sequence[Figure]) -> Sum:
        return cls(
            sum((f.value for f in figures), Decimal(0)), len(figures), frozenset(f.qualifier for f in figures),
            frozenset(f.is_report for f in figures), [f.item_id for f in figures],
        )

    def __add__(self, other: Sum) -> Sum:
        return Sum(self.value + other.value, self.count + other.count, self.qualifiers | other.qualifiers,
                   self.reports | other.reports, self.ids + other.ids)

    @property
    def qualifier(self) -> Qualifier:
        return combined(self.count, self.qualifiers) if self.count else Qualifier.EXACT

    @property
    def basis(self) -> str:
        if self.reports == {True}:
            return "reported"
        if self.reports == {True, False}:
            return "reported+itemized"
        return "itemized"


NOTHING = Sum(Decimal(0), 0, frozenset(), frozenset(), [])


def check_query(metrics: Iterable[str], by: str, cumulative: bool) -> None:
    """Refuse a totals question these rules cannot answer, naming the option and value."""
    for m in metrics:
        if m not in ALL_METRICS:
            raise InvalidValue("metric", m, f"unknown metric (known: {', '.join(ALL_METRICS)})")
    if by not in BY:
        raise InvalidValue("by", by, f"use one of {', '.join(BY)}")
    if cumulative and by in ("scope", "kind"):
        raise InvalidValue("by", by, "a running total needs --by month, quarter or year")


def unit_of(metric: str) -> str:
    return METRICS[metric].unit if metric in METRICS else EVENTS_UNIT


def rows_of(
    metric: str, scope: str, buckets: dict[str | None, Sum], beside: list[str], pending: list[str],
    cumulative: bool,
) -> list[Total]:
    """The rows of one (metric, scope): a row per group in order, running on with `cumulative`."""
    out = []
    running: Sum | None = None
    for name in sorted(buckets, key=lambda k: k or ""):
        part = buckets[name]
        running = running + part if cumulative and running is not None else part
        out.append(Total(metric, scope, running.value, unit_of(metric), running.qualifier, running.basis,
                         running.ids, beside, pending, group=name))
    return out


def period(year: int, month: int, by: str) -> str:
    """The name of the month, quarter or year a figure that counts from (year, month) falls in."""
    if by == "year":
        return f"{year}"
    if by == "quarter":
        return f"{year}q{(month - 1) // 3 + 1}"
    return f"{year}-{month:02d}"


def group_key(by: str) -> Callable[[Figure], str | None]:
    if by == "scope":
        return lambda f: None
    if by == "kind":
        return lambda f: f.kind.value
    return lambda f: period(f.counts_from.year, f.counts_from.month, by)  # type: ignore[union-attr]


def totals(
    figures: Iterable[Figure],
    as_of: date,
    metrics: Iterable[str] = (),
    by: str = "scope",
    cumulative: bool = False,
) -> list[Total]:
    """Total every (metric, scope) as of `as_of`; see the module docstring for the rules."""
    wanted = set(metrics)
    groups: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for f in figures:
        if not wanted or f.metric in wanted:
            groups[(f.metric, f.scope)].append(f)
    rows: list[Total] = []
    for (metric, scope), group in sorted(groups.items()):
        rows.extend(_total(metric, scope, group, as_of, by, cumulative))
    return rows


def _total(metric: str, scope: str, group: list[Figure], as_of: date, by: str, cumulative: bool) -> list[Total]:
    counted = [f for f in group if f.counts_from is not None and f.counts_from <= as_of]
    pending = [
        f for f in group
        if f.counts_from is not None and f.counts_from > as_of and (f.lower is None or f.lower <= as_of)
    ]
    reports, beside = choose_reports([f for f in counted if f.is_report])
    covered = Cover(reports)
    items = []
    for f in counted:
        if f.is_report:
            continue
        (beside if covered.overlaps(f) else items).append(f)
    still_pending = []
    for f in pending:
        (beside if covered.overlaps(f) else still_pending).append(f)
    added = sorted(reports + items, key=lambda f: (f.counts_from, f.item_id))
    if not added and not still_pending and not beside:
        return []
    key = group_key(by)
    buckets: dict[str | None, list[Figure]] = defaultdict(list)
    for f in added:
        buckets[key(f)].append(f)
    sums = {name: Sum.of(parts) for name, parts in buckets.items()} or {None: NOTHING}
    return rows_of(metric, scope, sums, sorted(f.item_id for f in beside),
                   sorted(f.item_id for f in still_pending), cumulative)


class Dated(Protocol):
    """What choosing among reports reads of each: a Figure, or only its id and dates."""

    @property
    def item_id(self) -> str: ...

    @property
    def lower(self) -> date | None: ...

    @property
    def upper(self) -> date | None: ...


R = TypeVar("R", bound=Dated)


def choose_reports(reports: Iterable[R]) -> tuple[list[R], list[R]]:
    """The counted reports of one (metric, scope) that stand, and those set beside them.
    Reports that overlap each other would count twice: the widest wins, and of two as wide
    the one whose id sorts first, so that the answer never depends on the order read."""
    chosen: list[R] = []
    aside: list[R] = []
    cover = Cover([])  # the chosen so far, looked up by bisection: a pair may have thousands
    for r in sorted(reports, key=lambda f: (-_span(f), f.item_id)):
        if cover.overlaps(r):
            aside.append(r)
        else:
            chosen.append(r)
            cover.add(r.lower, r.upper)
    return chosen, aside


class Cover:
    """The periods of the chosen reports, which never overlap each other: a figure is
    looked up by bisection, not tested against every report."""

    def __init__(self, reports: Sequence[Dated]) -> None:
        spans = sorted((r.lower or date.min, r.upper or date.max) for r in reports)
        self.starts = [lower for lower, _ in spans]
        # Disjoint and sorted by start, so sorted by end as well.
        self.ends = [upper for _, upper in spans]

    def add(self, lower: date | None, upper: date | None) -> None:
        """Add a period that overlaps none of those there."""
        i = bisect_right(self.starts, lower or date.min)
        self.starts.insert(i, lower or date.min)
        self.ends.insert(i, upper or date.max)

    def overlaps(self, f: Dated) -> bool:
        return self.overlaps_span(f.lower, f.upper)

    def overlaps_span(self, lower: date | None, upper: date | None) -> bool:
        if not self.starts:
            return False
        i = bisect_right(self.starts, upper or date.max) - 1
        return i >= 0 and self.ends[i] >= (lower or date.min)


def _span(f: Dated) -> int:
    lower = f.lower or date.min
    upper = f.upper or date.max
    return (upper - lower).days

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

Accounts. A figure is posted to an account, (metric, scope, population), as a posting
is in beancount or hledger: figures add up only within one account. Different scopes
are never summed, nor different populations (a report of Shanghai projects never
absorbs farm projects; a figure that names no population is its own account).

Reported versus itemized. A `period_report` is the authority for its account and
period: an itemized figure of the same account whose date may fall in that period is
shown beside the report (`beside`), not added on top. Each total lists its parts: a
report's own figure, and the itemized figures added up.

Additivity. A metric that counts appearances (the companies at a fair) does not add up
across items: with more than one figure its total has no value, and its parts list them.
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
BY = ("scope", "population", "kind", "month", "quarter", "year")


class Figure(NamedTuple):
    """One item's contribution to one metric; `counts_from` None means never (a plan).

    A named tuple: a million-event total builds a million of these, and a tuple is the
    cheapest immutable record Python builds.
    """

    item_id: str
    metric: str
    scope: str
    population: str
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
    """The item's figures, one per metric and population: two measures of one metric in
    an item add up (the 50 and 40 companies of one fair are 90 at that fair)."""
    item = row.item
    start = counts_from(row)
    by_account: dict[tuple[str, str], list] = defaultdict(list)
    for m in item.measures:
        by_account[(m.metric, m.population)].append(m)
    figures = []
    for (metric, population), measures in by_account.items():
        figures.append(_figure(item, metric, population, sum((m.value for m in measures), Decimal(0)),
                               measures[0].unit, combine([m.qualifier for m in measures]), start))
    if item.kind is not Kind.PERIOD_REPORT:
        for metric, kinds in EVENT_COUNTS.items():
            if item.kind in kinds:
                figures.append(_figure(item, metric, "", Decimal(1), EVENTS_UNIT, Qualifier.EXACT, start))
    return figures


def _figure(
    item: Item, metric: str, population: str, value: Decimal, unit: str, qualifier: Qualifier, start: date | None,
) -> Figure:
    return Figure(
        item.id, metric, item.scope, population, item.kind, value, unit, qualifier,
        item.when.lower, item.when.upper, start, item.kind is Kind.PERIOD_REPORT,
    )


@dataclass(frozen=True)
class Part:
    """What a total is made of: a report's own figure, or the itemized figures added up."""

    basis: str  # "reported" or "itemized"
    value: Decimal
    qualifier: Qualifier
    items: list[str]

    def to_dict(self) -> dict[str, object]:
        return {"basis": self.basis, "value": str(self.value), "qualifier": self.qualifier.value, "items": self.items}


@dataclass
class Total:
    """One row of `totals`: an account (metric, scope, population), in one group with --by.

    `value` is None when nothing can be said as a number yet: every figure still pending
    (never a bare 0 that reads as "none"), or figures of a metric that does not add up.
    """

    metric: str
    scope: str
    population: str
    value: Decimal | None
    unit: str
    qualifier: Qualifier
    basis: str
    events: list[str] = field(default_factory=list)
    beside: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    group: str | None = None
    parts: list[Part] = field(default_factory=list)

    def to_dict(self, by: str | None = None) -> dict[str, object]:
        data: dict[str, object] = {
            "metric": self.metric,
            "scope": self.scope,
            "population": self.population,
            "value": None if self.value is None else str(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier.value,
            "basis": self.basis,
            "events": list(self.events),
            "beside": list(self.beside),
            "pending": self.pending,
            "parts": [p.to_dict() for p in self.parts],
        }
        if by and by not in ("scope", "population"):
            data = {by: self.group, **data}
        return data


@dataclass(frozen=True)
class Sum:
    """The counted figures of an account (in one group): what its total is made of."""

    metric: str
    reports: tuple[Figure, ...] = ()
    items: tuple[Figure, ...] = ()

    @classmethod
    def of(cls, metric: str, figures: Sequence[Figure]) -> Sum:
        return cls(metric, tuple(f for f in figures if f.is_report), tuple(f for f in figures if not f.is_report))

    def __add__(self, other: Sum) -> Sum:
        return Sum(self.metric, self.reports + other.reports, self.items + other.items)

    @property
    def figures(self) -> list[Figure]:
        return sorted(self.reports + self.items, key=lambda f: (f.counts_from, f.item_id))

    @property
    def adds_up(self) -> bool:
        """Whether a sum means something: one figure always does; more, if the metric adds."""
        return len(self.reports) + len(self.items) <= 1 or additive(self.metric)

    @property
    def value(self) -> Decimal | None:
        if not self.reports and not self.items or not self.adds_up:
            return None
        return sum((f.value for f in self.reports + self.items), Decimal(0))

    @property
    def qualifier(self) -> Qualifier:
        figures = self.reports + self.items
        if not figures or not self.adds_up:
            return Qualifier.EXACT
        return combined(len(figures), {f.qualifier for f in figures})

    @property
    def basis(self) -> str:
        if not self.reports and not self.items:
            return "pending"
        if not self.adds_up:
            return "not added"
        return "+".join(b for b, parts in (("reported", self.reports), ("itemized", self.items)) if parts)

    @property
    def parts(self) -> list[Part]:
        """A part per report and one for the items; a metric that does not add up lists
        every figure as its own part, none added to another."""
        parts = [Part("reported", r.value, r.qualifier, [r.item_id]) for r in sorted(self.reports, key=_order)]
        if not self.adds_up:
            return parts + [Part("itemized", f.value, f.qualifier, [f.item_id]) for f in sorted(self.items, key=_order)]
        if self.items:
            items = sorted(self.items, key=_order)
            parts.append(Part("itemized", sum((f.value for f in items), Decimal(0)),
                              combined(len(items), {f.qualifier for f in items}), [f.item_id for f in items]))
        return parts


def _order(f: Figure) -> tuple[date, str]:
    return (f.counts_from or date.max, f.item_id)


def additive(metric: str) -> bool:
    return METRICS[metric].additive if metric in METRICS else True  # counts of events add up


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
    account: tuple[str, str, str], buckets: dict[str | None, Sum], beside: list[str], pending: list[str],
    cumulative: bool,
) -> list[Total]:
    """The rows of one account: a row per group in order, running on with `cumulative`."""
    metric, scope, population = account
    out = []
    running: Sum | None = None
    for name in sorted(buckets, key=lambda k: k or ""):
        part = buckets[name]
        running = running + part if cumulative and running is not None else part
        out.append(Total(metric, scope, population, running.value, unit_of(metric), running.qualifier,
                         running.basis, [f.item_id for f in running.figures], beside, pending, group=name,
                         parts=running.parts))
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
    if by == "population":
        return lambda f: f.population
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
    """Total every account (metric, scope, population) as of `as_of`; see the module
    docstring for the rules."""
    wanted = set(metrics)
    groups: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    for f in figures:
        if not wanted or f.metric in wanted:
            groups[(f.metric, f.scope, f.population)].append(f)
    rows: list[Total] = []
    for account, group in sorted(groups.items()):
        rows.extend(_total(account, group, as_of, by, cumulative))
    return rows


def _total(account: tuple[str, str, str], group: list[Figure], as_of: date, by: str, cumulative: bool) -> list[Total]:
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
    metric = account[0]
    sums = {name: Sum.of(metric, parts) for name, parts in buckets.items()} or {None: Sum(metric)}
    return rows_of(account, sums, sorted(f.item_id for f in beside), sorted(f.item_id for f in still_pending),
                   cumulative)


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

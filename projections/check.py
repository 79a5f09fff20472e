"""Assertions over the current items, as bean-check checks a beancount ledger: each rule
that can fail says which items break it. A pure function of the rows and the documents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from events import InvalidValue, Measure, Qualifier
from events.when import overlap, within
from projections.sameness import Sameness
from projections.timeline import Row
from projections.totals import Figure, additive, choose_reports, figures_of

# An "about" report may be exceeded by this much before its items contradict it.
APPROX_TOLERANCE = Decimal("1.1")


@dataclass(frozen=True)
class Problem:
    check: str
    message: str
    items: list[str]

    def to_dict(self) -> dict[str, object]:
        return {"check": self.check, "message": self.message, "items": self.items}


def problems(rows: Iterable[Row], documents: Mapping[str, str], sameness: Sameness | None = None) -> list[Problem]:
    """Every failed assertion, in a stable order: by check, then by the items named.
    Linked items (`sameness`) are checked as one: their figures once, their sources
    against each other."""
    rows = list(rows)
    sameness = sameness or Sameness([])
    figures = sameness.counted(f for r in rows for f in figures_of(r))
    found = [*_quotes(rows, documents), *_measures(rows), *_reports(figures), *_disagreements(sameness)]
    return sorted(found, key=lambda p: (p.check, p.items, p.message))


def _disagreements(sameness: Sameness) -> Iterable[Problem]:
    """Where the sources of one item disagree: on its date, or on a figure. The timeline
    shows the first member's date (the most precise) and totals count, of each figure, the
    best-ranked member's that gives it."""
    for first, *rest in sameness.groups:
        shown = first.item
        for row in rest:
            other = row.item
            if other.when != shown.when:
                yield Problem("sources", f"{shown.id} and {other.id} give the dates {shown.when.text} and "
                              f"{other.when.text}; shown: {shown.when.text}", sorted([shown.id, other.id]))
        counted: dict[tuple[str, str], Figure] = {}
        for row in (first, *rest):  # in rank order: the first to give a figure is counted
            for f in figures_of(row):
                kept = counted.setdefault((f.metric, f.population), f)
                if kept is not f and (kept.value, kept.qualifier) != (f.value, f.qualifier):
                    yield Problem(
                        "sources",
                        f"{kept.item_id} and {f.item_id} give {f.metric} as {kept.qualifier.value} {kept.value} and "
                        f"{f.qualifier.value} {f.value}; counted: {kept.qualifier.value} {kept.value}",
                        sorted([kept.item_id, f.item_id]),
                    )


def _quotes(rows: list[Row], documents: Mapping[str, str]) -> Iterable[Problem]:
    for row in rows:
        source = row.item.source
        text = documents.get(source.document)
        if text is None:
            continue
        for piece in source.missing_from(text):
            yield Problem("quote", f"{row.item.id}: the quote's piece {piece!r} is not in {source.document}",
                          [row.item.id])


def _measures(rows: list[Row]) -> Iterable[Problem]:
    for row in rows:
        item = row.item
        for m in item.measures:
            if not m.text:
                continue
            if item.source.quote and m.text not in item.source.quote:
                yield Problem("measure", f"{item.id}: {m.metric}'s text {m.text!r} is not in the quote", [item.id])
            try:
                read = Measure.parse(f"{m.metric}={m.text}")
            except InvalidValue as e:
                yield Problem("measure", f"{item.id}: {m.metric}'s text {m.text!r} no longer reads as an amount ({e})",
                              [item.id])
                continue
            if (read.value, read.unit, read.qualifier) != (m.value, m.unit, m.qualifier):
                yield Problem(
                    "measure",
                    f"{item.id}: {m.metric}'s text {m.text!r} reads as {read.qualifier.value} {read.value}, "
                    f"not the recorded {m.qualifier.value} {m.value}",
                    [item.id],
                )


def _reports(figures: list[Figure]) -> Iterable[Problem]:
    accounts: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    for f in figures:
        if f.counts_from is not None:  # a plan asserts nothing yet
            accounts[(f.metric, f.scope, f.population)].append(f)
    for (metric, scope, population), group in sorted(accounts.items()):
        name = " / ".join(x for x in (metric, scope, population) if x)
        reports = [f for f in group if f.is_report]
        chosen, aside = choose_reports(reports)
        for r in aside:
            yield Problem("report", f"{name}: the report {r.item_id} overlaps a wider one and is set aside",
                          sorted([r.item_id, *(c.item_id for c in chosen if _overlap(c, r))]))
        if not additive(metric):
            continue
        for r in reports:
            inside = [f for f in group if not f.is_report and _within(f, r)]
            total = sum((f.value for f in inside), Decimal(0))
            if inside and _exceeds(total, r):
                yield Problem(
                    "report",
                    f"{name}: the items inside {r.item_id}'s period add up to {total}, more than its "
                    f"{r.qualifier.value} {r.value}",
                    sorted([r.item_id, *(f.item_id for f in inside)]),
                )


def _exceeds(total: Decimal, report: Figure) -> bool:
    if report.qualifier in (Qualifier.MORE_THAN, Qualifier.AT_LEAST):
        return False  # open above: any larger total agrees with it
    if report.qualifier is Qualifier.APPROX:
        return total > report.value * APPROX_TOLERANCE
    return total > report.value


def _within(f: Figure, report: Figure) -> bool:
    return within(f.lower, f.upper, report.lower, report.upper)


def _overlap(a: Figure, b: Figure) -> bool:
    return overlap(a.lower, a.upper, b.lower, b.upper)

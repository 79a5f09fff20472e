"""Totals answered from the read model's tables by SQL, the same SQL on every backend.

The plain path (`totals.totals`) reads every figure and adds them up in Python: at a
million events, over a million rows decoded for one answer. Here SQL adds up, and
Python handles only what is decided figure by figure, and few:

- The itemized figures counted by the day are added up from the sums the view keeps by
  the prefixes of the days they count from (rows.LEVELS), and the figures of the day's
  own month. A figure's `units` holds its value if that is a whole number below
  `UNITS_BELOW`; any other value (a fraction, say) is added in Python from its text.
- Reports counted by the day are chosen by their dates, as the plain path chooses them.
  For a (metric, scope) with reports, its itemized figures that add up beside them are
  those in the gaps between the reports' periods, read from the figures table; those
  the reports stand for are the rest of the sums' count.
- Pending figures (whose dates lie across the day) come from a range scan per tier, as
  the timeline's rows do.

Tests hold every answer equal to the plain path's, on both backends.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from events import Qualifier
from events.metrics import METRICS
from projections.rows import (
    COUNTED_AS, FIGURE_COLUMNS, HIGH, LEVELS, LOW, MONTH, SUMMED, TIER_DAYS, TIERS, date_of, figure_from, key,
)
from projections.totals import ALL_METRICS, NAMED, NOTHING, Cover, Figure, Ids, Sum, Total, choose_reports, period, rows_of

Pair = tuple[str, str]  # (metric, scope)
Group = str | None  # a kind, a month "YYYY-MM", or None: the column `--by` groups on in SQL

_QUALIFIERS = {q.value: q for q in Qualifier}
_IN_COUNTS = list(Qualifier)  # the qualifier each count column counts (rows.QUALIFIER_COUNTS)


class ReportDates(NamedTuple):
    """A report's id and dates: what choosing among reports reads (totals.Dated)."""

    item_id: str
    lower: date | None
    upper: date | None


class Part(NamedTuple):
    """Some figures of one group: `count` of them (less than 0 when taken back out)."""

    qualifier: Qualifier
    value: Decimal
    count: int
    is_report: bool


def _group_sql(by: str) -> str | None:
    if by == "scope":
        return None
    return "kind" if by == "kind" else f"substr(counts_from, 1, {MONTH})"


def _group_of(f: Figure, by: str) -> Group:
    """A report's group, as SQL names an itemized figure's."""
    if by == "scope":
        return None
    if by == "kind":
        return f.kind.value
    assert f.counts_from is not None
    return f.counts_from.isoformat()[:7]


def _spans(chosen: list[Figure]) -> list[tuple[str, str]]:
    """The chosen reports' periods as stored (open ends LOW and HIGH), in order, those that
    follow on from each other joined: overlapping a run of reports with no day between
    them is overlapping one of them."""
    spans: list[tuple[str, str]] = []
    last_end: date | None = None
    for r in sorted(chosen, key=lambda f: f.lower or date.min):
        lower, upper = key(r.lower, LOW), key(r.upper, HIGH)
        if spans and last_end is not None and r.lower is not None and r.lower.toordinal() == last_end.toordinal() + 1:
            spans[-1] = (spans[-1][0], upper)
        else:
            spans.append((lower, upper))
        last_end = r.upper
    return spans


def sql_totals(
    c: Any, table: str, sums: str, as_of: date, metrics: list[str], by: str, cumulative: bool, ids: bool
) -> list[Total]:
    """As `totals.totals` over every figure of `table`, whose sums `sums` keeps, read with
    cursor `c` (`?` placeholders).

    With `ids` False each total's `events` is an `Ids` that knows how many items it adds
    up but not which: a table prints that number, so the ids are not read.
    """
    q = _Query(c, table, sums, as_of, metrics, by)
    parts, fractions = q.itemized_sums()
    aside: dict[Pair, list[str]] = defaultdict(list)  # beside a report, always listed: few
    covered: dict[Pair, int] = {}  # itemized figures counted by the day, beside a report
    with_fractions: set[Pair] = set()
    chosen_by_pair: dict[Pair, list[Figure]] = {}
    for pair, found in q.reports().items():
        # Chosen by their dates alone; only the chosen are made whole.
        dates, set_aside = choose_reports(found)
        chosen = chosen_by_pair[pair] = [q.report(pair[0], r.item_id) for r in dates]
        aside[pair] += [r.item_id for r in set_aside]
        # The reports stand for the itemized figures their periods overlap. So the pair
        # adds up the reports and the rest, read from the gaps between the periods, and
        # what stands beside the reports is the number the sums count beyond those.
        counted = sum(p.count for group in parts.pop(pair, {}).values() for p in group)
        own = parts[pair]
        for r in chosen:
            own[_group_of(r, by)].append(Part(r.qualifier, r.value, 1, True))
        for group, qualifier, whole, count, whole_count in q.uncovered(
            pair, chosen, f"{q.group_column or 'NULL'} AS grp, qualifier, units",
            # Every column named: PostgreSQL rows come back keyed by name.
            "grp, qualifier, SUM(units) AS whole, COUNT(*) AS n, COUNT(units) AS n_whole", group_by="grp, qualifier",
        ):
            own[group].append(Part(_QUALIFIERS[qualifier], Decimal(whole or 0), count, False))
            counted -= count
            if whole_count < count:
                with_fractions.add(pair)
        covered[pair] = counted
    pending: dict[Pair, list[str]] = defaultdict(list)
    covers = {pair: Cover(chosen) for pair, chosen in chosen_by_pair.items()}
    for metric, scope, item_id, lower, upper in q.pending():
        pair = (metric, scope)
        cover = covers.get(pair)
        (aside if cover and cover.overlaps_span(date_of(lower), date_of(upper)) else pending)[pair].append(item_id)
    # Which items stand beside a report is read when asked for, or when a note can name them all.
    covered_ids = {
        pair: {i for (i,) in q.overlapping(pair, chosen_by_pair[pair], "item_id")}
        for pair, count in covered.items() if count and (ids or count + len(aside.get(pair, [])) <= NAMED)
    }
    if fractions:
        q.add_fractions(parts, set(chosen_by_pair))
    for pair in with_fractions:
        for group, qualifier, value in q.uncovered(pair, chosen_by_pair[pair], f"{q.group_column or 'NULL'} AS grp, "
                                                   "qualifier, value", where=" AND units IS NULL"):
            parts[pair][group].append(Part(_QUALIFIERS[qualifier], Decimal(value), 0, False))
    listed = q.ids(covered_ids, chosen_by_pair) if ids else None

    answers: list[Total] = []
    for pair in sorted(parts.keys() | pending.keys() | aside.keys()):
        buckets = _buckets(parts.get(pair, {}), by, listed.get(pair, {}) if listed is not None else None)
        beside: Sequence[str] = sorted([*aside.get(pair, []), *covered_ids.get(pair, ())])
        if covered.get(pair) and pair not in covered_ids:
            beside = Ids(len(aside.get(pair, [])) + covered[pair])
        if buckets or pending.get(pair) or beside:
            answers += rows_of(*pair, buckets or {None: NOTHING}, beside, sorted(pending.get(pair, [])), cumulative)
    return answers


class _Query:
    """The reads of one answer, all on one cursor: one transaction, one state of the table."""

    def __init__(self, c: Any, table: str, sums: str, as_of: date, metrics: list[str], by: str) -> None:
        self.c, self.table, self.as_of, self.day, self.metrics, self.by = c, table, as_of, as_of.isoformat(), metrics, by
        self.sums = sums
        self.only = f" AND metric IN ({','.join('?' * len(metrics))})" if metrics else ""
        # The metrics asked for, all of them by name when none is: each metric's rows are
        # a range of the sums' and the pending index's keys, which a bare scan would not use.
        self.named = metrics or ALL_METRICS
        self.in_named = f"metric IN ({','.join('?' * len(self.named))})"
        column = _group_sql(by)
        self.group_column = column
        # Every column named: PostgreSQL rows come back keyed by name.
        self.group = f", {column} AS grp" if column else ""
        # The reports `reports` read, by (metric, item id), for `report` to make whole.
        self.report_rows: dict[tuple[str, str], tuple] = {}

    def _rows(self, sql: str, params: list[Any]) -> list[tuple]:
        self.c.execute(sql, params)
        return [tuple(r) for r in self.c.fetchall()]

    def itemized_sums(self) -> tuple[dict[Pair, dict[Group, list[Part]]], bool]:
        """The sums per group, and whether any value was left for Python to add (a fraction).

        A figure counts by the day if it counts from before the next day, `end`. The
        figures before `end` are read from the sums table level by level (rows.LEVELS):
        the centuries before the one of `end`, its decades before the one of `end`, and
        so on down to the months before its month; then the figures of its month before
        it. So a total as of 2023-11-15 reads the figures of November up to the 15th, and
        one as of the end of a month, a quarter or a year (2023-12-31, `end` 2024-01-01)
        reads whole periods and no figure. Grouped by month, only the months have the
        group, so all are read from the months.
        """
        metrics, in_metrics = self.named, self.in_named
        columns = f"metric, scope, kind, period, {', '.join(SUMMED)}"
        # After the last day of the calendar, a text that sorts after every day and before HIGH.
        end = (self.as_of + timedelta(days=1)).isoformat() if self.as_of < date.max else "9999-12-32"
        selects, params, earlier = [], [], ""
        for level in LEVELS if self.by in ("scope", "kind") else (MONTH,):
            selects.append(f"SELECT {columns} FROM {self.sums} WHERE level = {level} AND {in_metrics} "
                           "AND period >= ? AND period < ?")
            params += [*metrics, earlier, end[:level]]
            earlier = end[:level]
        counts = ", ".join(COUNTED_AS)
        selects.append(
            f"SELECT metric, scope, kind, substr(counts_from, 1, {MONTH}), units, 1, "
            f"CASE WHEN units IS NULL THEN 0 ELSE 1 END, {counts} FROM {self.table} "
            f"WHERE is_report = 0 AND {in_metrics} AND counts_from >= ? AND counts_from < ?"
        )
        params += [*metrics, earlier, end]
        group = {"scope": "", "kind": ", kind"}.get(self.by, ", period")
        # (A group's units add up to NULL where every one is a fraction.)
        added = ", ".join(f"COALESCE(SUM({n}), 0) AS {n}" for n in SUMMED)
        parts: dict[Pair, dict[Group, list[Part]]] = defaultdict(lambda: defaultdict(list))
        fractions = False
        for row in self._rows(
            f"SELECT metric, scope{group}, {added} FROM ({' UNION ALL '.join(selects)}) AS figures "
            f"GROUP BY metric, scope{group}",
            params,
        ):
            whole, count, whole_count = (int(v) for v in row[-3 - len(_IN_COUNTS):-len(_IN_COUNTS)])
            if not count:
                continue
            value = Decimal(whole)
            found = parts[(row[0], row[1])][row[2] if group else None]
            for qualifier, n in zip(_IN_COUNTS, row[-len(_IN_COUNTS):], strict=True):
                if n:
                    # The value once, on the first part: a group adds its parts' values up.
                    found.append(Part(qualifier, value, int(n), False))
                    value = Decimal(0)
            fractions = fractions or whole_count < count
        return parts, fractions

    def reports(self) -> dict[Pair, list[ReportDates]]:
        """The reports counted by the day, per (metric, scope), as their ids and dates: all
        that choosing among them reads. Their rows are kept, for `report` to make whole."""
        found: dict[Pair, list[ReportDates]] = defaultdict(list)
        for row in self._rows(f"SELECT {FIGURE_COLUMNS} FROM {self.table} WHERE is_report = 1 AND counts_from <= ?"
                              f"{self.only}", [self.day, *self.metrics]):
            item_id, metric, scope, lower, upper = row[0], row[1], row[2], row[7], row[8]
            found[(metric, scope)].append(ReportDates(item_id, date_of(lower), date_of(upper)))
            self.report_rows[(metric, item_id)] = row
        return found

    def report(self, metric: str, item_id: str) -> Figure:
        """A report `reports` read, whole."""
        return figure_from(self.report_rows[(metric, item_id)])

    def overlapping(self, pair: Pair, chosen: list[Figure], columns: str) -> list[tuple]:
        """`SELECT columns` over the itemized figures of the pair counted by the day whose
        dates overlap a chosen report's. The scan is of the pair's rows, which the table's
        key keeps together, up to the last report's end."""
        spans = _spans(chosen)
        params: list[Any] = [*pair, self.day, spans[-1][1]]
        for lower, upper in spans:
            params += [upper, lower]
        condition = " OR ".join("(lower <= ? AND upper >= ?)" for _ in spans)
        return self._rows(
            f"SELECT {columns} FROM {self.table} WHERE metric = ? AND scope = ? AND is_report = 0 "
            f"AND counts_from <= ? AND lower <= ? AND ({condition})",
            params,
        )

    def uncovered(self, pair: Pair, chosen: list[Figure], columns: str, outer: str = "*", where: str = "",
                  group_by: str = "") -> list[tuple]:
        """`SELECT outer` over `SELECT columns` of the itemized figures of the pair counted
        by the day whose dates overlap no chosen report's: those in the gaps between the
        reports' periods, each gap a range of the table's key, so that the scan is of the
        gaps, not of the years the reports stand for."""
        spans = _spans(chosen)
        gaps: list[tuple[str, list[str]]] = []
        if spans[0][0] != LOW:
            gaps.append(("lower < ? AND upper < ?", [spans[0][0]] * 2))
        for (_, end), (start, _) in itertools.pairwise(spans):
            gaps.append(("lower > ? AND lower < ? AND upper < ?", [end, start, start]))
        if spans[-1][1] < self.day:
            # A figure never counts from before its first day (totals.counts_from): none
            # that begins after the day counts by it.
            gaps.append(("lower > ? AND lower <= ?", [spans[-1][1], self.day]))
        if not gaps:
            return []
        selects, params = [], []
        for condition, bounds in gaps:
            selects.append(f"SELECT {columns} FROM {self.table} WHERE metric = ? AND scope = ? AND is_report = 0 "
                           f"AND counts_from <= ? AND {condition}{where}")
            params += [*pair, self.day, *bounds]
        return self._rows(f"SELECT {outer} FROM ({' UNION ALL '.join(selects)}) AS gaps"
                          + (f" GROUP BY {group_by}" if group_by else ""), params)

    def add_fractions(self, parts: dict[Pair, dict[Group, list[Part]]], reported: set[Pair]) -> None:
        """Add the values SQL did not, as parts of no count (they are counted already),
        but for the pairs with reports, whose parts are read apart (`uncovered`)."""
        # Named metrics lead SQLite to the small index of such values; counts of events
        # (always 1) never need it.
        metrics = self.metrics or sorted(METRICS)
        for row in self._rows(
            f"SELECT metric, scope, item_id{self.group}, qualifier, value FROM {self.table} "
            f"WHERE units IS NULL AND is_report = 0 AND counts_from <= ? AND metric IN ({','.join('?' * len(metrics))})",
            [self.day, *metrics],
        ):
            pair = (row[0], row[1])
            if pair not in reported:
                parts[pair][row[3] if self.group else None].append(Part(_QUALIFIERS[row[-2]], Decimal(row[-1]), 0, False))

    def pending(self) -> list[tuple]:
        """Figures that may or may not have happened by the day: their dates begin on or
        before it and they count only after it (a planned one, counting from HIGH, never).
        As (metric, scope, item_id, lower, upper), all in the index the scan uses: a range
        of it per tier and metric."""
        metrics, in_metrics = self.named, self.in_named
        selects, params = [], []
        for n in range(TIERS):
            first = ""
            if n < len(TIER_DAYS):
                first = " AND lower >= ?"
                params.append(date.fromordinal(max(1, self.as_of.toordinal() - TIER_DAYS[n])).isoformat())
            selects.append(f"SELECT metric, scope, item_id, lower, upper FROM {self.table} WHERE tier = {n}{first} "
                           f"AND lower <= ? AND counts_from > ? AND counts_from < ? AND {in_metrics}")
            params += [self.day, self.day, HIGH, *metrics]
        return self._rows(" UNION ALL ".join(selects), params)

    def ids(self, covered: dict[Pair, set[str]], chosen: dict[Pair, list[Figure]]) -> dict[Pair, dict[Group, list[str]]]:
        """Each group's item ids in (counts_from, item_id) order, the plain path's order.
        Sorted here: a backend's collation might order text otherwise."""
        found: dict[Pair, dict[Group, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        for row in self._rows(
            f"SELECT metric, scope{self.group}, counts_from, item_id FROM {self.table} "
            f"WHERE is_report = 0 AND counts_from <= ?{self.only}",
            [self.day, *self.metrics],
        ):
            pair = (row[0], row[1])
            if row[-1] not in covered.get(pair, ()):
                found[pair][row[2] if self.group else None].append((row[-2], row[-1]))
        for pair, reports in chosen.items():
            for r in reports:
                found[pair][_group_of(r, self.by)].append((key(r.counts_from, HIGH), r.item_id))
        return {pair: {name: [i for _, i in sorted(v)] for name, v in groups.items()} for pair, groups in found.items()}


def _buckets(groups: dict[Group, list[Part]], by: str, listed: dict[Group, list[str]] | None) -> dict[str | None, Sum]:
    """One Sum per group that adds up anything; months merged into their quarter or year, in order."""
    buckets: dict[str | None, Sum] = {}
    for name in sorted(groups, key=lambda k: k or ""):
        parts = groups[name]
        count = sum(p.count for p in parts)
        if not count:
            continue  # every figure of the group stands beside a report
        net: dict[tuple[Qualifier, bool], int] = defaultdict(int)
        for p in parts:
            net[(p.qualifier, p.is_report)] += p.count
        present = [k for k, n in net.items() if n]
        part = Sum(sum((p.value for p in parts), Decimal(0)), count, frozenset(qf for qf, _ in present),
                   frozenset(r for _, r in present), listed.get(name, []) if listed is not None else Ids(count))
        if by in ("month", "quarter", "year"):
            assert name is not None
            name = period(int(name[:4]), int(name[5:7]), by)
        buckets[name] = buckets[name] + part if name in buckets else part
    return buckets

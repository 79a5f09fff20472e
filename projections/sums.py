"""Totals answered from the figures table by SQL sums, the same SQL on every backend.

The plain path (`totals.totals`) reads every figure and adds them up in Python: at a
million events, over a million rows decoded for one answer. Here SQL adds up what it can
exactly, and Python only what the rules decide figure by figure:

- A (metric, scope) with a period report counted by the day is *ruled* by it. Which of its
  figures the report stands for depends on each one's dates, so its figures take the
  plain path.
- Every other (metric, scope) is summed in SQL over a covering index: whole numbers below
  `UNITS_BELOW` in the `units` column, grouped by metric, scope, group and qualifier. A
  value that is not such a number (a fraction, say) is added in Python from its text.
- Pending figures (whose dates lie across the day) come from a range scan per tier, as
  the timeline's rows do.

Tests hold every answer equal to the plain path's, on both backends.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from events import Qualifier
from projections.rows import FIGURE_COLUMNS, HIGH, TIER_DAYS, TIERS, figure_from
from projections.totals import NOTHING, Ids, Sum, Total, period, rows_of, totals

Pair = tuple[str, str]  # (metric, scope)

# The column a --by groups on: by kind, or by the month a figure counts from (months
# become quarters and years in Python). None: one group per (metric, scope).
_GROUP_COLUMN = {"scope": None, "kind": "kind"}
_MONTH = "substr(counts_from, 1, 7)"
_QUALIFIERS = {q.value: q for q in Qualifier}


def sql_totals(
    c: Any, table: str, as_of: date, metrics: list[str], by: str, cumulative: bool, ids: bool
) -> list[Total]:
    """As `totals.totals` over every figure of `table`, read with cursor `c` (`?` placeholders).

    With `ids` False, each total's `events` is an `Ids` that knows how many items it adds
    up but not which: a table prints that number, so the ids are not read.
    """
    day = as_of.isoformat()
    only = f" AND metric IN ({','.join('?' * len(metrics))})" if metrics else ""
    # Reports are few: filtered here, for a metric clause would lead the planner to the
    # index of all that metric's figures instead of the one of reports.
    c.execute(f"SELECT metric, scope FROM {table} WHERE is_report = 1 AND counts_from <= ?", [day])
    ruled: set[Pair] = {(m, s) for m, s in c.fetchall() if not metrics or m in metrics}
    answers: dict[Pair, list[Total]] = defaultdict(list)
    for t in totals(_ruled_figures(c, table, ruled, day), as_of, metrics, by, cumulative):
        answers[(t.metric, t.scope)].append(t)

    column = _GROUP_COLUMN.get(by, _MONTH)
    # Every column named: PostgreSQL rows come back keyed by name.
    group = f", {column} AS grp" if column else ""
    by_group = f", {column}" if column else ""
    c.execute(
        f"SELECT metric, scope{group}, qualifier, SUM(units) AS whole, COUNT(*) AS n, COUNT(units) AS n_whole "
        f"FROM {table} WHERE is_report = 0 AND counts_from <= ?{only} GROUP BY metric, scope{by_group}, qualifier",
        [day, *metrics],
    )
    parts: dict[Pair, dict[str | None, list[tuple[Qualifier, Decimal, int]]]] = defaultdict(lambda: defaultdict(list))
    fractions = False
    for row in c.fetchall():
        metric, scope = row[0], row[1]
        if (metric, scope) in ruled:
            continue
        name = row[2] if column else None
        qualifier, whole, count, whole_count = row[-4:]
        parts[(metric, scope)][name].append((_QUALIFIERS[qualifier], Decimal(whole or 0), count))
        fractions = fractions or whole_count < count
    if fractions:
        _add_fractions(c, table, parts, day, only, metrics, group)
    listed = _ids(c, table, ruled, day, only, metrics, group) if ids else None
    pending = _pending(c, table, ruled, day, only, metrics)

    for pair in parts.keys() | pending.keys():
        buckets = _buckets(parts.get(pair, {}), by, listed.get(pair, {}) if listed is not None else None)
        answers[pair] = rows_of(*pair, buckets or {None: NOTHING}, [], sorted(pending.get(pair, [])), cumulative)
    return [t for pair in sorted(answers) for t in answers[pair]]


def _ruled_figures(c: Any, table: str, ruled: set[Pair], day: str) -> list:
    figures = []
    for metric, scope in sorted(ruled):
        c.execute(f"SELECT {FIGURE_COLUMNS} FROM {table} WHERE metric = ? AND scope = ? AND lower <= ?",
                  (metric, scope, day))
        figures.extend(figure_from(tuple(r)) for r in c.fetchall())
    return figures


def _add_fractions(c: Any, table: str, parts: dict, day: str, only: str, metrics: list[str], group: str) -> None:
    """Add the values SQL did not: each as a part of no count, for it is counted already."""
    c.execute(
        f"SELECT metric, scope{group}, qualifier, value FROM {table} "
        f"WHERE units IS NULL AND is_report = 0 AND counts_from <= ?{only}",
        [day, *metrics],
    )
    for row in c.fetchall():
        if (row[0], row[1]) in parts:
            parts[(row[0], row[1])][row[2] if group else None].append((_QUALIFIERS[row[-2]], Decimal(row[-1]), 0))


def _ids(c: Any, table: str, ruled: set[Pair], day: str, only: str, metrics: list[str], group: str) -> dict:
    """Each group's item ids in (counts_from, item_id) order, the plain path's order.
    Sorted here: a backend's collation might order text otherwise."""
    c.execute(
        f"SELECT metric, scope{group}, counts_from, item_id FROM {table} WHERE is_report = 0 AND counts_from <= ?{only}",
        [day, *metrics],
    )
    found: dict[Pair, dict[str | None, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for row in c.fetchall():
        if (row[0], row[1]) not in ruled:
            found[(row[0], row[1])][row[2] if group else None].append((row[-2], row[-1]))
    return {pair: {name: [i for _, i in sorted(v)] for name, v in groups.items()} for pair, groups in found.items()}


def _pending(c: Any, table: str, ruled: set[Pair], day: str, only: str, metrics: list[str]) -> dict[Pair, list[str]]:
    """Figures that may or may not have happened by the day: their dates begin on or before
    it and they count only after it (a planned one, counting from HIGH, never does)."""
    selects, params = [], []
    for n in range(TIERS):
        first = ""
        if n < len(TIER_DAYS):
            first = " AND lower >= ?"
            params.append(date.fromordinal(max(1, date.fromisoformat(day).toordinal() - TIER_DAYS[n])).isoformat())
        selects.append(f"SELECT metric, scope, item_id FROM {table} WHERE tier = {n}{first} AND lower <= ? "
                       f"AND counts_from > ? AND counts_from < ?{only}")
        params += [day, day, HIGH, *metrics]
    c.execute(" UNION ALL ".join(selects), params)
    pending: dict[Pair, list[str]] = defaultdict(list)
    for metric, scope, item_id in c.fetchall():
        if (metric, scope) not in ruled:
            pending[(metric, scope)].append(item_id)
    return pending


def _buckets(groups: dict[str | None, list[tuple[Qualifier, Decimal, int]]], by: str,
             listed: dict[str | None, list[str]] | None) -> dict[str | None, Sum]:
    """One Sum per group; months merged into their quarter or year, in order."""
    buckets: dict[str | None, Sum] = {}
    for name in sorted(groups, key=lambda k: k or ""):
        rows = groups[name]
        count = sum(n for _, _, n in rows)
        value = sum((v for _, v, _ in rows), Decimal(0))
        part = Sum(value, count, frozenset(q for q, _, n in rows if n), frozenset({False}),
                   listed.get(name, []) if listed is not None else Ids(count))
        if by in ("month", "quarter", "year"):
            assert name is not None
            name = period(int(name[:4]), int(name[5:7]), by)
        buckets[name] = buckets[name] + part if name in buckets else part
    return buckets

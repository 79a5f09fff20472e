"""Reading the read model's tables: a date window, figures, every row; the same SQL on every backend.

Apart from the writes (store.py), so that a reader needs no event-store module: each
subclass supplies `_cursor(commit)`, a context manager yielding a cursor that takes `?`
placeholders, and its table names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from operator import itemgetter
from typing import Any

from events import Kind
from projections.rows import FIGURE_COLUMNS, LOW, SEQ_BITS, TIER_DAYS, TIERS, Entry, figure_from, place, row_from
from projections.sums import sql_totals
from projections.timeline import Row
from projections.totals import Figure, Total

LAST_SEQ = (1 << SEQ_BITS) - 1  # a day's last place is place(day, LAST_SEQ)


class ReadModelReads:
    timeline_table: str
    figures_table: str
    sums_table: str
    # A timeline row's JSON as UTF-8 bytes, not decoded into text (see Entry).
    data_bytes = "CAST(data AS BLOB)"
    # Each subclass's own: a context manager yielding a cursor (see the module docstring).
    _cursor: Callable[..., AbstractContextManager[Any]]

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._cursor(commit=False) as c:
            c.execute(sql, params)
            return [row_from(seq, data) for seq, data in c.fetchall()]

    def all_rows(self) -> list[Row]:
        return self._rows(f"SELECT seq, data FROM {self.timeline_table} ORDER BY seq")

    def timeline(self, lower: date, upper: date, *, strict: bool = False, kinds: Iterable[Kind] = ()) -> list[Entry]:
        """The rows a date may put in [lower, upper], judged by SQL, left undecoded.

        An index range scan per tier, never a full scan: a row of tier n has its first day
        at most TIER_DAYS[n] days before any window it reaches into. "within" and "overlaps"
        are When.within and When.overlaps on the stored bounds, where LOW and HIGH (open
        ends) sort outside every date.
        """
        lo, hi = lower.isoformat(), upper.isoformat()
        extra, extra_params = "", []
        if strict:
            extra += " AND lower >= ? AND upper <= ?"
            extra_params += [lo, hi]
        kind_names = sorted(k.value for k in kinds)
        if kind_names:
            extra += f" AND kind IN ({','.join('?' * len(kind_names))})"
            extra_params += kind_names
        certainty = "CASE WHEN lower >= ? AND upper <= ? THEN 'within' ELSE 'overlaps' END"
        selects, params = [], []
        for n in range(TIERS):
            first = date.fromordinal(max(1, lower.toordinal() - TIER_DAYS[n])) if n < len(TIER_DAYS) else None
            select = f"SELECT place, {certainty}, seq, {self.data_bytes} FROM {self.timeline_table} WHERE "
            if n == 0:
                # The shortest spans, most rows: their first days are the places' high bits,
                # so the table itself is scanned over the window's places, in order,
                # rather than the index then the table, a row at a time.
                assert first is not None
                selects.append(f"{select}place BETWEEN ? AND ? AND tier = 0 AND upper >= ?{extra}")
                params += [lo, hi, place(first, 0), place(upper, LAST_SEQ), lo, *extra_params]
                continue
            selects.append(f"{select}tier = {n} AND lower BETWEEN ? AND ? AND upper >= ?{extra}")
            params += [lo, hi, first.isoformat() if first else LOW, hi, lo, *extra_params]
        with self._cursor(commit=False) as c:
            c.execute(" UNION ALL ".join(selects), params)
            found = c.fetchall()
        # Sorted here, not by SQL: an ORDER BY over the union can make SQLite walk a
        # whole index in order instead of each tier's range. A place is unique and
        # orders by first day, then record order. (By key: a backend's rows may not compare.)
        found.sort(key=itemgetter(0))
        return [Entry(c, seq, data=data) for _, c, seq, data in found]

    def figures(self, metrics: Sequence[str], as_of: date) -> list[Figure]:
        """Every figure that may bear on totals as of the date: counted, pending or a report."""
        params: list[str] = [as_of.isoformat()]
        sql = f"SELECT {FIGURE_COLUMNS} FROM {self.figures_table} WHERE lower <= ?"
        if metrics:
            sql += f" AND metric IN ({','.join('?' * len(metrics))})"
            params.extend(metrics)
        with self._cursor(commit=False) as c:
            c.execute(sql, params)
            return [figure_from(tuple(r)) for r in c.fetchall()]

    def totals(self, as_of: date, metrics: Sequence[str], by: str, cumulative: bool, ids: bool) -> list[Total]:
        """The totals as of the day, summed by SQL; see projections.sums."""
        with self._cursor(commit=False) as c:
            return sql_totals(c, self.figures_table, self.sums_table, as_of, list(metrics), by, cumulative, ids)

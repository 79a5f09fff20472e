"""Reading the read model's tables: a date window, figures, every row; the same SQL on every backend.

Apart from the writes (store.py), so that a reader needs no event-store module: each
subclass supplies `_cursor(commit)`, a context manager yielding a cursor that takes `?`
placeholders, and its table names. SQL only selects rows here, by comparing stored
bounds with a window's; what a row means (its certainty, its order, what it adds up
to) is decided in Python by the same rules the in-memory fold uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from events import When
from projections.rows import FIGURE_COLUMNS, Entry, Timeline, figure_from, row_from
from projections.timeline import Row, Window, order_key
from projections.totals import Figure, Total, totals

FETCH = 5000  # rows fetched at a time when a whole table is read


class ReadModelReads:
    timeline_table: str
    figures_table: str
    # A timeline row's JSON as UTF-8 bytes, not decoded into text (see Entry).
    data_bytes = "CAST(data AS BLOB)"
    # Each subclass's own: a context manager yielding a cursor (see the module docstring).
    _cursor: Callable[..., AbstractContextManager[Any]]

    def rows(self) -> Iterator[Row]:
        """Every current item in record order, read a few thousand at a time."""
        after = -1
        with self._cursor(commit=False) as c:  # one read transaction: one state of the view
            while True:
                c.execute(f"SELECT seq, data FROM {self.timeline_table} WHERE seq > ? ORDER BY seq LIMIT ?", (after, FETCH))
                batch = c.fetchall()
                if not batch:
                    return
                for seq, data in batch:
                    yield row_from(seq, data)
                after = batch[-1][0]

    def all_rows(self) -> list[Row]:
        return list(self.rows())

    def timeline(self, window: Window) -> Timeline:
        """The rows of the window in timeline order, their JSON left undecoded.

        SQL selects the rows whose span may touch the window (first day on or before its
        last, last day on or after its first), by their date and kind alone; `Window`
        then decides each one, and `order_key` orders them. Their JSON is read only as
        the answer is written, a page at a time. A write between two pages shows in the
        pages after it; an item retracted meanwhile is left out.
        """
        sql = f"SELECT seq, date, kind FROM {self.timeline_table} WHERE lower <= ? AND upper >= ?"
        with self._cursor(commit=False) as c:
            c.execute(sql, (window.upper.isoformat(), window.lower.isoformat()))
            found = c.fetchall()
        keyed = []
        for seq, text, kind in found:
            when = When.parse(text)
            certainty = window.holds(kind, when)
            if certainty:
                keyed.append((order_key(when, seq), certainty))
        del found
        keyed.sort(key=lambda pair: pair[0])
        return Timeline([(key[2], certainty, key[0]) for key, certainty in keyed], self._entries)

    def _entries(self, page: Sequence[tuple[int, str]]) -> list[Entry]:
        """The entries of a page of (seq, certainty), in that order, their JSON as stored."""
        marks = ",".join("?" * len(page))
        with self._cursor(commit=False) as c:
            c.execute(f"SELECT seq, {self.data_bytes} FROM {self.timeline_table} WHERE seq IN ({marks})",
                      [seq for seq, _ in page])
            data = dict(c.fetchall())
        return [Entry(certainty, seq, data=bytes(data[seq])) for seq, certainty in page if seq in data]

    def figures(self, metrics: Sequence[str], as_of: date) -> list[Figure]:
        """Every figure that may bear on totals as of the day: those that had begun by it
        (counted, pending, a report, or set beside one). The rules decide which is which."""
        params: list[str] = [as_of.isoformat()]
        sql = f"SELECT {FIGURE_COLUMNS} FROM {self.figures_table} WHERE lower <= ?"
        if metrics:
            sql += f" AND metric IN ({','.join('?' * len(metrics))})"
            params.extend(metrics)
        with self._cursor(commit=False) as c:
            c.execute(sql, params)
            return [figure_from(tuple(r)) for r in c.fetchall()]

    def totals(self, as_of: date, metrics: Sequence[str], by: str, cumulative: bool) -> list[Total]:
        return totals(self.figures(metrics, as_of), as_of, metrics, by, cumulative)


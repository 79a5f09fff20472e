"""Reading the read model's tables: a date window, figures, every row; the same SQL on every backend.

Apart from the writes (store.py), so that a reader needs no event-store module: each
subclass supplies `_cursor(commit)`, a context manager yielding a cursor that takes `?`
placeholders, and its table names. SQL only selects rows here, by comparing stored
bounds with a window's; what a row means (its certainty, its order, what it adds up
to) is decided in Python by the same rules the in-memory fold uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any

from events import Item, When
from events.when import bounds, reach
from projections.rows import (
    DOCUMENT_COLUMNS, FIGURE_COLUMNS, LINK_COLUMNS, Entry, Tables, Timeline, figure_from, link_from, row_from,
    summary_from,
)
from projections.sameness import Sameness
from projections.state import Link
from projections.timeline import Row, Window, order_key
from projections.totals import Figure, Total, totals

FETCH = 5000  # rows fetched at a time when a whole table is read
MAX_SEQ = 2**63 - 1  # past every position of the log (a BIGINT)
# The rows whose span may touch a window: first day on or before its last, last day on or
# after its first (`_span` gives the two days); `Window.holds` then decides each row.
SPAN = "lower <= ? AND upper >= ?"


def _span(window: Window) -> tuple[str, str]:
    return window.upper.isoformat(), window.lower.isoformat()


class ReadModelReads:
    tables: Tables
    # A timeline row's JSON as UTF-8 bytes, not decoded into text (see Entry).
    data_bytes = "CAST(data AS BLOB)"
    # Each subclass's own: a context manager yielding a cursor (see the module docstring).
    _cursor: Callable[..., AbstractContextManager[Any]]

    def rows(self) -> Iterator[Row]:
        """Every current item in record order, read a few thousand at a time."""
        after = -1
        with self._cursor(commit=False) as c:  # one read transaction: one state of the view
            while True:
                c.execute(f"SELECT seq, data FROM {self.tables.timeline} WHERE seq > ? ORDER BY seq LIMIT ?", (after, FETCH))
                batch = c.fetchall()
                if not batch:
                    return
                for seq, data in batch:
                    yield row_from(seq, data)
                after = batch[-1][0]

    def all_rows(self) -> list[Row]:
        return list(self.rows())

    def timeline(self, window: Window) -> Timeline:
        """The rows of the window in timeline order, their JSON left undecoded; a group
        of linked items as one row (sameness.py), decided by its own date.

        SQL selects the rows whose span may touch the window (first day on or before its
        last, last day on or after its first), by their date and kind alone; `Window`
        then decides each one, and `order_key` orders them. Their JSON is read only as
        the answer is written, a page at a time. A write between two pages shows in the
        pages after it; an item retracted meanwhile is left out.
        """
        sql = f"SELECT item_id, seq, date, kind FROM {self.tables.timeline} WHERE {SPAN}"
        with self._cursor(commit=False) as c:
            c.execute(sql, _span(window))
            found = c.fetchall()
        sameness = self.sameness()
        grouped = sameness.ranks
        keyed = []
        for item_id, seq, text, kind in found:
            if item_id in grouped:
                continue
            when = When.parse(text)
            certainty = window.holds(kind, when)
            if certainty:
                keyed.append((order_key(when, seq), certainty))
        del found
        # Groups are few and made in memory: their rows are looked up there, not in SQL.
        merged = {}
        for row in sameness.merged():
            certainty = window.holds(row.item.kind, row.item.when)
            if certainty:
                keyed.append((order_key(row.item.when, row.seq), certainty))
                merged[row.seq] = row
        keyed.sort(key=lambda pair: pair[0])
        return Timeline([(key[2], certainty, key[0]) for key, certainty in keyed],
                        lambda page: self._entries(page, merged))

    def _entries(self, page: Sequence[tuple[int, str]], merged: dict[int, Row]) -> list[Entry]:
        """The entries of a page of (seq, certainty), in that order: their JSON as stored,
        or a group's row as made in memory."""
        stored = [seq for seq, _ in page if seq not in merged]
        data: dict[int, bytes] = {}
        if stored:
            with self._cursor(commit=False) as c:
                c.execute(f"SELECT seq, {self.data_bytes} FROM {self.tables.timeline} "
                          f"WHERE seq IN ({','.join('?' * len(stored))})", stored)
                data = dict(c.fetchall())
        return [Entry.of(merged[seq], certainty) if seq in merged else Entry(certainty, seq, data=bytes(data[seq]))
                for seq, certainty in page if seq in merged or seq in data]

    def figures(self, metrics: Sequence[str], as_of: date) -> list[Figure]:
        """Every figure that may bear on totals as of the day: those that had begun by it
        (counted, pending, a report, or set beside one), a group's counted once. The
        rules decide which is which.

        A group's figures are all read, begun or not: whether a member's figure counts
        depends on the others' (sameness.py)."""
        params: list[str] = [as_of.isoformat()]
        sql = f"SELECT {FIGURE_COLUMNS} FROM {self.tables.figures} WHERE lower <= ?"
        if metrics:
            sql += f" AND metric IN ({','.join('?' * len(metrics))})"
            params.extend(metrics)
        sameness = self.sameness()
        with self._cursor(commit=False) as c:
            c.execute(sql, params)
            figures = [figure_from(tuple(r)) for r in c.fetchall()]
            if not sameness.groups:
                return figures
            grouped = list(sameness.ranks)
            c.execute(f"SELECT {FIGURE_COLUMNS} FROM {self.tables.figures} WHERE item_id IN "
                      f"({','.join('?' * len(grouped))})", grouped)
            wanted = set(metrics)
            figures = [f for f in figures if f.item_id not in sameness.ranks] + [
                f for f in (figure_from(tuple(r)) for r in c.fetchall()) if not wanted or f.metric in wanted]
        return sameness.counted(figures)

    def totals(self, as_of: date, metrics: Sequence[str], by: str, cumulative: bool) -> list[Total]:
        return totals(self.figures(metrics, as_of), as_of, metrics, by, cumulative)

    # Links and documents ----------------------------------------------------------

    def links(self) -> list[Link]:
        """Every link in force, in the order they were made. People make them one by
        one, so there are few: they are read whole."""
        with self._cursor(commit=False) as c:
            c.execute(f"SELECT {LINK_COLUMNS} FROM {self.tables.links} ORDER BY seq")
            return [link_from(tuple(r)) for r in c.fetchall()]

    def sameness(self) -> Sameness:
        links = self.links()
        if not links:
            return Sameness([])
        linked = sorted({i for link in links for i in link.items})
        current = {}
        with self._cursor(commit=False) as c:
            for start in range(0, len(linked), FETCH):
                chunk = linked[start : start + FETCH]
                c.execute(f"SELECT seq, data FROM {self.tables.timeline} WHERE item_id IN "
                          f"({','.join('?' * len(chunk))})", chunk)
                current.update((row.item.id, row) for row in (row_from(seq, data) for seq, data in c.fetchall()))
        return Sameness.of((link.items for link in links), current)

    def near(
        self, items: Iterable[Item], before: int | None = None
    ) -> Iterator[tuple[Item, list[str], Callable[[list[int]], list[Item]]]]:
        """For each item, the current items of other documents (recorded at or before the
        log position `before`, if given), of its kind, whose dates
        may overlap its own: per span class c (events/when.py), those whose first day is
        within reach(c) days before the item's, one range of an index each. Their titles,
        and a function reading the items at some places in full, in one query: most
        titles are not similar enough to read further. One read transaction for all."""
        with self._cursor(commit=False) as c:
            c.execute(f"SELECT DISTINCT span_class FROM {self.tables.timeline}")
            classes = sorted(r[0] for r in c.fetchall())
            # One SELECT per class, joined by UNION ALL: each is a range of the index, which
            # SQLite walks seven times faster than the same ranges joined by OR.
            one = (f"SELECT title, seq FROM {self.tables.timeline} WHERE kind = ? AND span_class = ? "
                   "AND near_from BETWEEN ? AND ? AND document <> ? AND seq <= ?")
            sql = " UNION ALL ".join([one] * len(classes))
            for item in items:
                lower, upper = bounds(item.when)
                params: list = []
                for cls in classes:
                    first = lower - timedelta(days=min(reach(cls), lower.toordinal() - 1))
                    params += [item.kind.value, cls, first.isoformat(), upper.isoformat(), item.source.document,
                               before if before is not None else MAX_SEQ]
                found: list = []
                if classes:
                    c.execute(sql, params)
                    found = c.fetchall()

                def others(ks: list[int], found: list = found) -> list[Item]:
                    seqs = [found[k][1] for k in ks]
                    c.execute(f"SELECT seq, data FROM {self.tables.timeline} WHERE seq IN ({','.join('?' * len(seqs))})",
                              seqs)
                    return [row_from(seq, data).item for seq, data in c.fetchall()]

                yield item, [title for title, _ in found], others

    def documents(self) -> list[dict]:
        """Every registered document, without its text, in the order registered."""
        with self._cursor(commit=False) as c:
            c.execute(f"SELECT {DOCUMENT_COLUMNS} FROM {self.tables.documents} ORDER BY seq")
            return [summary_from(tuple(r)) for r in c.fetchall()]

"""The read model's tables and queries, the same SQL on every backend.

Each backend's recorder supplies `_cursor(commit)`, a context manager yielding a cursor
that takes `?` placeholders, and its table names; view rows and the tracking position
are always written in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking

from projections.rows import (
    FIGURE_COLUMNS, FIGURES, LOW, TIER_DAYS, TIERS, TIMELINE, Entry, figure_from, figure_params, row_from,
    timeline_params,
)
from projections.timeline import Change, Delete, Row, Upsert, collapse
from projections.totals import Figure

CHUNK = 500


def create_statements(timeline: str, figures: str, index_prefix: str = "", stale: tuple[str, ...] = ()) -> list[str]:
    p = index_prefix
    return [
        *(f"DROP TABLE IF EXISTS {table}" for table in stale),
        f"CREATE TABLE IF NOT EXISTS {timeline} ("
        "item_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, lower TEXT NOT NULL, upper TEXT NOT NULL, "
        "tier INTEGER NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL)",
        *(
            f"CREATE INDEX IF NOT EXISTS {p}{TIMELINE}_tier{n} ON {timeline} (lower, upper) WHERE tier = {n}"
            for n in range(TIERS)
        ),
        f"CREATE TABLE IF NOT EXISTS {figures} ("
        "item_id TEXT NOT NULL, metric TEXT NOT NULL, scope TEXT NOT NULL, kind TEXT NOT NULL, "
        "value TEXT NOT NULL, unit TEXT NOT NULL, qualifier TEXT NOT NULL, lower TEXT NOT NULL, "
        "upper TEXT NOT NULL, counts_from TEXT NOT NULL, is_report INTEGER NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {p}{FIGURES}_metric ON {figures} (metric, lower)",
        f"CREATE INDEX IF NOT EXISTS {p}{FIGURES}_item ON {figures} (item_id)",
    ]


class ReadModelQueries:
    timeline_table: str
    figures_table: str
    datastore: Any  # the library's datastore of each backend
    # Wraps a backend's cursor so that it takes `?` placeholders, keeping the raw one as `.raw`.
    cursor_class: type

    @contextmanager
    def _cursor(self, *, commit: bool) -> Iterator[Any]:
        with self.datastore.transaction(commit=commit) as c:
            yield self.cursor_class(c)

    def clear(self, application_name: str) -> None:
        """Empty the view and forget its position, in one transaction."""
        with self._cursor(commit=True) as c:
            c.execute(f"DELETE FROM {self.timeline_table}")
            c.execute(f"DELETE FROM {self.figures_table}")
            c.execute(f"DELETE FROM {self.tracking_table} WHERE application_name=?", (application_name,))

    # `_insert_tracking(cursor, tracking)` comes from the library's tracking recorder of
    # each backend; it must not be declared here, where it would shadow that one.
    _insert_tracking: Any

    tracking_table: str
    # Locks the tracking row until commit where the backend can (PostgreSQL).
    lock_suffix = ""

    def write(self, changes: Sequence[Change], tracking: Tracking, after: int) -> None:
        """Apply the changes of the events after position `after`, and move the position.

        All or nothing, and only if the position is still `after`: two processes that
        read the same page must not both apply it. The check comes after the writes,
        when this transaction holds the write lock, so no other writer can slip between.
        """
        with self._cursor(commit=True) as c:
            self._apply(c, changes)
            c.execute(
                f"SELECT notification_id FROM {self.tracking_table} WHERE application_name=?{self.lock_suffix}",
                (tracking.application_name,),
            )
            found = c.fetchall()
            if (found[0][0] if found else 0) != after:
                raise IntegrityError(f"{tracking.application_name} is no longer at position {after}")
            self._insert_tracking(c.raw, tracking)

    def ensure_position(self, name: str) -> None:
        """Give the view a tracking row at 0, so that concurrent first writes contend for it."""
        with self._cursor(commit=True) as c:
            c.execute(
                f"INSERT INTO {self.tracking_table} (application_name, notification_id) VALUES (?, 0) "
                "ON CONFLICT (application_name) DO NOTHING",
                (name,),
            )

    def _apply(self, c: Any, changes: Sequence[Change]) -> None:
        changes = collapse(changes)
        # A first recording has no figures yet; only corrections and retractions replace some.
        deletes = [(ch.item_id,) for ch in changes if isinstance(ch, Delete)]
        stale = deletes + [(ch.row.item.id,) for ch in changes if isinstance(ch, Upsert) and ch.replaces]
        if stale:
            c.executemany(f"DELETE FROM {self.figures_table} WHERE item_id=?", stale)
        if deletes:
            c.executemany(f"DELETE FROM {self.timeline_table} WHERE item_id=?", deletes)
        upserts = [ch.row for ch in changes if isinstance(ch, Upsert)]
        if upserts:
            c.executemany(
                f"INSERT INTO {self.timeline_table} VALUES (?,?,?,?,?,?,?) ON CONFLICT (item_id) DO UPDATE SET "
                "lower=excluded.lower, upper=excluded.upper, tier=excluded.tier, kind=excluded.kind, "
                "data=excluded.data",
                [timeline_params(r) for r in upserts],
            )
            figures = [p for r in upserts for p in figure_params(r)]
            if figures:
                c.executemany(f"INSERT INTO {self.figures_table} VALUES (?,?,?,?,?,?,?,?,?,?,?)", figures)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._cursor(commit=False) as c:
            c.execute(sql, params)
            return [row_from(seq, data) for seq, data in c.fetchall()]

    def all_rows(self) -> list[Row]:
        return self._rows(f"SELECT seq, data FROM {self.timeline_table} ORDER BY seq")

    def timeline(self, lower: date, upper: date, *, strict: bool = False, kinds: Sequence[str] = ()) -> list[Entry]:
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
        if kinds:
            extra += f" AND kind IN ({','.join('?' * len(kinds))})"
            extra_params += list(kinds)
        certainty = "CASE WHEN lower >= ? AND upper <= ? THEN 'within' ELSE 'overlaps' END"
        selects, params = [], []
        for n in range(TIERS):
            first = date.fromordinal(max(1, lower.toordinal() - TIER_DAYS[n])).isoformat() if n < len(TIER_DAYS) else LOW
            selects.append(
                f"SELECT {certainty}, seq, data, lower FROM {self.timeline_table} "
                f"WHERE tier = {n} AND lower BETWEEN ? AND ? AND upper >= ?{extra}"
            )
            params += [lo, hi, first, hi, lo, *extra_params]
        with self._cursor(commit=False) as c:
            c.execute(" UNION ALL ".join(selects), params)
            found = c.fetchall()
        # Sorted here, not by SQL: an ORDER BY over the union can make SQLite walk a
        # whole index in order instead of each tier's range.
        found.sort(key=lambda r: (r[3], r[1]))
        return [Entry(c, seq, data=data) for c, seq, data, _ in found]

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

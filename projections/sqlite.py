"""The read model in SQLite: view rows and the tracking position in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteTrackingRecorder

from projections.rows import HIGH, LOW, NARROW_DAYS, figure_from, figure_params, row_from, timeline_params
from projections.timeline import Change, Delete, Row, Upsert
from projections.totals import Figure

_UPSERT = (
    "INSERT INTO timeline VALUES (?,?,?,?,?,?,?) ON CONFLICT (item_id) DO UPDATE SET "
    "lower=excluded.lower, upper=excluded.upper, wide=excluded.wide, kind=excluded.kind, data=excluded.data"
)


class ReadModelSQLiteRecorder(SQLiteTrackingRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS timeline ("
            "item_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, lower TEXT NOT NULL, upper TEXT NOT NULL, "
            "wide INTEGER NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS timeline_lower ON timeline (lower, seq)",
            "CREATE INDEX IF NOT EXISTS timeline_upper ON timeline (upper)",
            "CREATE INDEX IF NOT EXISTS timeline_wide ON timeline (lower) WHERE wide = 1",
            "CREATE TABLE IF NOT EXISTS figures ("
            "item_id TEXT NOT NULL, metric TEXT NOT NULL, scope TEXT NOT NULL, kind TEXT NOT NULL, "
            "value TEXT NOT NULL, unit TEXT NOT NULL, qualifier TEXT NOT NULL, lower TEXT NOT NULL, "
            "upper TEXT NOT NULL, counts_from TEXT NOT NULL, is_report INTEGER NOT NULL)",
            "CREATE INDEX IF NOT EXISTS figures_metric ON figures (metric, lower)",
            "CREATE INDEX IF NOT EXISTS figures_item ON figures (item_id)",
        ]

    def write(self, changes: Sequence[Change], tracking: Tracking) -> None:
        """Apply the changes and move the tracking position, all or nothing."""
        with self.datastore.transaction(commit=True) as c:
            self._write(c, changes)
            self._insert_tracking(c, tracking)

    def _write(self, c, changes: Sequence[Change]) -> None:  # type: ignore[no-untyped-def]
        # A first recording has no figures yet; only corrections and retractions replace some.
        stale = [(ch.item_id,) for ch in changes if isinstance(ch, Delete)]
        stale += [(ch.row.item.id,) for ch in changes if isinstance(ch, Upsert) and ch.replaces]
        if stale:
            c.executemany("DELETE FROM figures WHERE item_id=?", stale)
        deletes = [(ch.item_id,) for ch in changes if isinstance(ch, Delete)]
        if deletes:
            c.executemany("DELETE FROM timeline WHERE item_id=?", deletes)
        upserts = [ch.row for ch in changes if isinstance(ch, Upsert)]
        c.executemany(_UPSERT, [timeline_params(r) for r in upserts])
        c.executemany(
            "INSERT INTO figures VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [p for r in upserts for p in figure_params(r)],
        )

    def clear(self, application_name: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("DELETE FROM timeline")
            c.execute("DELETE FROM figures")
            c.execute("DELETE FROM tracking WHERE application_name=?", (application_name,))

    def rows(self, item_ids: Iterable[str]) -> dict[str, Row]:
        ids = list(item_ids)
        found: dict[str, Row] = {}
        with self.datastore.transaction(commit=False) as c:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                c.execute(f"SELECT seq, data FROM timeline WHERE item_id IN ({','.join('?' * len(chunk))})", chunk)
                for seq, data in c.fetchall():
                    row = row_from(seq, data)
                    found[row.item.id] = row
        return found

    def all_rows(self) -> list[Row]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT seq, data FROM timeline ORDER BY seq")
            return [row_from(seq, data) for seq, data in c.fetchall()]

    def window(self, lower: date | None, upper: date | None) -> list[Row]:
        """Rows whose dates may fall in [lower, upper]: an indexed range scan, not a full one."""
        lo = lower.isoformat() if lower else LOW
        hi = upper.isoformat() if upper else HIGH
        if lower is not None:
            narrow_from = date.fromordinal(max(1, lower.toordinal() - NARROW_DAYS)).isoformat()
        else:
            narrow_from = LOW
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT seq, data FROM timeline WHERE wide=0 AND lower BETWEEN ? AND ? AND upper >= ? "
                "UNION ALL SELECT seq, data FROM timeline WHERE wide=1 AND lower <= ? AND upper >= ?",
                (narrow_from, hi, lo, hi, lo),
            )
            return [row_from(seq, data) for seq, data in c.fetchall()]

    def figures(self, metrics: Sequence[str], as_of: date) -> list[Figure]:
        """Every figure that may bear on totals as of the date: counted, pending or a report."""
        params: list[str] = [as_of.isoformat()]
        sql = "SELECT * FROM figures WHERE lower <= ?"
        if metrics:
            sql += f" AND metric IN ({','.join('?' * len(metrics))})"
            params.extend(metrics)
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [figure_from(tuple(r)) for r in c.fetchall()]

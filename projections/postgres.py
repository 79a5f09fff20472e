"""The read model in PostgreSQL: the same tables, in the events' database and schema."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.sql import SQL

from projections.rows import FIGURES, STALE_TABLES, TIMELINE
from projections.store import ReadModelQueries, create_statements


class _Cursor:
    """A psycopg cursor that takes `?` placeholders, like sqlite3's."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.raw.execute(SQL(sql.replace("?", "%s")), list(params))  # type: ignore[arg-type]

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        self.raw.executemany(SQL(sql.replace("?", "%s")), params)  # type: ignore[arg-type]

    def fetchall(self) -> list[tuple]:
        return [tuple(r.values()) for r in self.raw.fetchall()]


class ReadModelPostgresRecorder(ReadModelQueries, PostgresTrackingRecorder):
    cursor_class = _Cursor

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        schema = datastore.schema
        self.timeline_table = f'"{schema}"."{TIMELINE}"'
        self.figures_table = f'"{schema}"."{FIGURES}"'
        self.tracking_table = f'"{schema}"."{self.tracking_table_name}"'
        self.lock_suffix = " FOR UPDATE"
        stale = tuple(f'"{schema}"."{table}"' for table in STALE_TABLES)
        for statement in create_statements(self.timeline_table, self.figures_table, place_type="BIGINT", stale=stale):
            self.sql_create_statements.append(SQL(statement))  # type: ignore[arg-type]

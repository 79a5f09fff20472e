"""The read model in PostgreSQL: the same tables, in the events' database and schema."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Any

import psycopg
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.sql import SQL

from projections.rows import Tables
from projections.store import ReadModelQueries


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
    data_bytes = "convert_to(data, 'UTF8')"

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.schema = datastore.schema
        self.tables = Tables().qualified(self.qualify)
        self.tracking_table = self.qualify(self.tracking_table_name)

    def qualify(self, name: str) -> str:
        return f'"{self.schema}"."{name}"'

    @contextmanager
    def _rebuilding(self) -> Iterator[Callable[[], AbstractContextManager[Any]]]:
        """A rebuild's transactions, all on one connection of the pool, whose session holds
        its temporary staging tables; it goes back to the pool without them, whatever
        became of the rebuild."""
        with self.datastore.get_connection() as connection:

            @contextmanager
            def transaction() -> Iterator[Any]:
                with connection.transaction():
                    yield self.cursor_class(connection.cursor())

            try:
                yield transaction
            finally:
                # A connection that broke takes its session's tables with it, and its error
                # here would hide the rebuild's own.
                with suppress(psycopg.Error):
                    connection.execute("DISCARD TEMP")

"""The read model in SQLite: view rows and the tracking position in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from eventsourcing.persistence import OperationalError
from eventsourcing.sqlite import SQLiteConnection, SQLiteTrackingRecorder

from projections.rows import Tables
from projections.store import ReadModelQueries


class _Cursor:
    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.execute = raw.execute
        self.executemany = raw.executemany
        self.fetchall = raw.fetchall


class ReadModelSQLiteRecorder(ReadModelQueries, SQLiteTrackingRecorder):
    tables = Tables()
    tracking_table = "tracking"
    cursor_class = _Cursor

    @contextmanager
    def _rebuilding(self) -> Iterator[Callable[[], AbstractContextManager[Any]]]:
        """A rebuild's transactions, on a connection of its own: its staging tables are
        in that connection's temporary database, so their rows never go through the
        store's log, and they are gone when it closes, however the rebuild ends."""
        pool = self.datastore.pool
        raw = sqlite3.connect(pool.db_name, uri=True, isolation_level=None, timeout=pool.lock_timeout or 5)
        try:
            connection = SQLiteConnection(sqlite_conn=raw, max_age=None)

            @contextmanager
            def transaction() -> Iterator[Any]:
                # The library's transaction: its BEGIN, its commit, and its errors.
                with connection.transaction(commit=True) as c:
                    yield self.cursor_class(c)

            yield transaction
        except sqlite3.Error as e:
            raise OperationalError(e) from e
        finally:
            raw.close()

"""The read model in SQLite: view rows and the tracking position in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from eventsourcing.persistence import OperationalError
from eventsourcing.sqlite import SQLiteConnection, SQLiteTrackingRecorder

from projections.rows import FIGURES, SUMS, TIMELINE
from projections.store import ReadModelQueries, create_statements

# A rebuild's own connection: the page cache it may fill (KiB). 32 MB and two sorter
# threads made a replay no faster here, and its peak memory 80 MB higher.
REBUILD_CACHE_KIB = 16 * 1024
PRAGMAS = ("synchronous = NORMAL", "wal_autocheckpoint = 50000", f"cache_size = -{REBUILD_CACHE_KIB}")


class _Cursor:
    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.execute = raw.execute
        self.executemany = raw.executemany
        self.fetchall = raw.fetchall


class ReadModelSQLiteRecorder(ReadModelQueries, SQLiteTrackingRecorder):
    timeline_table = TIMELINE
    figures_table = FIGURES
    sums_table = SUMS
    tracking_table = "tracking"
    cursor_class = _Cursor
    place_type = "INTEGER"
    clustered = " WITHOUT ROWID"

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            *create_statements(place_type=self.place_type, clustered=self.clustered),
        ]

    @contextmanager
    def _rebuilding(self) -> Iterator[Callable[[], AbstractContextManager[Any]]]:
        """A rebuild's transactions, on a connection of its own that leaves the disk
        until the end.

        With the store's settings every page's commit waited for the disk: it synced the
        log, and every thousand pages copied the log into the file (an automatic
        checkpoint). The rebuild's tables need neither: nobody reads them before the
        swap, and a crash before it leaves the old view as it was. So the log is not
        synced at each commit (`synchronous = NORMAL`, which in WAL mode loses commits
        only to a crash of the machine, never the file's integrity), and is copied into
        the file every 50,000 pages (200 MB), which bounds the disk it takes, then once
        at the end, by a checkpoint that syncs both.

        A page cache of its own, larger than the default 2 MB, keeps the sorts of the
        swap in memory longer; it counts in a replay's peak memory, hence its bound.

        The staging tables are in the connection's temporary database, a file of SQLite's
        temporary directory: their rows never go through the store's log nor leave free
        pages in its file (over a gigabyte at a million events), and closing the
        connection removes them without a DROP, which would read every page first.
        """
        raw = sqlite3.connect(
            self.datastore.pool.db_name, uri=True, isolation_level=None, timeout=self.datastore.pool.lock_timeout or 5
        )
        try:
            for pragma in PRAGMAS:
                raw.execute(f"PRAGMA {pragma}")
            connection = SQLiteConnection(sqlite_conn=raw, max_age=None)

            @contextmanager
            def transaction() -> Iterator[Any]:
                # The library's transaction: its BEGIN, its commit, and its errors.
                with connection.transaction(commit=True) as c:
                    yield self.cursor_class(c)

            yield transaction
            # Sync the log, copy it into the file, sync that and empty the log: now, once,
            # not left to the next command. Readers still on the old view may make it stop
            # short; the next checkpoint finishes it.
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as e:
            raise OperationalError(e) from e
        finally:
            raw.close()

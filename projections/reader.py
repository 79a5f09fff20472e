"""Reading a SQLite store's read model without the event store, when it is already current.

Most commands only read, and on a store that nobody has written since the last command
the read model is already up to date. Then nothing needs the event store, whose modules
(eventsourcing and the ledger) are a good part of a short command's start-up: this
reader opens the file read-only with the standard library, checks that the read model's
position is the log's last event, and answers with the same queries as the full path.
"""

from __future__ import annotations

import sqlite3
from dataclasses import astuple
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ledger.store import INITIALIZED
from projections.reads import ReadModelReads
from projections.rows import NAME, Tables


class CurrentSQLiteView(ReadModelReads):
    """The read model's queries over a plain read-only connection."""

    tables = Tables()

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    @contextmanager
    def _cursor(self, *, commit: bool) -> Iterator[Any]:
        # sqlite3's own cursor takes `?` placeholders already. One read transaction, so
        # that the several queries of one answer see one state of the file.
        cursor = self.connection.cursor()
        cursor.execute("BEGIN")
        try:
            yield cursor
        finally:
            self.connection.rollback()


def open_current(path: Path) -> CurrentSQLiteView | None:
    """The read model of the SQLite file at `path` if it is current; None if anything
    (a new or empty store, a read model behind its log, an older layout) needs the full path.
    An older layout has no tracking row under this layout's NAME, so the position check
    covers it: that row is written only after the layout's tables exist."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        [(last,)] = connection.execute("SELECT MAX(rowid) FROM stored_events").fetchall()
        position = connection.execute(
            "SELECT notification_id FROM tracking WHERE application_name = ?", (NAME,)
        ).fetchall()
        initialized = connection.execute("SELECT 1 FROM ledger_meta WHERE key = ?", (INITIALIZED,)).fetchall()
        for table in astuple(Tables()):  # a table gone: the full path makes the view anew
            connection.execute(f"SELECT 1 FROM {table} WHERE 1 = 0")
        # As needs_seed has it: a store with no events and no mark has yet to be seeded.
        if (not last and not initialized) or not position or position[0][0] != (last or 0):
            connection.close()
            return None
    except sqlite3.Error:
        connection.close()
        return None
    return CurrentSQLiteView(connection)

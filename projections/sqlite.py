"""The read model in SQLite: view rows and the tracking position in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.sqlite import SQLiteTrackingRecorder

from projections.store import ReadModelQueries, create_statements


class _Cursor:
    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.execute = raw.execute
        self.executemany = raw.executemany
        self.fetchall = raw.fetchall


class ReadModelSQLiteRecorder(ReadModelQueries, SQLiteTrackingRecorder):
    timeline_table = "timeline"
    figures_table = "figures"
    tracking_table = "tracking"

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *create_statements("timeline", "figures")]

    @contextmanager
    def _cursor(self, *, commit: bool) -> Iterator[_Cursor]:
        with self.datastore.transaction(commit=commit) as c:
            yield _Cursor(c)

    def clear(self, application_name: str) -> None:
        with self._cursor(commit=True) as c:
            self.clear_view(c)
            c.execute("DELETE FROM tracking WHERE application_name=?", (application_name,))

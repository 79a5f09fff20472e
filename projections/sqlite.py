"""The read model in SQLite: view rows and the tracking position in one transaction."""

from __future__ import annotations

from typing import Any

from eventsourcing.sqlite import SQLiteTrackingRecorder

from projections.rows import FIGURES, TIMELINE
from projections.store import ReadModelQueries, create_statements


class _Cursor:
    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.execute = raw.execute
        self.executemany = raw.executemany
        self.fetchall = raw.fetchall


class ReadModelSQLiteRecorder(ReadModelQueries, SQLiteTrackingRecorder):
    timeline_table = TIMELINE
    figures_table = FIGURES
    tracking_table = "tracking"
    cursor_class = _Cursor
    place_type = "INTEGER"
    clustered = " WITHOUT ROWID"

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            *create_statements(place_type=self.place_type, clustered=self.clustered),
        ]

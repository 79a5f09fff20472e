"""The SQLite event recorder: batched inserts, and the hash chain in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from ledger.chain import GENESIS
from ledger.queries import LedgerQueries, chain_rows_for


def _hex(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id


class LedgerSQLiteRecorder(LedgerQueries, SQLiteApplicationRecorder):
    chain_table = "ledger_chain"
    meta_table = "ledger_meta"

    @property
    def events_table(self) -> str:  # type: ignore[override]
        return self.events_table_name

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {self.chain_table} ("
            "notification_id INTEGER PRIMARY KEY, originator_id TEXT NOT NULL, "
            "originator_version INTEGER NOT NULL, event_hash TEXT NOT NULL, head_hash TEXT NOT NULL)",
            f"CREATE UNIQUE INDEX IF NOT EXISTS ledger_chain_event ON {self.chain_table} "
            "(originator_id, originator_version)",
            f"CREATE TABLE IF NOT EXISTS {self.meta_table} (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **_: Any) -> Sequence[int]:
        if not stored_events:
            return []
        rows = [(_hex(s.originator_id), s.originator_version, s.topic, s.state) for s in stored_events]
        # One executemany instead of the library's statement per event. The first
        # INSERT takes the write lock, so the rows get the highest, consecutive rowids.
        c.executemany(self.insert_events_statement, rows)
        c.execute(f"SELECT MAX(rowid) FROM {self.events_table_name}")
        last = c.fetchone()[0]
        ids = list(range(last - len(rows) + 1, last + 1))
        c.execute(self.chain_head_sql())
        found = c.fetchone()
        chain = chain_rows_for(found[0] if found else GENESIS, ids, rows)
        c.executemany(f"INSERT INTO {self.chain_table} VALUES (?,?,?,?,?)", chain)
        return ids

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [tuple(r) for r in c.fetchall()]

    def _write(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(sql, params)

    def all_stored(self) -> list[tuple[int, str, int, str, bytes]]:
        return self._read(
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {self.events_table_name} ORDER BY rowid"
        )

"""The SQLite event recorder: batched inserts, and the hash chain in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from ledger.chain import GENESIS, event_hash, next_head


def _hex(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id


class LedgerSQLiteRecorder(SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS ledger_chain ("
            "notification_id INTEGER PRIMARY KEY, "
            "originator_id TEXT NOT NULL, "
            "originator_version INTEGER NOT NULL, "
            "event_hash TEXT NOT NULL, "
            "head_hash TEXT NOT NULL)",
            "CREATE UNIQUE INDEX IF NOT EXISTS ledger_chain_event "
            "ON ledger_chain (originator_id, originator_version)",
            "CREATE TABLE IF NOT EXISTS ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **_: Any) -> Sequence[int]:
        if not stored_events:
            return []
        rows = [(_hex(s.originator_id), s.originator_version, s.topic, s.state) for s in stored_events]
        # One executemany instead of the library's statement per event. The first
        # INSERT takes the write lock, so the rows get the highest, consecutive rowids.
        c.executemany(self.insert_events_statement, rows)
        c.execute("SELECT MAX(rowid) FROM stored_events")
        last = c.fetchone()[0]
        ids = list(range(last - len(rows) + 1, last + 1))
        c.execute("SELECT head_hash FROM ledger_chain ORDER BY notification_id DESC LIMIT 1")
        found = c.fetchone()
        head = found[0] if found else GENESIS
        chain = []
        for notification_id, (oid, version, topic, state) in zip(ids, rows, strict=True):
            h = event_hash(oid, version, topic, state)
            head = next_head(head, h)
            chain.append((notification_id, oid, version, h, head))
        c.executemany("INSERT INTO ledger_chain VALUES (?,?,?,?,?)", chain)
        return ids

    def existing(self, originator_ids: Sequence[UUID]) -> set[UUID]:
        """Which of these aggregates already have a first event."""
        found: set[UUID] = set()
        keys = [i.hex for i in originator_ids]
        with self.datastore.transaction(commit=False) as c:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                c.execute(
                    "SELECT originator_id FROM stored_events WHERE originator_version=1 "
                    f"AND originator_id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
                found.update(UUID(row[0]) for row in c.fetchall())
        return found

    def event_hash_of(self, originator_id: UUID, version: int) -> str | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT event_hash FROM ledger_chain WHERE originator_id=? AND originator_version=?",
                (originator_id.hex, version),
            )
            row = c.fetchone()
        return row[0] if row else None

    def chain_rows(self) -> list[tuple[int, str, int, str, str]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT * FROM ledger_chain ORDER BY notification_id")
            return [tuple(r) for r in c.fetchall()]  # type: ignore[misc]

    def all_stored(self) -> list[tuple[int, str, int, str, bytes]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT rowid, originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid")
            return [tuple(r) for r in c.fetchall()]  # type: ignore[misc]

    def get_meta(self, key: str) -> str | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT value FROM ledger_meta WHERE key=?", (key,))
            row = c.fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "INSERT INTO ledger_meta VALUES (?,?) ON CONFLICT (key) DO UPDATE SET value=excluded.value",
                (key, value),
            )

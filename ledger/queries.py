"""The ledger's own tables beside the events (hash chain, meta), for every backend.

Each backend's recorder supplies `_read`/`_write` and the qualified table names; the
SQL here uses `?` placeholders, which the PostgreSQL recorder turns into `%s`.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from ledger.chain import event_hash, next_head

CHUNK = 500


def chain_rows_for(head: str, ids: Sequence[int], rows: Sequence[tuple[str, int, str, bytes]]) -> list[tuple]:
    """The chain rows of newly inserted events, continuing from the current head."""
    chain = []
    for notification_id, (oid, version, topic, state) in zip(ids, rows, strict=True):
        h = event_hash(oid, version, topic, state)
        head = next_head(head, h)
        chain.append((notification_id, oid, version, h, head))
    return chain


class LedgerQueries:
    events_table: str
    chain_table: str
    meta_table: str

    @abstractmethod
    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run a query in a read transaction and return its rows as tuples."""

    @abstractmethod
    def _write(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run a statement in its own committed transaction."""

    def _oid(self, originator_id: UUID) -> Any:
        return originator_id.hex

    def chain_head_sql(self) -> str:
        return f"SELECT head_hash FROM {self.chain_table} ORDER BY notification_id DESC LIMIT 1"

    def existing(self, originator_ids: Sequence[UUID]) -> set[UUID]:
        """Which of these aggregates already have a first event."""
        found: set[UUID] = set()
        keys = [self._oid(i) for i in originator_ids]
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._read(
                f"SELECT originator_id FROM {self.events_table} "
                f"WHERE originator_version=1 AND originator_id IN ({marks})",
                chunk,
            )
            found.update(r[0] if isinstance(r[0], UUID) else UUID(r[0]) for r in rows)
        return found

    def event_hash_of(self, originator_id: UUID, version: int) -> str | None:
        rows = self._read(
            f"SELECT event_hash FROM {self.chain_table} WHERE originator_id=? AND originator_version=?",
            (originator_id.hex, version),
        )
        return rows[0][0] if rows else None

    def chain_rows(self) -> list[tuple[int, str, int, str, str]]:
        return self._read(
            f"SELECT notification_id, originator_id, originator_version, event_hash, head_hash "
            f"FROM {self.chain_table} ORDER BY notification_id"
        )

    def get_meta(self, key: str) -> str | None:
        rows = self._read(f"SELECT value FROM {self.meta_table} WHERE key=?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._write(
            f"INSERT INTO {self.meta_table} (key, value) VALUES (?,?) "
            "ON CONFLICT (key) DO UPDATE SET value=excluded.value",
            (key, value),
        )


"""The PostgreSQL event recorder: the hash chain written in the events' transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.persistence import Environment
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL

from ledger.chain import GENESIS
from ledger.queries import LedgerQueries, chain_rows_for
from ledger.store import CONNINFO


class LedgerPostgresFactory(PostgresFactory):
    """The library's factory, with every libpq parameter of the store's address on each
    connection of its pool: its settings name only host, port, user, password and dbname,
    so `sslmode=require` and the like would otherwise be dropped, silently."""

    def __init__(self, env: Environment) -> None:
        super().__init__(env)
        from psycopg.conninfo import conninfo_to_dict

        kwargs = self.datastore.pool.kwargs
        assert isinstance(kwargs, dict)
        kwargs.update(conninfo_to_dict(self.env.get(CONNINFO) or ""))


class LedgerPostgresRecorder(LedgerQueries, PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema = datastore.schema
        self.events_table = f'"{schema}"."{events_table_name}"'
        self.chain_table = f'"{schema}"."ledger_chain"'
        self.meta_table = f'"{schema}"."ledger_meta"'
        for statement in (
            f"CREATE TABLE IF NOT EXISTS {self.chain_table} ("
            "notification_id bigint PRIMARY KEY, originator_id text NOT NULL, "
            "originator_version bigint NOT NULL, event_hash text NOT NULL, head_hash text NOT NULL)",
            f"CREATE UNIQUE INDEX IF NOT EXISTS ledger_chain_event ON {self.chain_table} "
            "(originator_id, originator_version)",
            f"CREATE TABLE IF NOT EXISTS {self.meta_table} (key text PRIMARY KEY, value text NOT NULL)",
        ):
            self.sql_create_statements.append(SQL(statement))  # type: ignore[arg-type]

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        assert ids is not None
        # The events table is locked for this transaction, so the head read here is the last.
        curs.execute(SQL(self.chain_head_sql()))  # type: ignore[arg-type]
        found = curs.fetchone()
        rows = [(s.originator_id.hex, s.originator_version, s.topic, s.state) for s in stored_events]  # type: ignore[union-attr]
        chain = chain_rows_for(found["head_hash"] if found else GENESIS, ids, rows)
        # One statement with array parameters, not an executemany: thousands of statements
        # queued in psycopg's pipeline can deadlock the connection (psycopg issue 685).
        columns = [list(column) for column in zip(*chain, strict=True)]
        curs.execute(
            SQL(  # type: ignore[arg-type]
                f"INSERT INTO {self.chain_table} SELECT * FROM "
                "unnest(%s::bigint[], %s::text[], %s::bigint[], %s::text[], %s::text[])"
            ),
            columns,
        )
        return ids

    def _oid(self, originator_id: Any) -> Any:
        return originator_id

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(SQL(sql.replace("?", "%s")), list(params))  # type: ignore[arg-type]
            return [tuple(r.values()) for r in curs.fetchall()]

    def _write(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(SQL(sql.replace("?", "%s")), list(params))  # type: ignore[arg-type]

    def all_stored(self) -> list[tuple[int, str, int, str, bytes]]:
        rows = self._read(
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {self.events_table} ORDER BY notification_id"
        )
        return [(n, oid.hex, v, t, bytes(s)) for n, oid, v, t, s in rows]


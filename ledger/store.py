"""Which store a command uses, and how it is opened: a SQLite file or a PostgreSQL URL."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from events import InvalidValue
from ledger.conninfo import is_postgres, mask

ENV_VAR = "COOP_LEDGER_DB"
# The meta key set once a store is seeded or set up empty (`init --empty`).
INITIALIZED = "initialized"


class StoreUnavailable(Exception):
    """The store cannot be opened; the message never shows a password."""


def default_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("coop-ledger", appauthor=False)) / "ledger.sqlite"


@dataclass(frozen=True)
class StoreSpec:
    """A resolved store: `kind` is "sqlite" or "postgres"; `env` configures eventsourcing."""

    kind: str
    shown: str
    env: dict[str, str]

    @property
    def is_postgres(self) -> bool:
        return self.kind == "postgres"

    def for_reading(self) -> StoreSpec:
        """The same store for a process that only reads it: no tables created, and in
        SQLite a read-only connection, which never checkpoints or removes the WAL when it
        closes (a read-write one that believes itself the last may do both, under the
        feet of a writer in another process that has lost its file locks)."""
        env = {**self.env, "CREATE_TABLE": "no"}
        if not self.is_postgres:
            env["SQLITE_DBNAME"] = f"{Path(self.env['SQLITE_DBNAME']).resolve().as_uri()}?mode=ro"
        return StoreSpec(self.kind, self.shown, env)

    def env_for_open(self) -> dict[str, str]:
        """The environment to open with: skip creating tables a complete schema already has
        (the ledger's; a read model makes its own when they are missing).

        PostgreSQL refuses concurrent `CREATE ... IF NOT EXISTS` of one table ("tuple
        concurrently updated"), so writers that start together must not all run DDL.
        A new SQLite file is created here, readable by its owner only.
        """
        if self.is_postgres:
            if _postgres_schema_ready(self.env, self.shown):
                return {**self.env, "CREATE_TABLE": "no"}
            return self.env
        if self.env.get("CREATE_TABLE") != "no":
            path = Path(self.env["SQLITE_DBNAME"])
            problem = sqlite_problem(path, must_hold_ledger=False)
            if problem:
                raise StoreUnavailable(f"db: {self.shown!r}: cannot open the store ({problem})")
            _create_sqlite_file(path)
        return self.env

    def require_ledger(self) -> None:
        """Refuse, creating nothing, a store that holds no ledger: a missing path, an empty
        file, another program's database (for `verify`, which must not call those intact)."""
        if self.is_postgres:
            if not _postgres_has_ledger(self.env, self.shown):
                schema = self.env["POSTGRES_SCHEMA"]
                raise StoreUnavailable(
                    f"db: {self.shown!r}: no ledger here (schema {schema!r} has no ledger_chain table)"
                )
            return
        problem = sqlite_problem(Path(self.env["SQLITE_DBNAME"]), must_hold_ledger=True)
        if problem:
            raise StoreUnavailable(f"db: {self.shown!r}: no ledger here ({problem})")

    @property
    def files(self) -> tuple[Path, ...]:
        """The files that hold a SQLite store: the database, its WAL, shared memory and journal."""
        if self.is_postgres:
            return ()
        path = Path(self.env["SQLITE_DBNAME"])
        return (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")))


# Every SQLite database file starts with these 16 bytes (sqlite.org/fileformat.html).
SQLITE_HEADER = b"SQLite format 3\x00"


def is_sqlite_database(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


# The columns of the library's events table, in order, as it creates it.
_EVENT_COLUMNS = ["originator_id", "originator_version", "topic", "state"]


def sqlite_problem(path: Path, *, must_hold_ledger: bool) -> str | None:
    """Why the file at `path` is no store of this ledger's, or None.

    A missing or empty file, or a SQLite database with no table at all, is a store not
    made yet: a problem only when it `must_hold_ledger`. Any other file, or a database with
    tables and no events table of the library's, is another program's, and never opened.
    """
    if not path.exists() or path.stat().st_size == 0:
        if must_hold_ledger:
            return "no such file" if not path.exists() else "the file is empty"
        return None
    import sqlite3

    # Read through sqlite3, not open(): closing a descriptor of our own would drop the
    # POSIX locks of this process's SQLite connections to the file (SQLite's own keeps them).
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            columns = [row[1] for row in conn.execute("PRAGMA table_info(stored_events)")]
    except sqlite3.Error as e:
        return "not a SQLite database" if getattr(e, "sqlite_errorname", "") == "SQLITE_NOTADB" else str(e)
    if columns == _EVENT_COLUMNS:
        return None
    if columns:
        return "another program's SQLite database: its stored_events table has other columns"
    if tables:
        return "another program's SQLite database: it has no stored_events table"
    return "a SQLite database with no tables" if must_hold_ledger else None


def _create_sqlite_file(path: Path) -> None:
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Create the file ourselves so that it is readable by its owner only. Only when
            # it is new: closing a descriptor of a file drops every POSIX lock this process
            # holds on it, including those of SQLite connections still open on it.
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
    except OSError as e:
        raise StoreUnavailable(f"db: {str(path)!r}: cannot open ({e.strerror})") from None


def resolve(db: str | None) -> StoreSpec:
    """From `--db`, else `COOP_LEDGER_DB`, else the SQLite file in the user data directory.

    Resolving creates nothing: the file is made when the store is first opened for writing.
    """
    target = db if db is not None else os.environ.get(ENV_VAR) or str(default_path())
    if is_postgres(target):
        return _postgres(target)
    if "://" in target:
        raise InvalidValue("db", mask(target), "use a file path or a postgresql:// URL")
    return _sqlite(target)


def _sqlite(target: str) -> StoreSpec:
    # What eventsourcing takes for an in-memory database (`:memory:`, `mode=memory`), an
    # empty name (a temporary database), or a `file:` URI, which sqlite3 would read as
    # something other than the path this module checks and creates.
    if not target.strip():
        raise InvalidValue("db", target, "give a file path (an empty name is a temporary database, kept nowhere)")
    if ":memory:" in target or "mode=memory" in target:
        raise InvalidValue("db", target, "a SQLite store must be a file: an in-memory one keeps nothing")
    if target.startswith("file:"):
        raise InvalidValue("db", target, "give the SQLite file's path, not a file: URI")
    path = Path(target).expanduser()
    if path.is_dir():
        raise StoreUnavailable(f"db: {str(path)!r}: is a directory, not a SQLite file")
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
        "APPLICATION_RECORDER_TOPIC": "ledger.sqlite:LedgerSQLiteRecorder",
    }
    return StoreSpec("sqlite", str(path), env)


def _postgres(target: str) -> StoreSpec:
    try:
        from ledger.conninfo import parse
    except ImportError:  # psycopg is an optional dependency
        raise StoreUnavailable(f"db: {mask(target)!r}: install coop-ledger[postgres] for PostgreSQL") from None
    address = parse(target)
    env = {
        "PERSISTENCE_MODULE": "ledger.postgres:LedgerPostgresFactory",
        "POSTGRES_DBNAME": address.dbname,
        "POSTGRES_HOST": address.host,
        "POSTGRES_PORT": address.port,
        "POSTGRES_USER": address.user,
        "POSTGRES_PASSWORD": address.password,
        "POSTGRES_CONNECT_TIMEOUT": address.extra.get("connect_timeout", "5"),
        "POSTGRES_SCHEMA": address.schema,
        CONNINFO: _conninfo(address.extra),
        "APPLICATION_RECORDER_TOPIC": "ledger.postgres:LedgerPostgresRecorder",
    }
    return StoreSpec("postgres", mask(target), env)


# The libpq parameters the library's own settings do not name (sslmode, options, ...),
# as one conninfo string, for LedgerPostgresFactory to put on every connection.
CONNINFO = "POSTGRES_CONNINFO"


def _conninfo(params: dict[str, str]) -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(**params)


def connect_params(env: dict[str, str]) -> dict[str, str]:
    """Every libpq parameter of a PostgreSQL store's env, for a connection of our own."""
    from psycopg.conninfo import conninfo_to_dict

    return {
        "dbname": env["POSTGRES_DBNAME"], "host": env["POSTGRES_HOST"], "port": env["POSTGRES_PORT"],
        "user": env["POSTGRES_USER"], "password": env["POSTGRES_PASSWORD"], "connect_timeout": "5",
        **conninfo_to_dict(env.get(CONNINFO, "")),
    }


def _postgres_has_ledger(env: dict[str, str], shown: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(**connect_params(env)) as conn:
            # The chain table: the ledger's own, made with the events table, whose name
            # the library derives from the application's.
            chain = f'"{env["POSTGRES_SCHEMA"]}".ledger_chain'
            row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (chain,)).fetchone()
    except psycopg.Error as e:
        raise StoreUnavailable(f"db: {shown!r}: cannot open the store ({mask(' '.join(str(e).split()))})") from None
    return bool(row and row[0])


def _postgres_schema_ready(env: dict[str, str], shown: str) -> bool:
    import psycopg

    schema = env["POSTGRES_SCHEMA"]
    try:
        with psycopg.connect(**connect_params(env)) as conn:
            row = conn.execute(
                "SELECT to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL",
                (f'"{schema}".ledger_meta', f'"{schema}".ledger_chain'),
            ).fetchone()
    except psycopg.OperationalError as e:
        # Said here, as libpq says it: the library's pool retries until its timeout, then
        # says only that it got no connection (an sslmode the server refuses, say).
        reason = mask(" ".join(str(e).split()))
        raise StoreUnavailable(f"db: {shown!r}: cannot open the store ({reason})") from None
    except psycopg.Error:
        return False  # let the library's own connection report what is wrong
    return bool(row and row[0])

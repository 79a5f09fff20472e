"""Which store a command uses, and how it is opened: a SQLite file or a PostgreSQL URL."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from events import InvalidValue

ENV_VAR = "COOP_LEDGER_DB"
# The meta key set once a store is seeded or set up empty (`init --empty`).
INITIALIZED = "initialized"


class StoreUnavailable(Exception):
    """The store cannot be opened; the message never shows a password."""


def default_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("coop-ledger", appauthor=False)) / "ledger.sqlite"


def mask(url: str) -> str:
    """The URL with any password replaced by ***."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


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
        """The environment to open with: skip creating tables a complete schema already has.

        PostgreSQL refuses concurrent `CREATE ... IF NOT EXISTS` of one table ("tuple
        concurrently updated"), so writers that start together must not all run DDL.
        A new SQLite file is created here, readable by its owner only.
        """
        if self.is_postgres:
            if _postgres_schema_ready(self.env):
                return {**self.env, "CREATE_TABLE": "no"}
            return self.env
        if self.env.get("CREATE_TABLE") != "no":
            _create_sqlite_file(Path(self.env["SQLITE_DBNAME"]))
        return self.env

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
    if re.match(r"postgres(ql)?://", target):
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


def _postgres(url: str) -> StoreSpec:
    parts = urlsplit(url)
    shown = mask(url)
    try:
        port = parts.port or 5432
    except ValueError:
        raise InvalidValue("db", shown, "the port is not a number") from None
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname or not parts.hostname:
        raise InvalidValue("db", shown, "a postgresql:// URL needs a host and a database name")
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    schema = unquote(query.get("schema", "public"))
    # The schema is the one name that goes into SQL text rather than a parameter.
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", schema):
        raise InvalidValue("db", shown, f"schema {schema!r} must be letters, digits and _")
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname,
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_SCHEMA": schema,
        "APPLICATION_RECORDER_TOPIC": "ledger.postgres:LedgerPostgresRecorder",
    }
    return StoreSpec("postgres", shown, env)


def _postgres_schema_ready(env: dict[str, str]) -> bool:
    import psycopg

    from projections.rows import TIMELINE

    schema = env["POSTGRES_SCHEMA"]
    try:
        with psycopg.connect(
            dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"], connect_timeout=5,
        ) as conn:
            row = conn.execute(
                "SELECT to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL",
                (f'"{schema}".ledger_meta', f'"{schema}".{TIMELINE}'),
            ).fetchone()
    except psycopg.Error:
        return False  # let the library's own connection report what is wrong
    return bool(row and row[0])

"""Import and replay on PostgreSQL, each store a schema of its own, dropped afterwards."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchmarks.measure import SizeResult, import_and_replay


def server_version(url: str) -> str:
    import psycopg

    with psycopg.connect(_plain(url)) as con:
        row = con.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0]}" if row else "PostgreSQL"


def _plain(url: str) -> str:
    """The URL without its query, as psycopg takes it (the ledger's `schema=` is ours)."""
    return urlunsplit(urlsplit(url)._replace(query=""))


class FreshSchema:
    """A new, empty schema on each call (the one before dropped), as a --db URL."""

    def __init__(self, url: str, name: str) -> None:
        self.url, self.name = url, name
        query = urlsplit(url).query
        self.last = f"{url}{'&' if query else '?'}schema={name}"

    def _execute(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(_plain(self.url), autocommit=True) as con:
            for statement in statements:
                con.execute(statement)  # type: ignore[arg-type]  # the name is ours: letters, digits, _

    def __call__(self) -> str:
        self._execute(f"DROP SCHEMA IF EXISTS {self.name} CASCADE", f"CREATE SCHEMA {self.name}")
        return self.last

    def drop(self) -> None:
        self._execute(f"DROP SCHEMA IF EXISTS {self.name} CASCADE")


def postgres(url: str, size: int, repeats: int, jsonl: Path) -> SizeResult:
    fresh = FreshSchema(url, f"coop_bench_{os.getpid()}_{size}")
    try:
        return import_and_replay(jsonl, size, repeats, fresh)
    finally:
        fresh.drop()

"""Shared fixtures: a fresh store per test on every backend, and a CLI runner bound to it."""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from cli.main import app

POSTGRES_URL = os.environ.get("COOP_LEDGER_TEST_POSTGRES", "")
DATA = Path(__file__).parent / "data"


def _postgres_schema() -> Iterator[str]:
    """A fresh schema in the test database; dropped afterwards."""
    _check_postgres()
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{sep}schema={schema}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _check_postgres() -> None:
    """Skip without a server; but with CI set, an unreachable server fails the run."""
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("COOP_LEDGER_TEST_POSTGRES is not set, and CI needs the PostgreSQL tests")
        pytest.skip("set COOP_LEDGER_TEST_POSTGRES to run the PostgreSQL tests")
    import psycopg

    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=5).close()
    except psycopg.OperationalError as e:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL unreachable at {POSTGRES_URL}: {e}")
        pytest.skip(f"PostgreSQL unreachable: {e}")


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def new_db(backend: str, tmp_path: Path) -> Iterator:
    """Makes stores that do not exist yet, of the test's backend; removes them afterwards."""
    cleanups: list[Iterator[str]] = []

    def make() -> str:
        if backend == "sqlite":
            return str(tmp_path / f"ledger-{uuid.uuid4().hex[:8]}.sqlite")
        schema = _postgres_schema()
        cleanups.append(schema)
        return next(schema)

    yield make
    for schema in cleanups:
        next(schema, None)


@pytest.fixture
def db(new_db) -> str:  # type: ignore[no-untyped-def]
    """A store that does not exist yet: a SQLite file path, or a PostgreSQL URL."""
    return new_db()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    return str(tmp_path / "ledger.sqlite")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):  # type: ignore[no-untyped-def]
        return json.loads(self.stdout)


# CliRunner.invoke builds the click command from the app on every call: 10 ms of the 11 a
# refused command takes. Built once, the fuzz's ten thousand commands take seconds.
COMMAND = typer.main.get_command(app)


class Cli:
    """Runs `coop-ledger --db DB ...` in-process, in typer's CliRunner's isolation."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Run:
        code = 0
        with self.runner.isolation(input=input) as (stdout, stderr, _):
            try:
                COMMAND.main(["--db", self.db, *args], prog_name="coop-ledger")
            except SystemExit as e:  # any other exception fails the test: no traceback allowed
                code = e.code if isinstance(e.code, int) else 0 if e.code is None else 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                out, err = stdout.getvalue(), stderr.getvalue()
        return Run(code, _text(out), _text(err))

    def ok(self, *args: str) -> Run:
        run = self(*args)
        assert run.exit_code == 0, run.stderr
        return run


def _text(captured: bytes) -> str:
    return captured.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.fixture
def cli(db: str) -> Cli:
    return Cli(db)


@pytest.fixture
def sqlite_cli(sqlite_db: str) -> Cli:
    return Cli(sqlite_db)


@pytest.fixture
def empty_cli(cli: Cli) -> Cli:
    cli.ok("init", "--no-seed")
    return cli


@pytest.fixture
def postgres_db() -> Iterator[str]:
    """A fresh PostgreSQL schema with no tables, for a test of PostgreSQL alone; dropped after."""
    yield from _postgres_schema()

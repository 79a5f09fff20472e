"""No traceback on a broken store: every command, against every way a store can be broken.

A store edited behind the ledger's back (an event's state, its topic, a row deleted, a
value of the wrong type, the read model's rows), another program's SQLite file, an empty
or a damaged file: each command ends with exit 0, 1 (verify finding problems) or 2, and
at most one line on stderr, `coop-ledger: ...`.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from ledger.aggregate import aggregate_id

FAIR = "2023-06-13-job-fair"  # corrected once: its version 2 is the log's last event, 67
FAIR_HEX = aggregate_id(FAIR).hex
LAST = f"originator_id = '{FAIR_HEX}' AND originator_version = 2"
FIRST = f"originator_id = '{FAIR_HEX}' AND originator_version = 1"
RETRACTED = "ledger.aggregate:ItemAggregate.Retracted"


def _commands(tmp: Path) -> list[tuple[str, ...]]:
    line = tmp / "one.jsonl"
    line.write_text(json.dumps({"id": "x-1", "kind": "meeting", "date": "2024-01-05", "title": "座谈会",
                                "source": {"document": "t", "quote": ""}}, ensure_ascii=False) + "\n")
    return [
        ("init",),
        ("append", "--kind", "meeting", "--date", "2024-01", "--title", "会"),
        ("timeline",),
        ("timeline", "--as-known-at", "2100-01-01T00:00Z"),
        ("totals",),
        ("import", str(line)),
        ("export",),
        ("export", "-f", "html"),
        ("replay",),
        ("correct", FAIR, "--title", "新的标题", "--reason", "r"),
        ("retract", FAIR, "--reason", "r"),
        ("history", FAIR),
        ("verify",),
        ("chart", "--metric", "jobs_offered", "--out", str(tmp / "chart.svg")),
    ]


COMMAND_IDS = ["init", "append", "timeline", "timeline-known-at", "totals", "import", "export", "export-html",
               "replay", "correct", "retract", "history", "verify", "chart"]


def _blob(backend: str, text: str) -> str:
    return f"CAST('{text}' AS BLOB)" if backend == "sqlite" else f"convert_to('{text}', 'UTF8')"


def _edits(backend: str) -> dict[str, list[str]]:
    """The edits of a seeded store, by name; `{events}`, `{tracking}` and `{schema}`
    stand for each backend's table names."""
    b = lambda text: _blob(backend, text)  # noqa: E731
    other = b('{{"item": 5}}')  # braces doubled for the format() that fills in the table names
    edits = {
        "state-not-json": [f"UPDATE {{events}} SET state = {b('not json')} WHERE {LAST}"],
        "state-a-list": [f"UPDATE {{events}} SET state = {b('[]')} WHERE {LAST}"],
        "state-other-fields": [f"UPDATE {{events}} SET state = {other} WHERE {LAST}"],
        "state-empty": [f"UPDATE {{events}} SET state = {b('')} WHERE {LAST}"],
        "topic-unknown": [f"UPDATE {{events}} SET topic = 'nowhere:Nothing' WHERE {LAST}"],
        "topic-a-module": [f"UPDATE {{events}} SET topic = 'os:system' WHERE {LAST}"],
        "topic-another-event": [f"UPDATE {{events}} SET topic = '{RETRACTED}' WHERE {FIRST}"],
        "first-event-deleted": [f"DELETE FROM {{events}} WHERE {FIRST}"],
        "every-event-deleted": ["DELETE FROM {events}"],
        "chain-deleted": ["DELETE FROM {schema}ledger_chain"],
        "chain-dropped": ["DROP TABLE {schema}ledger_chain"],
        "position-deleted": ["DELETE FROM {tracking} WHERE application_name = 'view_v6'"],
        "view-row-not-json": [f"UPDATE {{schema}}timeline_v6 SET data = 'nope' WHERE item_id = '{FAIR}'"],
        "view-row-a-list": [f"UPDATE {{schema}}timeline_v6 SET data = '[1]' WHERE item_id = '{FAIR}'"],
        "view-value-no-number": [f"UPDATE {{schema}}figures_v6 SET value = 'abc' WHERE item_id = '{FAIR}'"],
        "view-kind-unknown": [f"UPDATE {{schema}}figures_v6 SET kind = 'zzz' WHERE item_id = '{FAIR}'"],
        "view-row-deleted": [f"DELETE FROM {{schema}}timeline_v6 WHERE item_id = '{FAIR}'"],
    }
    if backend == "sqlite":  # SQLite keeps a value of any type in any column
        edits["state-text"] = [f"UPDATE {{events}} SET state = CAST(state AS TEXT) WHERE {LAST}"]
        edits["version-text"] = [f"UPDATE {{events}} SET originator_version = 'two' WHERE {LAST}"]
        edits["position-text"] = ["UPDATE {tracking} SET notification_id = 'x' WHERE application_name = 'view_v6'"]
    # The same edits of the last event, with the view one event behind: the catch-up of
    # every command then reads the edited event, not only replay, history and verify.
    for name in [n for n in edits if n.startswith(("state-", "topic-", "version-")) and n != "topic-another-event"]:
        edits[f"{name}+behind"] = [*edits[name], "UPDATE {tracking} SET notification_id = 66 WHERE application_name = 'view_v6'"]
    return edits


SQLITE_EDITS = _edits("sqlite")
POSTGRES_EDITS = _edits("postgres")


def _check(run, command: tuple[str, ...]) -> str | None:
    """What is wrong with a command's run on a broken store, or None."""
    if run.exception is not None and not isinstance(run.exception, SystemExit):
        return f"raised {type(run.exception).__name__}: {run.exception}"
    lines = run.stderr.splitlines()
    if run.exit_code not in ((0, 1, 2) if command[0] == "verify" else (0, 2)):
        return f"exit {run.exit_code}: {run.stderr!r}"
    if "Traceback" in run.stderr or not all(line.startswith("coop-ledger: ") for line in lines):
        return f"stderr holds more than coop-ledger's lines: {run.stderr!r}"
    # A failure is one line; a success may add notices (seeded, the view behind) to its own.
    if run.exit_code != 0 and len(lines) != 1:
        return f"exit {run.exit_code} with {len(lines)} lines on stderr: {run.stderr!r}"
    if command == ("verify",) and run.exit_code == 0:
        return f"verify says the broken store is intact: {run.stdout!r}"
    return None


def _invoke(db: str, command: tuple[str, ...]):
    return CliRunner().invoke(app, ["--db", db, *command])


# SQLite ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A seeded SQLite store with one correction, its WAL folded in: copied for each test."""
    path = tmp_path_factory.mktemp("seeded") / "ledger.sqlite"
    assert _invoke(str(path), ("init",)).exit_code == 0
    assert _invoke(str(path), ("correct", FAIR, "--title", "专场招聘会", "--reason", "shorter")).exit_code == 0
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert conn.execute("SELECT MAX(rowid) FROM stored_events").fetchone() == (67,)
    conn.close()
    return path


def _edited_copy(seeded: Path, tmp: Path, statements: list[str]) -> Path:
    path = tmp / "ledger.sqlite"
    shutil.copy(seeded, path)
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement.format(events="stored_events", tracking="tracking", schema=""))
    conn.close()
    return path


@pytest.mark.parametrize("command", range(len(COMMAND_IDS)), ids=COMMAND_IDS)
@pytest.mark.parametrize("edit", list(SQLITE_EDITS))
def test_every_command_on_an_edited_sqlite_store(seeded, tmp_path, edit, command):
    path = _edited_copy(seeded, tmp_path, SQLITE_EDITS[edit])
    args = _commands(tmp_path)[command]
    problem = _check(_invoke(str(path), args), args)
    assert problem is None, problem


def _make_file(kind: str, path: Path, seeded: Path) -> None:
    if kind == "empty":
        path.touch()
    elif kind == "not-sqlite":
        path.write_bytes(b"PK\x03\x04 a zip archive, say" * 100)
    elif kind == "truncated":
        path.write_bytes(seeded.read_bytes()[: seeded.stat().st_size // 2])
    elif kind == "a-header-only":
        path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 84)
    else:
        with sqlite3.connect(path) as conn:
            if kind == "foreign-no-events-table":
                conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
                conn.execute("INSERT INTO notes VALUES (1, 'mine')")
            else:
                conn.execute("CREATE TABLE stored_events (id INTEGER PRIMARY KEY, payload TEXT)")
                conn.execute("INSERT INTO stored_events VALUES (1, 'mine')")
        conn.close()


FILES = ["empty", "not-sqlite", "truncated", "a-header-only", "foreign-no-events-table", "foreign-other-columns"]


@pytest.mark.parametrize("command", range(len(COMMAND_IDS)), ids=COMMAND_IDS)
@pytest.mark.parametrize("kind", FILES)
def test_every_command_on_a_file_that_is_no_store(seeded, tmp_path, kind, command):
    path = tmp_path / "ledger.sqlite"
    _make_file(kind, path, seeded)
    before = path.read_bytes()
    args = _commands(tmp_path)[command]
    run = _invoke(str(path), args)
    problem = _check(run, args)
    assert problem is None, problem
    if kind == "empty":
        # An empty file is a store not made yet: writing commands make it, reading ones
        # see an empty ledger, and verify refuses it.
        if args == ("verify",):
            assert run.exit_code == 2 and "no ledger here (the file is empty)" in run.stderr
        return
    # Anything else is never written to, nor called a store. (Opening a truncated WAL
    # database at all, read-only, makes SQLite's own empty -wal and -shm beside it.)
    assert run.exit_code == 2, (run.stdout, run.stderr)
    assert path.read_bytes() == before
    companions = ["ledger.sqlite-shm", "ledger.sqlite-wal"] if kind == "truncated" else []
    left = sorted(p.name for p in tmp_path.iterdir() if p.name not in companions)
    assert left == ["ledger.sqlite", "one.jsonl"]


# PostgreSQL ----------------------------------------------------------------------------


@pytest.fixture
def closing(monkeypatch):
    """Closes every ledger the commands opened: run in-process, each would keep its pool of
    PostgreSQL connections open to the end of the test run, past the server's limit."""
    from ledger.application import Ledger

    opened: list[Ledger] = []
    real = Ledger.__init__

    def init(self, *args, **kwargs):
        opened.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(Ledger, "__init__", init)

    def close() -> None:
        while opened:
            ledger = opened.pop()
            if hasattr(ledger, "factory"):  # not one whose opening failed
                ledger.close()

    yield close
    close()


@pytest.mark.parametrize("edit", list(POSTGRES_EDITS))
def test_every_command_on_an_edited_postgres_store(postgres_db, closing, edit, tmp_path):
    """One store per edit, the commands run on it in turn, as a schema costs a seeding:
    verify first, before a replay mends what it must find."""
    import psycopg

    db = postgres_db
    assert _invoke(db, ("init",)).exit_code == 0
    assert _invoke(db, ("correct", FAIR, "--title", "专场招聘会", "--reason", "shorter")).exit_code == 0
    closing()
    base, schema = db.rsplit("schema=", 1)[0].rstrip("?&"), db.rsplit("schema=", 1)[1]
    with psycopg.connect(base, autocommit=True) as conn:
        for statement in POSTGRES_EDITS[edit]:
            conn.execute(statement.format(events=f'"{schema}".coopledger_events',
                                          tracking=f'"{schema}".coopledger_tracking', schema=f'"{schema}".'))
    problems = []
    commands = _commands(tmp_path)
    for args in sorted(commands, key=lambda c: c != ("verify",)):
        problem = _check(_invoke(db, args), args)
        closing()
        if problem:
            problems.append(f"{args[0]}: {problem}")
    assert problems == []


def test_an_unreadable_event_is_one_line_naming_it(seeded, tmp_path):
    path = _edited_copy(seeded, tmp_path, SQLITE_EDITS["state-not-json+behind"])
    run = _invoke(str(path), ("timeline",))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        f"coop-ledger: db: event 67 (aggregate {FAIR_HEX} version 2) cannot be read (its state is not JSON "
        "(Expecting value: line 1 column 1 (char 0))): the store was altered; `coop-ledger verify` lists what changed\n"
    )


def test_a_topic_is_never_resolved_unless_it_is_an_items_event(seeded, tmp_path, monkeypatch):
    """A topic names a module to import: one of another program would run its code."""
    import importlib

    path = _edited_copy(seeded, tmp_path, [f"UPDATE stored_events SET topic = 'antigravity:x' WHERE {FIRST}"])
    imported = []
    real = importlib.import_module
    monkeypatch.setattr(importlib, "import_module", lambda name, *a: imported.append(name) or real(name, *a))
    run = _invoke(str(path), ("history", FAIR))
    assert run.exit_code == 2
    assert "topic 'antigravity:x' is no event of the ledger" in run.stderr
    assert "antigravity" not in imported


def test_a_gap_in_an_items_events_is_named(seeded, tmp_path):
    path = _edited_copy(seeded, tmp_path, SQLITE_EDITS["first-event-deleted"])
    run = _invoke(str(path), ("correct", FAIR, "--title", "新的标题", "--reason", "r"))
    assert run.exit_code == 2
    assert run.stderr == (
        f"coop-ledger: db: aggregate {FAIR_HEX} cannot be read (version 1 is missing: the next event is version 2): "
        "the store was altered; `coop-ledger verify` lists what changed\n"
    )


def test_an_edited_view_row_names_replay_and_replay_mends_it(seeded, tmp_path):
    path = _edited_copy(seeded, tmp_path, SQLITE_EDITS["view-value-no-number"])
    run = _invoke(str(path), ("totals",))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == ("coop-ledger: db: the read model holds a row that cannot be read (a value that is no "
                          "number): run `coop-ledger replay` to rebuild it from the events\n")
    assert _invoke(str(path), ("replay",)).exit_code == 0
    assert _invoke(str(path), ("totals",)).exit_code == 0
    assert _invoke(str(path), ("verify",)).stdout.startswith("ok: 67 events intact")


def test_a_correction_stands_when_the_view_it_updates_was_edited(seeded, tmp_path):
    """The correction commits before the view reads the edited row: exit 0, and a notice."""
    path = _edited_copy(seeded, tmp_path, SQLITE_EDITS["view-row-not-json"])
    run = _invoke(str(path), ("correct", FAIR, "--title", "新的标题", "--reason", "r"))
    assert run.exit_code == 0
    assert run.stderr.startswith("coop-ledger: recorded; the view could not follow (Expecting value")
    from ledger.application import Ledger
    from ledger.store import resolve

    ledger = Ledger(resolve(str(path)))
    assert [(v.version, v.action, v.item.title) for v in ledger.history(FAIR)][1:] == [
        (2, "corrected", "专场招聘会"), (3, "corrected", "新的标题")]
    ledger.close()


def test_text_where_bytes_belong_is_a_problem_verify_names(seeded, tmp_path):
    path = _edited_copy(seeded, tmp_path, SQLITE_EDITS["state-text"])
    run = _invoke(str(path), ("verify",))
    assert run.exit_code == 1
    assert run.stdout == f"edited: event 67 (aggregate {FAIR_HEX} version 2) holds its state as str, not bytes\n"

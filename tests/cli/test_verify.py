"""Tamper evidence: verify catches every direct edit of the store and names the event."""

import sqlite3

import pytest

FAIR = "2023-06-13-job-fair"


@pytest.fixture
def store(sqlite_cli):
    sqlite_cli.ok("init")
    sqlite_cli.ok("correct", FAIR, "--title", "专场招聘会", "--reason", "shorter title")
    return sqlite_cli


def _sql(store, *statements):
    with sqlite3.connect(store.db) as conn:
        for s in statements:
            conn.execute(s)


def test_an_intact_store_verifies(cli):
    cli.ok("correct", FAIR, "--title", "专场招聘会", "--reason", "shorter title")
    run = cli.ok("verify")
    assert run.stdout.startswith("ok: 67 events intact; head ")
    assert len(run.stdout.split("head ")[1].strip()) == 64


def test_an_edited_event_is_caught(store):
    _sql(store, "UPDATE stored_events SET state = replace(state, '1700', '9700') WHERE rowid = 57")
    run = store("verify")
    assert run.exit_code == 1
    assert run.stdout.startswith("edited: event 57 (aggregate ")
    assert "version 1) no longer matches its hash" in run.stdout


def test_an_edit_that_also_rewrites_the_chain_table_is_caught_by_the_next_version(store):
    from ledger.chain import event_hash

    with sqlite3.connect(store.db) as conn:
        oid, state = conn.execute("SELECT originator_id, state FROM stored_events WHERE rowid = 57").fetchone()
        forged = state.replace(b"1700", b"9700")
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 57", (forged,))
        topic = conn.execute("SELECT topic FROM stored_events WHERE rowid = 57").fetchone()[0]
        conn.execute("UPDATE ledger_chain SET event_hash = ? WHERE notification_id = 57",
                     (event_hash(oid, 1, topic, forged),))
    out = store("verify").stdout
    assert "reordered: the ledger head hash breaks at event 57" in out
    assert "edited: event 67" in out and "does not chain to the item's previous event" in out


def test_a_deleted_event_is_caught(store):
    _sql(store, "DELETE FROM stored_events WHERE rowid = 7")
    run = store("verify")
    assert run.exit_code == 1
    assert run.stdout.splitlines()[0].startswith("deleted: event 7 (aggregate ")
    assert run.stdout.splitlines()[0].endswith("version 1) is missing from the store")


def test_two_swapped_events_are_caught(store):
    _sql(
        store,
        "UPDATE stored_events SET rowid = -1 WHERE rowid = 3",
        "UPDATE stored_events SET rowid = 3 WHERE rowid = 4",
        "UPDATE stored_events SET rowid = 4 WHERE rowid = -1",
    )
    run = store("verify")
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith("reordered: event 3 (aggregate ") and "holds aggregate" in lines[0]
    assert lines[1].startswith("reordered: event 4 (aggregate ")


def test_an_event_slipped_in_behind_the_ledgers_back_is_caught(store):
    _sql(store, "INSERT INTO stored_events SELECT originator_id, 9, topic, state FROM stored_events WHERE rowid = 1")
    run = store("verify")
    assert run.exit_code == 1
    assert "inserted: event 68 (aggregate " in run.stdout and "is not in the hash chain" in run.stdout


def _invoke(*args):
    from typer.testing import CliRunner

    from cli.main import app

    return CliRunner().invoke(app, list(args))


def test_an_empty_file_is_no_ledger_and_stays_empty(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    run = _invoke("--db", str(empty), "verify")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"coop-ledger: db: {str(empty)!r}: no ledger here (the file is empty)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite"] and empty.stat().st_size == 0


def test_a_missing_path_is_an_error_and_creates_nothing(tmp_path):
    typo = tmp_path / "typo" / "x.sqlite"
    run = _invoke("--db", str(typo), "verify")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"coop-ledger: db: {str(typo)!r}: no ledger here (no such file)\n"
    assert list(tmp_path.iterdir()) == []


def test_a_schema_with_no_ledger_is_an_error(new_db):
    # On SQLite, `db` is a path not created yet; on PostgreSQL, a fresh schema with no tables.
    db = new_db()
    run = _invoke("--db", db, "verify")
    assert (run.exit_code, run.stdout) == (2, "")
    if db.startswith("postgresql://"):
        schema = db.rsplit("schema=", 1)[1]
        assert run.stderr == f"coop-ledger: db: {db!r}: no ledger here (schema {schema!r} has no ledger_chain table)\n"
    else:
        assert run.stderr == f"coop-ledger: db: {db!r}: no ledger here (no such file)\n"


def _foreign(path, kind):
    with sqlite3.connect(path) as conn:
        if kind == "no stored_events":
            conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        else:
            conn.execute("CREATE TABLE stored_events (id INTEGER PRIMARY KEY, payload TEXT)")
        conn.execute("INSERT INTO " + ("notes" if kind == "no stored_events" else "stored_events") + " VALUES (1, 'mine')")
    conn.close()


@pytest.mark.parametrize(
    ("kind", "why"),
    [("no stored_events", "it has no stored_events table"), ("other columns", "its stored_events table has other columns")],
)
@pytest.mark.parametrize(
    "command",
    [("verify",), ("timeline",), ("totals",), ("export",), ("history", FAIR), ("replay",), ("init",),
     ("append", "--kind", "meeting", "--date", "2024", "--title", "会")],
    ids=lambda c: c[0],
)
def test_another_programs_sqlite_file_is_one_line_and_left_alone(tmp_path, kind, why, command):
    path = tmp_path / "theirs.sqlite"
    _foreign(path, kind)
    before = path.read_bytes()
    run = _invoke("--db", str(path), *command)
    assert (run.exit_code, run.stdout) == (2, "")
    lead = "no ledger here" if command == ("verify",) else "cannot open the store"
    assert run.stderr == f"coop-ledger: db: {str(path)!r}: {lead} (another program's SQLite database: {why})\n"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.sqlite"]


def test_verify_checks_the_head_against_one_kept_elsewhere(cli):
    cli.ok("init")
    kept = cli.ok("verify").stdout.split("head ")[1].strip()
    assert cli.ok("verify", "--head", kept).stdout == f"ok: 66 events intact; head {kept}\n"
    assert cli.ok("verify", "--head", kept.upper()).exit_code == 0
    cli.ok("correct", FAIR, "--title", "专场招聘会", "--reason", "shorter title")
    run = cli("verify", "--head", kept)
    assert run.exit_code == 1
    now = run.stdout.split("head hash is ")[1].split(",")[0]
    assert run.stdout == f"head: the ledger's head hash is {now}, not {kept} as kept\n"
    assert run.stderr == "coop-ledger: 1 problem(s) in 67 events\n"
    bad = cli("verify", "--head", "abc")
    assert (bad.exit_code, bad.stderr) == (2, "coop-ledger: head: 'abc': expected the 64 hex digits verify prints after 'head'\n")


@pytest.mark.parametrize("edit", [
    # The figure a totals row adds up, and the timeline row a table prints.
    "UPDATE figures_v6 SET value = '9700' WHERE item_id = '2023-06-13-job-fair' AND metric = 'jobs_offered'",
    "UPDATE timeline_v6 SET data = replace(data, '专场招聘会', '伪造的招聘会') WHERE item_id = '2023-06-13-job-fair'",
    "DELETE FROM figures_v6 WHERE item_id = '2023-06-13-job-fair'",
])
def test_an_edited_read_model_row_is_caught(store, edit):
    """What users read comes from the read model: verify rebuilds it from the events and
    names every item whose rows differ, so an edit there cannot pass for the ledger."""
    _sql(store, edit)
    run = store("verify")
    assert run.exit_code == 1
    table = edit.split()[1] if edit.startswith("UPDATE") else edit.split()[2]
    assert run.stdout == f"edited: the read model's {table} differs from a rebuild for {FAIR}\n"
    store.ok("replay")
    assert store.ok("verify").stdout.startswith("ok: 67 events intact")

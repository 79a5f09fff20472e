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
    assert run.stdout.startswith("ok: 58 events intact; head ")
    assert len(run.stdout.split("head ")[1].strip()) == 64


def test_an_edited_event_is_caught(store):
    _sql(store, "UPDATE stored_events SET state = replace(state, '1700', '9700') WHERE rowid = 50")
    run = store("verify")
    assert run.exit_code == 1
    assert run.stdout.startswith("edited: event 50 (aggregate ")
    assert "version 1) no longer matches its hash" in run.stdout


def test_an_edit_that_also_rewrites_the_chain_table_is_caught_by_the_next_version(store):
    from ledger.chain import event_hash

    with sqlite3.connect(store.db) as conn:
        oid, state = conn.execute("SELECT originator_id, state FROM stored_events WHERE rowid = 50").fetchone()
        forged = state.replace(b"1700", b"9700")
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 50", (forged,))
        topic = conn.execute("SELECT topic FROM stored_events WHERE rowid = 50").fetchone()[0]
        conn.execute("UPDATE ledger_chain SET event_hash = ? WHERE notification_id = 50",
                     (event_hash(oid, 1, topic, forged),))
    out = store("verify").stdout
    assert "reordered: the ledger head hash breaks at event 50" in out
    assert "edited: event 58" in out and "does not chain to the item's previous event" in out


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
    assert "inserted: event 59 (aggregate " in run.stdout and "is not in the hash chain" in run.stdout

"""Nothing lost, nothing doubled: several writers at once, an import killed part way."""

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from ledger.application import Ledger
from ledger.store import resolve
from ledger.verify import verify

ROOT = Path(__file__).resolve().parents[2]


def _write_items(path: Path, ids, title="事项"):
    with path.open("w", encoding="utf-8") as f:
        for i in ids:
            f.write(json.dumps({
                "id": f"c-{i}", "kind": "training", "date": f"20{10 + i % 20}-{1 + i % 12:02d}",
                "title": f"{title} {i}", "scope": "淮南市",
                "measures": [{"metric": "people_trained", "value": str(i % 50), "unit": "persons",
                              "qualifier": "exact", "text": ""}],
                "source": {"document": "test", "quote": ""},
            }, ensure_ascii=False) + "\n")


def _cli(db, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "--db", db, "--quiet", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _exported_ids(db):
    out = subprocess.run([sys.executable, "-m", "cli", "--db", db, "-q", "export"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line)["id"] for line in out.splitlines()]


def _read_model_equals_rebuild(db):
    from datetime import datetime, timezone

    from projections.runner import KnownAt, ReadModel

    ledger = Ledger(resolve(db))
    model = ReadModel(ledger)
    model.catch_up()
    far = datetime(2100, 1, 1, tzinfo=timezone.utc)
    rebuilt = KnownAt(ledger, far)
    key = lambda f: (f.item_id, f.metric)  # noqa: E731
    return (
        model.all_rows() == rebuilt.all_rows()
        and sorted(model.figures([], far.date()), key=key) == sorted(rebuilt.figures([], far.date()), key=key)
    )


def test_several_processes_importing_and_appending_at_once(db, tmp_path):
    subprocess.run([sys.executable, "-m", "cli", "--db", db, "-q", "init", "--no-seed"], cwd=ROOT, check=True)
    files = []
    for n in range(3):
        # Overlapping ranges: every id is offered by two importers.
        path = tmp_path / f"part{n}.jsonl"
        _write_items(path, range(n * 400, n * 400 + 800))
        files.append(path)
    procs = [_cli(db, "import", str(p)) for p in files]
    procs += [_cli(db, "append", "--kind", "meeting", "--date", "2024-01", "--title", f"会议{k}", "--id", f"m-{k}")
              for k in range(4)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    ids = _exported_ids(db)
    assert len(ids) == len(set(ids)) == 1600 + 4
    assert set(ids) == {f"c-{i}" for i in range(1600)} | {f"m-{k}" for k in range(4)}
    ledger = Ledger(resolve(db))
    report = verify(ledger)
    assert (report.events, report.problems) == (1604, [])
    assert _read_model_equals_rebuild(db)


def test_an_import_killed_part_way_is_completed_by_running_it_again(db, tmp_path):
    subprocess.run([sys.executable, "-m", "cli", "--db", db, "-q", "init", "--no-seed"], cwd=ROOT, check=True)
    path = tmp_path / "big.jsonl"
    _write_items(path, range(30000))
    proc = _cli(db, "import", str(path))
    ledger = Ledger(resolve(db))
    deadline = time.monotonic() + 120
    while (ledger.recorder.max_notification_id() or 0) < 2 * ledger.batch_size and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = ledger.recorder.max_notification_id() or 0
    assert 2 * ledger.batch_size <= stored < 30000, "the import finished before it could be killed"
    assert stored % ledger.batch_size == 0  # whole batches only: each commits atomically
    assert verify(ledger).problems == []
    again = _cli(db, "import", str(path))
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    ids = _exported_ids(db)
    assert len(ids) == len(set(ids)) == 30000
    assert verify(ledger).problems == []
    assert _read_model_equals_rebuild(db)


def test_a_new_sqlite_file_is_private_to_its_owner(sqlite_cli):
    sqlite_cli.ok("init", "--no-seed")
    assert stat.S_IMODE(os.stat(sqlite_cli.db).st_mode) == 0o600


def test_a_reading_process_neither_writes_nor_removes_the_log_of_a_writer(tmp_path):
    """A worker that only reads opens the file read-only: closing it can never checkpoint
    or delete the WAL of a writer, even one whose file locks were lost in its process."""
    import sqlite3

    import pytest

    from events import Item, Kind, Source, When

    path = tmp_path / "l.sqlite"
    writer = Ledger(resolve(str(path)))
    item = Item(id="a", kind=Kind.MEETING, when=When.parse("2024-01"), title="会", source=Source("doc"))
    writer.record([item])
    reader = Ledger(resolve(str(path)).for_reading())
    assert [n.id for n in reader.recorder.select_notifications(start=0, limit=10)] == [1]
    with pytest.raises(Exception, match="readonly"):
        reader.record([Item(id="b", kind=Kind.MEETING, when=When.parse("2024-01"), title="会", source=Source("doc"))])
    reader.close()
    assert Path(f"{path}-wal").exists()
    writer.record([Item(id="c", kind=Kind.MEETING, when=When.parse("2024-02"), title="会", source=Source("doc"))])
    assert [n.id for n in writer.recorder.select_notifications(start=0, limit=10)] == [1, 2]
    writer.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT COUNT(*) FROM stored_events").fetchall() == [(2,)]
    con.close()


# Six writers at once ---------------------------------------------------------------------

WRITERS = 6
SEEDED = 65  # the article's items, one event each
SEEDED_EVENTS = SEEDED + 1  # and the article's registration
# Items of the seeded store, one for each writer to correct.
CORRECTED = ["2023-06-13-job-fair", "2023-02-18-sci-park-unveiled", "2023-04-14-pairing-symposium",
             "2023-09-15-jiangnan-food-festival", "2023-03-school-leaders-training", "2021-city-cadres-seconded"]


def _at_once(db, commands):
    """The commands started together, a process each: their exit codes and stderr, and
    the seconds until the last ended."""
    start = time.monotonic()
    procs = [_cli(db, *command) for command in commands]
    results = [p.communicate(timeout=300) for p in procs]
    elapsed = time.monotonic() - start
    return [(p.returncode, err) for p, (_, err) in zip(procs, results, strict=True)], elapsed


def test_six_processes_correcting_six_items_at_once(db):
    subprocess.run([sys.executable, "-m", "cli", "--db", db, "-q", "init"], cwd=ROOT, check=True)
    runs, elapsed = _at_once(db, [("correct", item, "--title", f"更正 {n}", "--reason", "concurrent")
                                   for n, item in enumerate(CORRECTED)])
    backend = "PostgreSQL" if db.startswith("postgresql") else "SQLite"
    print(f"\n{WRITERS} processes correcting {WRITERS} items on {backend}: exit codes {[code for code, _ in runs]}, "
          f"{elapsed:.1f} s")
    assert runs == [(0, "")] * WRITERS
    ledger = Ledger(resolve(db))
    for n, item in enumerate(CORRECTED):
        assert [(v.version, v.action) for v in ledger.history(item)] == [(1, "recorded"), (2, "corrected")]
        assert ledger.load(item).item.title == f"更正 {n}"
    report = verify(ledger)
    assert (report.events, report.problems) == (SEEDED_EVENTS + WRITERS, [])
    ledger.close()
    assert _read_model_equals_rebuild(db)
    ok = subprocess.run([sys.executable, "-m", "cli", "--db", db, "verify"], cwd=ROOT, capture_output=True,
                        text=True)
    assert ok.returncode == 0 and ok.stdout.startswith(f"ok: {SEEDED_EVENTS + WRITERS} events intact"), ok.stderr


def test_six_processes_appending_to_a_store_not_made_yet(db):
    """The first use of a store is all of them at once: each makes the tables it finds
    missing (the ledger's, the library's tracking table, the view's) and seeds the store
    if it is empty; one wins each race and the others carry on with what it made."""
    runs, elapsed = _at_once(db, [("append", "--kind", "meeting", "--date", f"2024-0{n + 1}", "--title", f"会议 {n}",
                                   "--id", f"first-{n}") for n in range(WRITERS)])
    backend = "PostgreSQL" if db.startswith("postgresql") else "SQLite"
    print(f"\n{WRITERS} processes appending to a new {backend} store: exit codes {[code for code, _ in runs]}, "
          f"{elapsed:.1f} s")
    assert runs == [(0, "")] * WRITERS
    ids = _exported_ids(db)
    assert len(ids) == len(set(ids)) == SEEDED + WRITERS  # seeded once, by one of them
    assert {f"first-{n}" for n in range(WRITERS)} <= set(ids)
    ledger = Ledger(resolve(db))
    assert verify(ledger).problems == []
    ledger.close()
    assert _read_model_equals_rebuild(db)

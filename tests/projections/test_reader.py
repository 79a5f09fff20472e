"""Reading a current SQLite read model directly, without the event store, and only then."""

import subprocess
import sys
from datetime import date
from pathlib import Path

from events import Item, Kind, Source, When
from ledger.application import Ledger
from ledger.store import resolve
from projections.reader import CurrentSQLiteView, open_current
from projections.runner import ReadModel
from projections.timeline import Window

APRIL = Window(date(2023, 4, 1), date(2023, 4, 30))


def _item(n: int) -> Item:
    return Item(id=f"x-{n}", kind=Kind.MEETING, when=When.parse("2023-04-20"), title=f"会{n}", source=Source("doc"))


def test_only_a_store_whose_read_model_is_at_the_last_event_is_read_directly(sqlite_cli, sqlite_db):
    path = Path(sqlite_db)
    assert open_current(path) is None  # no file yet
    sqlite_cli.ok("init", "--no-seed")
    assert isinstance(open_current(path), CurrentSQLiteView)  # set up empty: nothing to catch up

    ledger = Ledger(resolve(sqlite_db))
    model = ReadModel(ledger)
    ledger.record([_item(1), _item(2)])  # stored, and the read model not told
    assert open_current(path) is None
    model.catch_up()
    direct = open_current(path)
    assert direct is not None
    assert list(direct.timeline(APRIL)) == list(model.timeline(APRIL))
    assert [e.row.item.id for e in direct.timeline(APRIL)] == ["x-1", "x-2"]
    assert direct.totals(APRIL.upper, [], "scope", False) == model.totals(APRIL.upper, [], "scope", False)
    assert direct.all_rows() == model.all_rows()
    ledger.close()


def test_a_store_never_seeded_is_not_read_directly(sqlite_db):
    Ledger(resolve(sqlite_db)).close()  # tables made, no events, not marked initialized
    assert open_current(Path(sqlite_db)) is None


def test_reading_a_current_store_loads_no_event_store_module(sqlite_cli, sqlite_db):
    expected = sqlite_cli.ok("timeline", "--period", "2023-04", "-f", "json").stdout  # seeds, catches up
    probe = (
        "import io, runpy, sys\n"
        f"sys.argv = ['coop-ledger', '--db', {sqlite_db!r}, '-q', 'timeline', '--period', '2023-04', '-f', 'json']\n"
        "try:\n    runpy.run_module('cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'eventsourcing', 'psycopg'}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout == expected
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_the_queries_of_one_answer_see_one_state_of_the_file(sqlite_cli, sqlite_db):
    """A totals answer takes several queries: a write landing between them must not show."""
    import sqlite3

    from projections.rows import TIMELINE

    sqlite_cli.ok("timeline")  # seeded, and the read model current
    direct = open_current(Path(sqlite_db))
    assert direct is not None
    with direct._cursor(commit=False) as c:
        c.execute(f"SELECT COUNT(*) FROM {TIMELINE}")
        [(before,)] = c.fetchall()
        other = sqlite3.connect(sqlite_db)
        with other:
            other.execute(f"DELETE FROM {TIMELINE}")
        other.close()
        c.execute(f"SELECT COUNT(*) FROM {TIMELINE}")
        assert c.fetchall() == [(before,)]
    assert before == 65
    with direct._cursor(commit=False) as c:
        c.execute(f"SELECT COUNT(*) FROM {TIMELINE}")
        assert c.fetchall() == [(0,)]

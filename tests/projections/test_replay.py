"""The incrementally kept read model always equals a rebuild from the first event."""

import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import Item, Kind, Measure, Source, When
from ledger.application import IdTaken, Ledger
from ledger.store import resolve
from projections import runner
from projections.runner import KnownAt, ReadModel
from projections.timeline import Window

FAR = datetime(2100, 1, 1, tzinfo=timezone.utc)
D = datetime(2023, 12, 31).date()


# Days before, inside and after the items' dates, on and off the ends of months and years.
TOTALS_DAYS = [datetime(*d).date() for d in ((2022, 6, 30), (2023, 4, 15), (2023, 12, 31), (2024, 2, 29), (2024, 3, 31))]


def _state(model):
    rows = model.all_rows()
    figures = sorted(model.figures([], FAR.date()), key=lambda f: (f.item_id, f.metric))
    # The timeline's own order too: by first day, then record order.
    order = [(e.row.item.id, e.certainty) for e in model.timeline(Window(datetime(1900, 1, 1).date(), datetime(2199, 12, 31).date()))]
    totals = [[t.to_dict(by) for t in model.totals(day, [], by, False)] for day in TOTALS_DAYS for by in ("scope", "month")]
    return rows, figures, order, totals


def _rebuilt(ledger):
    return _state(KnownAt(ledger, FAR))


items = st.builds(
    lambda n, kind, month, scope, amount: Item(
        id=f"item-{n}", kind=kind, when=When.parse(month), title=f"事项{n}", source=Source("doc", "q"),
        scope=scope, measures=(Measure.parse(f"people_trained={amount}名"),) if amount else (),
    ),
    st.integers(0, 30),
    st.sampled_from([Kind.TRAINING, Kind.PERIOD_REPORT, Kind.DELEGATION_VISIT]),
    st.sampled_from(["2023", "2023-04", "2023-04-14/2023-04-16", "2021/..", "../2024-03", "2024-02"]),
    st.sampled_from(["淮南市", "闵行区"]),
    st.integers(0, 500),
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("append"), st.lists(items, min_size=1, max_size=4)),
        st.tuples(st.just("correct"), st.integers(0, 30), st.sampled_from(["2023-05", "2022", "2024-01-01"])),
        st.tuples(st.just("retract"), st.integers(0, 30)),
        st.tuples(st.just("query"), st.just(None)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_incremental_equals_rebuild_after_every_step(script):
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(resolve(str(Path(tmp) / "l.sqlite")))
        model = ReadModel(ledger)
        for step in script:
            if step[0] == "append":
                try:
                    model.apply_recordings(ledger.record(step[1]).recordings)
                except IdTaken:  # an id given again with other content: nothing stored
                    pass
            elif step[0] in ("correct", "retract"):
                item_id = f"item-{step[1]}"
                try:
                    if step[0] == "correct":
                        ledger.correct(item_id, "fix", {"when": When.parse(step[2])})
                    else:
                        ledger.retract(item_id, "wrong")
                except LookupError:
                    continue
                except ValueError:  # nothing to change, or already retracted
                    continue
                model.catch_up()
            else:
                april = Window(D.replace(month=4, day=1), D.replace(month=4, day=30))
                assert list(model.timeline(april)) == list(KnownAt(ledger, FAR).timeline(april))
                assert [t.to_dict() for t in model.totals(D, [], "scope", False)] == [
                    t.to_dict() for t in KnownAt(ledger, FAR).totals(D, [], "scope", False)
                ]
            assert _state(model) == _rebuilt(ledger)
        before = _state(model)
        model.replay()
        assert _state(model) == before
        # Pages of three events: an item's corrections and retraction on later pages
        # than its recording, which the rebuild folds over the rows it staged.
        page, runner.PAGE = runner.PAGE, 3
        try:
            model.replay()
        finally:
            runner.PAGE = page
        assert _state(model) == before
        ledger.close()


def test_an_interrupted_catch_up_resumes_from_its_tracking_position(sqlite_db, monkeypatch):
    ledger = Ledger(resolve(sqlite_db))
    from ledger.seed import seed

    seed(ledger)  # 66 events in the log; the read model has seen none of them
    model = ReadModel(ledger)
    monkeypatch.setattr(runner, "PAGE", 10)
    original = model.view._apply
    calls = {"n": 0}

    def failing_apply(*args):
        calls["n"] += 1
        original(*args)  # the rows are written inside the transaction ...
        if calls["n"] == 3:
            raise RuntimeError("power cut")  # ... and rolled back with it

    monkeypatch.setattr(model.view, "_apply", failing_apply)
    with pytest.raises(RuntimeError, match="power cut"):
        model.catch_up()
    assert model.position() == 20
    assert len(model.all_rows()) == 19  # the first event registers the article
    monkeypatch.setattr(model.view, "_apply", original)
    assert model.catch_up() == 46
    assert _state(model) == _rebuilt(ledger)


def test_replay_through_the_cli_changes_nothing(cli):
    before = cli.ok("totals", "--as-of", "2024-04-01", "-f", "json").stdout
    timeline_before = cli.ok("timeline", "-f", "json").stdout
    run = cli.ok("replay")
    assert run.stderr.endswith("coop-ledger: replayed 66 events\n")
    assert cli.ok("totals", "--as-of", "2024-04-01", "-f", "json").stdout == before
    assert cli.ok("timeline", "-f", "json").stdout == timeline_before


def test_recorded_at_is_the_store_clock(sqlite_db):
    ticks = iter([datetime(2026, 1, 5, 10, tzinfo=timezone.utc) + timedelta(minutes=i) for i in range(10)])
    ledger = Ledger(resolve(sqlite_db), clock=lambda: next(ticks))
    item = Item(id="x", kind=Kind.MEETING, when=When.parse("2026-01"), title="会", source=Source("doc"))
    model = ReadModel(ledger)
    model.apply_recordings(ledger.record([item]).recordings)
    assert model.all_rows()[0].recorded_at == datetime(2026, 1, 5, 10, tzinfo=timezone.utc)


# What each older layout left: its tables and its tracking name.
OLD_LAYOUTS = {
    1: (["CREATE TABLE timeline (item_id TEXT PRIMARY KEY, seq BIGINT, lower TEXT, upper TEXT, wide INTEGER, "
         "kind TEXT, data TEXT)", "CREATE TABLE figures (item_id TEXT, metric TEXT)"], "timeline"),
    2: (["CREATE TABLE timeline_v2 (place INTEGER PRIMARY KEY, item_id TEXT, seq BIGINT, data TEXT)",
         "CREATE TABLE figures_v2 (item_id TEXT, metric TEXT, value TEXT)"], "timeline_v2"),
    # Layout 3 had no sums: its totals added up every figure.
    3: (["CREATE TABLE timeline_v3 (place INTEGER PRIMARY KEY, item_id TEXT, seq BIGINT, data TEXT)",
         "CREATE TABLE figures_v3 (item_id TEXT, metric TEXT, value TEXT)",
         "CREATE INDEX timeline_v3_tier0 ON timeline_v3 (seq)"], "timeline_v3"),
    # Layout 4 kept sums of the figures at five date levels, and a replay killed part way
    # could leave its staging tables in the store.
    4: (["CREATE TABLE timeline_v4 (place INTEGER PRIMARY KEY, item_id TEXT, seq BIGINT, data TEXT)",
         "CREATE TABLE figures_v4 (item_id TEXT, metric TEXT, value TEXT)",
         "CREATE TABLE sums_v4 (level INTEGER, metric TEXT, period TEXT)",
         "CREATE TABLE timeline_v4_rebuilding (item_id TEXT, page BIGINT)",
         "CREATE TABLE figures_v4_rebuilding (item_id TEXT, page BIGINT)"], "timeline_v4"),
}


@pytest.mark.parametrize("layout", sorted(OLD_LAYOUTS))
def test_a_store_with_an_older_read_model_layout_is_rebuilt_on_first_use(sqlite_cli, sqlite_db, layout):
    """An older layout had other tables and another tracking name: opening such a store
    drops its tables and rebuilds the current layout from the events."""
    import sqlite3

    from projections.rows import FIGURES, TIMELINE

    expected = sqlite_cli.ok("totals", "--as-of", "2024-04-01", "-f", "json").stdout
    timeline_expected = sqlite_cli.ok("timeline", "-f", "json").stdout
    statements, name = OLD_LAYOUTS[layout]
    con = sqlite3.connect(sqlite_db)
    with con:
        for table in (TIMELINE, FIGURES):
            con.execute(f"DROP TABLE {table}")
        con.execute("DELETE FROM tracking")
        for statement in statements:
            con.execute(statement)
        con.execute("INSERT INTO tracking (application_name, notification_id) VALUES (?, 66)", (name,))
    con.close()

    assert sqlite_cli.ok("totals", "--as-of", "2024-04-01", "-f", "json").stdout == expected
    assert sqlite_cli.ok("timeline", "-f", "json").stdout == timeline_expected
    con = sqlite3.connect(sqlite_db)
    tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    assert {"timeline", "figures", "timeline_v2", "figures_v2", "timeline_v3", "figures_v3", "timeline_v4",
            "figures_v4", "sums_v4", "timeline_v4_rebuilding", "figures_v4_rebuilding"}.isdisjoint(tables)
    assert {TIMELINE, FIGURES} <= tables


def _schema_objects(ledger):
    """The view's table and index names, as the backend lists them."""
    if ledger.spec.is_postgres:
        import psycopg

        env = ledger.spec.env
        with psycopg.connect(dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], user=env["POSTGRES_USER"]) as c:
            rows = c.execute(
                "SELECT relname, relkind FROM pg_class JOIN pg_namespace n ON n.oid = relnamespace "
                "WHERE nspname = %s AND relkind IN ('r', 'i')", (env["POSTGRES_SCHEMA"],)
            ).fetchall()
        return {name for name, kind in rows if kind == "r"}, {name for name, kind in rows if kind == "i"}
    import sqlite3

    con = sqlite3.connect(ledger.spec.env["SQLITE_DBNAME"])
    rows = con.execute("SELECT name, type FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
    con.close()
    return {name for name, kind in rows if kind == "table"}, {name for name, kind in rows if kind == "index"}


def _seeded(db):
    from ledger.seed import seed

    ledger = Ledger(resolve(db))
    seed(ledger)
    model = ReadModel(ledger)
    model.catch_up()
    return ledger, model


def test_a_replay_leaves_the_tables_and_indexes_a_new_store_has(db, new_db):
    """The rebuild fills staging tables, then makes the view's tables anew from them:
    after two replays in a row, the store has exactly the tables and indexes (names
    included) of a store that never replayed."""
    ledger, model = _seeded(db)
    expected = _schema_objects(ledger)
    before = _state(model)
    assert model.replay() == 66
    assert model.replay() == 66
    assert _state(model) == before == _rebuilt(ledger)
    assert _schema_objects(ledger) == expected
    ledger.close()


def _replay_cut_at(model, monkeypatch, page):
    """A replay in pages of ten events whose `page`-th write to the staging tables fails."""
    monkeypatch.setattr(runner, "PAGE", 10)
    original, calls = model.view._apply, {"n": 0}

    def failing_apply(c, page_, tables):
        if tables.timeline.endswith("_rebuilding"):
            calls["n"] += 1
            if calls["n"] == page:
                raise RuntimeError("power cut")
        original(c, page_, tables)

    monkeypatch.setattr(model.view, "_apply", failing_apply)
    model.replay()


def test_a_replay_killed_part_way_leaves_the_view_as_it_was(db, monkeypatch):
    ledger, model = _seeded(db)
    before, position = _state(model), model.position()
    original = model.view._apply
    with pytest.raises(RuntimeError, match="power cut"):
        _replay_cut_at(model, monkeypatch, 3)
    assert model.position() == position == 66
    assert _state(model) == before
    monkeypatch.setattr(model.view, "_apply", original)
    assert model.replay() == 66
    assert _state(model) == before
    ledger.close()


def _late(name):
    return Item(id=name, kind=Kind.TRAINING, when=When.parse("2023-04"), title="培训", source=Source("doc"),
                scope="淮南市", measures=(Measure.parse("people_trained=10名"),))


def test_events_appended_during_a_replay_are_in_the_view_after_it(db, monkeypatch):
    """The rebuild reads the log page by page while others may append: what it reads
    until the log ends, and what lands after that, before its swap, is caught up next."""
    ledger, model = _seeded(db)
    monkeypatch.setattr(runner, "PAGE", 20)
    pages = runner.pages

    def appending_pages(ledger_, after=0):
        if after:  # the catch-up after the rebuild
            yield from pages(ledger_, after)
            return
        for n, page in enumerate(pages(ledger_)):
            yield page
            if n == 0:  # read by a later page of the rebuild
                ledger.record([_late("early")])
        ledger.record([_late("late-0"), _late("late-1")])  # after its last page

    monkeypatch.setattr(runner, "pages", appending_pages)
    assert model.replay() == 69
    assert model.position() == 69
    assert _state(model) == _rebuilt(ledger)
    assert {"early", "late-0", "late-1"} <= {r.item.id for r in model.all_rows()}
    ledger.close()


def _staging_left(ledger):
    """What a rebuild staged and left behind: in SQLite, the file's tables; in
    PostgreSQL, the temporary staging tables of any session."""
    env = ledger.spec.env
    if ledger.spec.is_postgres:
        import psycopg

        with psycopg.connect(dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], user=env["POSTGRES_USER"]) as c:
            return c.execute(
                "SELECT relname FROM pg_class JOIN pg_namespace n ON n.oid = relnamespace "
                "WHERE nspname LIKE 'pg_temp%%' AND relname LIKE %s", ("%rebuilding%",)
            ).fetchall()
    import sqlite3

    with sqlite3.connect(env["SQLITE_DBNAME"]) as con:
        return con.execute("SELECT name FROM sqlite_master WHERE name LIKE '%rebuilding%'").fetchall()


def test_a_replay_stages_its_rows_outside_the_store(db, monkeypatch):
    """The staging tables are temporary ones of the rebuild's connection: a replay killed
    part way leaves the store as it was, not a table more, and in PostgreSQL the
    connection goes back to the pool without them."""
    ledger, model = _seeded(db)
    objects = _schema_objects(ledger)
    with pytest.raises(RuntimeError, match="power cut"):
        _replay_cut_at(model, monkeypatch, 4)
    assert _schema_objects(ledger) == objects
    assert _staging_left(ledger) == []
    ledger.close()


def test_a_corrected_item_keeps_its_place_among_the_items_of_its_day(db):
    """Items of one day are listed in record order; an item corrected later keeps its
    place, as the plain fold and a replay have it, not the place of its correction."""
    ledger = Ledger(resolve(db))
    model = ReadModel(ledger)

    def meeting(item_id):
        return Item(id=item_id, kind=Kind.MEETING, when=When.parse("2023-04-01"), title=item_id, source=Source("doc", "q"))

    ledger.record([meeting("first"), meeting("second")])
    model.catch_up()
    ledger.correct("first", "a better title", {"title": "第一"})
    model.catch_up()
    april = Window(datetime(2023, 4, 1).date(), datetime(2023, 4, 30).date())
    plain = [e.row.item.id for e in KnownAt(ledger, FAR).timeline(april)]
    assert plain == ["first", "second"]
    assert [e.row.item.id for e in model.timeline(april)] == plain
    model.replay()
    assert [e.row.item.id for e in model.timeline(april)] == plain
    ledger.close()


@pytest.mark.parametrize("window", [("0001-01-01", "0001-12-31"), ("9999-01-01", "9999-12-31"), ("0001-01-01", "9999-12-31")])
def test_windows_at_the_ends_of_the_calendar_list_what_the_fold_lists(db, window):
    """Open ends and the calendar's first and last days select as the fold has them."""
    ledger = Ledger(resolve(db))
    model = ReadModel(ledger)

    def visit(item_id, date_text):
        return Item(id=item_id, kind=Kind.DELEGATION_VISIT, when=When.parse(date_text), title=item_id, source=Source("doc"))

    ledger.record([visit("first-day", "0001-01-01"), visit("first-month", "0001-01"), visit("last-day", "9999-12-31"),
                   visit("last-month", "9999-12"), visit("last-year", "9999"), visit("open", "2023/.."),
                   visit("open-start", "../2024-03")])
    model.catch_up()
    lower, upper = (When.parse(d).lower for d in window)
    listed = [(e.row.item.id, e.certainty) for e in model.timeline(Window(lower, upper))]
    assert listed == [(e.row.item.id, e.certainty) for e in KnownAt(ledger, FAR).timeline(Window(lower, upper))]
    assert {"first-day", "last-day"} & {i for i, _ in listed}
    ledger.close()


def test_two_replays_at_once_each_leave_the_whole_view(db, monkeypatch):
    """A second replay that runs whole between two pages of a first: each stages in
    temporary tables of its own connection, so both finish and the view is the log's."""
    ledger, model = _seeded(db)
    other = ReadModel(Ledger(ledger.spec))
    monkeypatch.setattr(runner, "PAGE", 10)
    pages = runner.pages

    def interleaved(ledger_, after=0):
        for n, page in enumerate(pages(ledger_, after)):
            yield page
            if n == 1 and not after:
                monkeypatch.setattr(runner, "pages", pages)
                assert other.replay() == 66

    monkeypatch.setattr(runner, "pages", interleaved)
    assert model.replay() == 66
    assert _state(model) == _state(other) == _rebuilt(ledger)
    assert model.position() == 66
    other.ledger.close()
    ledger.close()


def test_a_catch_up_that_cannot_advance_stops_with_one_error(sqlite_db):
    """With its tracking row gone, the view's position reads 0 while its rows are there:
    every page it applies is refused. It stops, naming replay, rather than loop."""
    import sqlite3

    ledger, model = _seeded(sqlite_db)
    ledger.record([_late("one-more")])
    with sqlite3.connect(sqlite_db) as con:
        con.execute("DELETE FROM tracking WHERE application_name = ?", (runner.NAME,))
    with pytest.raises(runner.Stuck, match="run `coop-ledger replay`"):
        model.catch_up()
    assert model.replay() == 67
    assert _state(model) == _rebuilt(ledger)
    ledger.close()


def test_a_page_is_never_written_without_holding_the_position_row(postgres_db):
    """A replay's swap deletes the position row and puts a new one in its place. A writer
    whose lock waited on the old row finds it gone: it must not go on without a lock, or
    it and another writer apply the same page (a duplicate key in the view)."""
    import threading

    import psycopg
    from eventsourcing.persistence import IntegrityError

    ledger, model = _seeded(postgres_db)
    recordings = ledger.record([_late("next")]).recordings
    position = model.position()
    page = [(r.notification.id, r.domain_event) for r in recordings]
    table = model.view.tracking_table
    swap = psycopg.connect(postgres_db.split("?")[0], autocommit=False,
                           options=f"-c search_path={postgres_db.split('schema=')[1]}")
    swap.execute(f"DELETE FROM {table} WHERE application_name = %s", (runner.NAME,))
    swap.execute(f"INSERT INTO {table} (application_name, notification_id) VALUES (%s, %s)", (runner.NAME, position))
    outcome = []

    def write() -> None:
        try:
            model.view.write(page, runner.NAME, after=position)
            outcome.append("written")
        except IntegrityError:
            outcome.append("refused")

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(timeout=1)
    assert writer.is_alive()  # waiting for the swap's lock on the old row
    swap.commit()
    writer.join(timeout=30)
    swap.close()
    assert outcome == ["refused"]
    assert "next" not in {r.item.id for r in model.all_rows()}
    ledger.close()

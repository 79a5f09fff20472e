"""The incrementally kept read model always equals a rebuild from the first event."""

import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import Item, Kind, Measure, Source, When
from ledger.application import Ledger
from ledger.store import resolve
from projections import feed, runner
from projections.answers import compute_totals, timeline
from projections.runner import KnownAt, ReadModel

FAR = datetime(2100, 1, 1, tzinfo=timezone.utc)
D = datetime(2023, 12, 31).date()


# Days before, inside and after the items' dates, on and off the ends of months and years.
TOTALS_DAYS = [datetime(*d).date() for d in ((2022, 6, 30), (2023, 4, 15), (2023, 12, 31), (2024, 2, 29), (2024, 3, 31))]


def _state(model):
    rows = model.all_rows()
    figures = sorted(model.figures([], FAR.date()), key=lambda f: (f.item_id, f.metric))
    # The timeline's own order too: by first day, then record order.
    order = [(e.row.item.id, e.certainty) for e in model.timeline(datetime(1900, 1, 1).date(), datetime(2199, 12, 31).date())]
    # The totals, which the read model answers from its sums: as the plain path adds up.
    sums = [[t.to_dict(by) for t in compute_totals(model, day, by=by)] for day in TOTALS_DAYS for by in ("scope", "month")]
    return rows, figures, order, sums


def _sums_table(model):
    """The sums table's rows, which the incremental writes keep and a rebuild makes anew."""
    with model.view._cursor(commit=False) as c:
        c.execute(f"SELECT * FROM {model.view.sums_table} ORDER BY level, metric, period, scope, kind")
        return [tuple(r) for r in c.fetchall()]


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
                model.apply_recordings(ledger.record(step[1]).recordings)
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
                window = timeline(model, D.replace(month=4, day=1), D.replace(month=4, day=30))
                known = timeline(KnownAt(ledger, FAR), D.replace(month=4, day=1), D.replace(month=4, day=30))
                assert window == known
                assert [t.to_dict() for t in compute_totals(model, D)] == [
                    t.to_dict() for t in compute_totals(KnownAt(ledger, FAR), D)
                ]
            assert _state(model) == _rebuilt(ledger)
        before, kept = _state(model), _sums_table(model)
        model.replay()
        assert _state(model) == before
        assert _sums_table(model) == kept  # no sum of no figure left behind, none missing
        # Pages of three events: an item's corrections and retraction on later pages
        # than its recording, which the rebuild resolves when it swaps.
        page, feed.PAGE = feed.PAGE, 3
        try:
            model.replay()
        finally:
            feed.PAGE = page
        assert _state(model) == before
        ledger.close()


def test_an_interrupted_catch_up_resumes_from_its_tracking_position(sqlite_db, monkeypatch):
    ledger = Ledger(resolve(sqlite_db))
    from ledger.seed import seed

    seed(ledger)  # 57 events in the log; the read model has seen none of them
    model = ReadModel(ledger)
    monkeypatch.setattr(feed, "PAGE", 10)
    original = model.view._write
    calls = {"n": 0}

    def failing_write(c, writes):
        calls["n"] += 1
        original(c, writes)  # the rows are written inside the transaction ...
        if calls["n"] == 3:
            raise RuntimeError("power cut")  # ... and rolled back with it

    monkeypatch.setattr(model.view, "_write", failing_write)
    with pytest.raises(RuntimeError, match="power cut"):
        model.catch_up()
    assert model.position() == 20
    assert len(model.all_rows()) == 20
    monkeypatch.setattr(model.view, "_write", original)
    assert model.catch_up() == 37
    assert _state(model) == _rebuilt(ledger)


def test_replay_through_the_cli_changes_nothing(cli):
    before = cli.ok("totals", "--as-of", "2024-04-01", "-f", "json").stdout
    timeline_before = cli.ok("timeline", "-f", "json").stdout
    run = cli.ok("replay")
    assert run.stderr.endswith("coop-ledger: replayed 57 events\n")
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
}


@pytest.mark.parametrize("layout", sorted(OLD_LAYOUTS))
def test_a_store_with_an_older_read_model_layout_is_rebuilt_on_first_use(sqlite_cli, sqlite_db, layout):
    """An older layout had other tables and another tracking name: opening such a store
    drops its tables and rebuilds the current layout from the events."""
    import sqlite3

    from projections.rows import FIGURES, SUMS, TIMELINE

    expected = sqlite_cli.ok("totals", "--as-of", "2024-04-01", "-f", "json").stdout
    timeline_expected = sqlite_cli.ok("timeline", "-f", "json").stdout
    statements, name = OLD_LAYOUTS[layout]
    con = sqlite3.connect(sqlite_db)
    with con:
        for table in (TIMELINE, FIGURES, SUMS):
            con.execute(f"DROP TABLE {table}")
        con.execute("DELETE FROM tracking")
        for statement in statements:
            con.execute(statement)
        con.execute("INSERT INTO tracking (application_name, notification_id) VALUES (?, 57)", (name,))
    con.close()

    assert sqlite_cli.ok("totals", "--as-of", "2024-04-01", "-f", "json").stdout == expected
    assert sqlite_cli.ok("timeline", "-f", "json").stdout == timeline_expected
    con = sqlite3.connect(sqlite_db)
    tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    assert {"timeline", "figures", "timeline_v2", "figures_v2", "timeline_v3", "figures_v3"}.isdisjoint(tables)
    assert {TIMELINE, FIGURES, SUMS} <= tables


def test_events_read_from_their_stored_form_change_the_timeline_as_the_decoded_events_do(db):
    """The catch-up reads the few fields it needs from the stored JSON; the plain path
    decodes each event through the library. Every kind of event gives the same change."""
    from projections.fold import change_of, stored_change

    ledger = Ledger(resolve(db))
    ledger.record([
        Item(id=f"item-{n}", kind=kind, when=When.parse(date), title=f"事项{n}", source=Source("doc", "q", When.parse("2024")),
             scope="淮南市", measures=(Measure.parse("people_trained=近200名"),), note="n")
        for n, (kind, date) in enumerate([(Kind.TRAINING, "2023-04"), (Kind.PERIOD_REPORT, "2023"),
                                          (Kind.MEETING, "2021/.."), (Kind.EXCHANGE, "../2024-03")])
    ])
    ledger.correct("item-0", "fix", {"when": When.parse("2023-05-02")})
    ledger.retract("item-2", "wrong")
    notifications = ledger.recorder.select_notifications(start=0, limit=100)
    assert [n.topic.rsplit(".", 1)[1] for n in notifications] == ["Recorded"] * 4 + ["Corrected", "Retracted"]
    fast = [stored_change(n.topic, n.state, n.id) for n in notifications]
    plain = [change_of(ledger.mapper.to_domain_event(n), n.id) for n in notifications]
    assert fast == plain
    assert fast[4].row.item.when.text == "2023-05-02" and fast[4].replaces
    ledger.close()


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
    assert model.replay() == 57
    assert model.replay() == 57
    assert _state(model) == before == _rebuilt(ledger)
    assert _schema_objects(ledger) == expected
    ledger.close()


def _replay_cut_at(model, monkeypatch, page):
    """A replay in pages of ten events whose `page`-th append to the staging tables fails."""
    monkeypatch.setattr(feed, "PAGE", 10)
    original, calls = model.view._append, {"n": 0}

    def failing_append(*args):
        calls["n"] += 1
        if calls["n"] == page:
            raise RuntimeError("power cut")
        original(*args)

    monkeypatch.setattr(model.view, "_append", failing_append)
    model.replay()


def test_a_replay_killed_part_way_leaves_the_view_as_it_was(db, monkeypatch):
    ledger, model = _seeded(db)
    before, position = _state(model), model.position()
    totals_before = [t.to_dict() for t in compute_totals(model, D)]
    original = model.view._append
    with pytest.raises(RuntimeError, match="power cut"):
        _replay_cut_at(model, monkeypatch, 3)
    assert model.position() == position == 57
    assert _state(model) == before
    assert [t.to_dict() for t in compute_totals(model, D)] == totals_before
    monkeypatch.setattr(model.view, "_append", original)
    assert model.replay() == 57
    assert _state(model) == before
    ledger.close()


def test_events_appended_during_a_replay_are_in_the_view_after_it(db, monkeypatch):
    """The rebuild reads the log page by page while others may append: what it reads
    until the log ends, and what lands after that, before its swap, is caught up next."""
    ledger, model = _seeded(db)
    monkeypatch.setattr(feed, "PAGE", 20)

    def late(name):
        return Item(id=name, kind=Kind.TRAINING, when=When.parse("2023-04"), title="培训", source=Source("doc"),
                    scope="淮南市", measures=(Measure.parse("people_trained=10名"),))

    def appending_pages(ledger, events, after=0):
        if after:  # the catch-up after the rebuild
            yield from feed.pages(ledger, after)
            return
        for n, page in enumerate(feed.pages(ledger)):
            yield page
            if n == 0:  # read by a later page of the rebuild
                ledger.record([late("early")])
        ledger.record([late("late-0"), late("late-1")])  # after its last page

    monkeypatch.setattr(runner, "feed", appending_pages)
    assert model.replay() == 60
    assert model.position() == 60
    assert _state(model) == _rebuilt(ledger)
    assert {"early", "late-0", "late-1"} <= {r.item.id for r in model.all_rows()}
    ledger.close()


def test_a_worker_process_makes_the_same_pages_as_this_one(db, monkeypatch):
    """A large rebuild has its rows made by a worker process: page for page, the same
    rows, counts and positions as made in process, and the same view after a replay."""
    ledger, model = _seeded(db)
    ledger.correct("2023-02-18-sci-park-unveiled", "fix", {"when": When.parse("2023-05-02")})
    ledger.retract("2023-03-xinzhuang-visit-huainan", "wrong")
    monkeypatch.setattr(feed, "PAGE", 10)
    here = list(feed.pages(ledger))
    assert [(p.events, p.position) for p in here] == [(10, 10), (10, 20), (10, 30), (10, 40), (10, 50), (9, 59)]
    assert list(feed.worker_pages(ledger.spec)) == here
    # With the writer's share: pages 2, 4 and 6 made here, from the events the worker read.
    assert feed.WRITER_EVERY == 2
    assert list(feed.worker_pages(ledger.spec, writer=ledger.mapper)) == here
    model.catch_up()
    before = _state(model)
    monkeypatch.setattr(feed, "WORKER_FROM", 0)
    assert model.replay() == 59
    assert _state(model) == before == _rebuilt(ledger)
    ledger.close()


def test_a_worker_that_fails_is_one_error_in_the_writer(tmp_path):
    import sqlite3

    path = tmp_path / "l.sqlite"
    ledger = Ledger(resolve(str(path)))
    ledger.close()
    con = sqlite3.connect(path)
    con.execute("DROP TABLE stored_events")
    con.close()
    with pytest.raises(feed.WorkerFailed, match=r"^\w+Error: .*no such table: stored_events"):
        list(feed.worker_pages(resolve(str(path))))


def test_a_failed_write_stops_the_worker_making_the_rows(db, monkeypatch):
    import multiprocessing

    ledger, model = _seeded(db)
    monkeypatch.setattr(feed, "PAGE", 10)
    monkeypatch.setattr(feed, "WORKER_FROM", 0)
    original = model.view._append

    def failing_append(*args):  # the rebuild's second page fails
        failing_append.pages += 1
        if failing_append.pages == 2:
            raise RuntimeError("disk full")
        original(*args)

    failing_append.pages = 0
    monkeypatch.setattr(model.view, "_append", failing_append)
    with pytest.raises(RuntimeError, match="disk full") as failed:
        model.replay()
    assert failed.value is not None  # the traceback, and the frames it holds, still alive here
    assert multiprocessing.active_children() == []
    ledger.close()


def test_a_sqlite_replay_leaves_the_log_empty_and_the_stores_own_connections_as_they_were(sqlite_db):
    """The rebuild writes on a connection of its own, unsynced and without checkpoints
    until its end: afterwards the log has been copied into the file, and the store's own
    connections still sync every commit."""
    import sqlite3

    ledger, model = _seeded(sqlite_db)
    path = Path(ledger.spec.env["SQLITE_DBNAME"])
    before = _state(model)
    assert model.replay() == 57
    assert _state(model) == before == _rebuilt(ledger)
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    with ledger.recorder.datastore.transaction(commit=False) as c:
        c.execute("PRAGMA synchronous")
        assert c.fetchone()[0] == 2  # FULL, SQLite's default
        c.execute("PRAGMA wal_autocheckpoint")
        assert c.fetchone()[0] == 1000
    with sqlite3.connect(path) as con:  # the rebuilt view reads as a new one, from another connection
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    ledger.close()


def _staging_left(ledger):
    """What a rebuild staged and left behind: in SQLite, the file's page and free page
    counts; in PostgreSQL, the temporary staging tables of any session."""
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
        return con.execute("PRAGMA page_count").fetchone()[0], con.execute("PRAGMA freelist_count").fetchone()[0]


def test_staging_tables_an_older_version_left_in_the_store_are_dropped(sqlite_cli, sqlite_db):
    """Versions that staged a replay in the store's own tables left them there when killed
    part way: the next command that opens the read model for writing drops them."""
    import sqlite3

    from projections.store import STALE_STAGING

    sqlite_cli.ok("init")  # a store, not another program's file with two tables
    con = sqlite3.connect(sqlite_db)
    with con:
        for table in STALE_STAGING:
            con.execute(f"CREATE TABLE {table} (item_id TEXT, page BIGINT)")
    con.close()
    sqlite_cli.ok("replay")
    con = sqlite3.connect(sqlite_db)
    tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    assert set(STALE_STAGING) == {"timeline_v4_rebuilding", "figures_v4_rebuilding"}
    assert set(STALE_STAGING).isdisjoint(tables)


def test_a_replay_stages_its_rows_outside_the_store(db, monkeypatch):
    """The staging tables are temporary ones of the rebuild's connection: a replay killed
    part way leaves the store as it was, not a table more (nor a page more in SQLite's
    file), and in PostgreSQL the connection goes back to the pool without them."""
    ledger, model = _seeded(db)
    objects, staged = _schema_objects(ledger), _staging_left(ledger)
    with pytest.raises(RuntimeError, match="power cut"):
        _replay_cut_at(model, monkeypatch, 4)
    assert _schema_objects(ledger) == objects
    assert _staging_left(ledger) == staged
    if ledger.spec.is_postgres:
        assert staged == []
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
    april = (datetime(2023, 4, 1).date(), datetime(2023, 4, 30).date())
    plain = [e.row.item.id for e in KnownAt(ledger, FAR).timeline(*april)]
    assert plain == ["first", "second"]
    assert [e.row.item.id for e in model.timeline(*april)] == plain
    model.replay()
    assert [e.row.item.id for e in model.timeline(*april)] == plain
    ledger.close()


def test_a_backlog_larger_than_the_view_is_rebuilt_not_applied(db, monkeypatch):
    """From REBUILD_FROM events behind, when more are behind than the view has applied
    (a bulk import into a new store), the catch-up rebuilds the view; with a view that
    holds more than is behind, it applies the backlog in place."""
    from ledger.seed import seed

    ledger = Ledger(resolve(db))
    seed(ledger)  # 57 events; the view has applied none
    model = ReadModel(ledger)
    monkeypatch.setattr(runner, "REBUILD_FROM", 20)
    rebuilds = []
    original = model.view.rebuild
    monkeypatch.setattr(model.view, "rebuild", lambda pages, name: rebuilds.append(name) or original(pages, name))
    assert model.work() == 57
    assert model.catch_up() == 57
    assert len(rebuilds) == 1 and model.position() == 57
    assert _state(model) == _rebuilt(ledger)

    def training(n):
        return Item(id=f"late-{n}", kind=Kind.TRAINING, when=When.parse("2023-04"), title="培训", source=Source("doc"),
                    scope="淮南市", measures=(Measure.parse("people_trained=10名"),))

    ledger.record([training(n) for n in range(25)])  # 25 behind, fewer than the 57 applied
    assert model.work() == 25
    assert model.catch_up() == 25
    assert len(rebuilds) == 1  # applied in place
    assert _state(model) == _rebuilt(ledger)
    ledger.close()


@pytest.mark.parametrize("window", [("0001-01-01", "0001-12-31"), ("9999-01-01", "9999-12-31"), ("0001-01-01", "9999-12-31")])
def test_windows_at_the_ends_of_the_calendar_list_what_the_fold_lists(db, window):
    """The shortest spans are found by their places, from the window's first day less a
    month to its last day's last place: the calendar's first and last days included."""
    ledger = Ledger(resolve(db))
    model = ReadModel(ledger)

    def visit(item_id, date_text):
        return Item(id=item_id, kind=Kind.DELEGATION_VISIT, when=When.parse(date_text), title=item_id, source=Source("doc"))

    ledger.record([visit("first-day", "0001-01-01"), visit("first-month", "0001-01"), visit("last-day", "9999-12-31"),
                   visit("last-month", "9999-12"), visit("last-year", "9999"), visit("open", "2023/..")])
    model.catch_up()
    lower, upper = (When.parse(d).lower for d in window)
    listed = [(e.row.item.id, e.certainty) for e in model.timeline(lower, upper)]
    assert listed == [(e.row.item.id, e.certainty) for e in KnownAt(ledger, FAR).timeline(lower, upper)]
    assert {"first-day", "last-day"} & {i for i, _ in listed}
    ledger.close()


def test_tier0_has_no_index_and_is_read_by_place(sqlite_db):
    """Tier 0 of the timeline is read by its places: the query finds those rows through
    the table's key, and no index of tier 0 costs every write."""
    import sqlite3

    from projections.rows import TIMELINE

    ledger, model = _seeded(sqlite_db)
    ledger.close()
    with sqlite3.connect(sqlite_db) as con:
        indexes = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert f"{TIMELINE}_tier0" not in indexes and {f"{TIMELINE}_tier1", f"{TIMELINE}_tier2"} <= indexes
        plan = con.execute(
            f"EXPLAIN QUERY PLAN SELECT data FROM {TIMELINE} WHERE place BETWEEN ? AND ? AND tier = 0 AND upper >= ?",
            (0, 1, "2023-04-01"),
        ).fetchall()
        assert "INTEGER PRIMARY KEY" in plan[0][-1]


def test_two_replays_at_once_each_leave_the_whole_view(db, monkeypatch):
    """A second replay that runs whole between two pages of a first: each stages in
    temporary tables of its own connection, so both finish and the view is the log's.
    (When they shared staging tables in the store, the first failed: its tables were gone.)"""
    ledger, model = _seeded(db)
    other = ReadModel(Ledger(ledger.spec))
    monkeypatch.setattr(feed, "PAGE", 10)

    def interleaved(ledger_, events, after=0):
        for n, page in enumerate(feed.pages(ledger_, after)):
            yield page
            if n == 1 and not after:
                monkeypatch.setattr(runner, "feed", feed.feed)
                assert other.replay() == 57

    monkeypatch.setattr(runner, "feed", interleaved)
    assert model.replay() == 57
    assert _state(model) == _state(other) == _rebuilt(ledger)
    assert model.position() == 57
    other.ledger.close()
    ledger.close()

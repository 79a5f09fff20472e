"""The read model's tables and their writes, the same SQL on every backend.

Each backend's recorder supplies its table names and a cursor class that takes `?`
placeholders; view rows and the tracking position are always written in one transaction.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError, Tracking

from projections.reads import ReadModelReads
from projections.rows import (
    COUNTED_AS, FIGURE_COLUMNS, FIGURES, LEVELS, MONTH, QUALIFIER_COUNTS, SEQ_BITS, STALE_TABLES, SUM_COLUMNS, SUM_KEY,
    SUMMED, SUMS, TIERS, TIMELINE, add_to_sums,
)
from projections.writes import Writes

if TYPE_CHECKING:
    from projections.feed import Page

# The suffix of the tables a rebuild fills before they take the view's place.
REBUILDING = "_rebuilding"


Qualify = Callable[[str], str]


def _bare(name: str) -> str:
    return name


def table_statements(*, place_type: str, clustered: str = "", qualify: Qualify = _bare) -> list[str]:
    """The three tables, and the one index their writes need (figures by item, for corrections).

    `place_type` is the key's type: INTEGER in SQLite, where that makes it the table's own
    key (rows stored in its order), BIGINT in PostgreSQL. `clustered` ends a table that is
    to be stored in its key's order: " WITHOUT ROWID" in SQLite. Names are bare; `qualify`
    puts a bare name in its schema (PostgreSQL's), for every place but an index's own name.
    """
    return [
        f"CREATE TABLE IF NOT EXISTS {qualify(TIMELINE)} ("
        f"place {place_type} PRIMARY KEY, item_id TEXT NOT NULL UNIQUE, seq BIGINT NOT NULL, "
        "lower TEXT NOT NULL, upper TEXT NOT NULL, tier INTEGER NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {qualify(FIGURES)} ("
        "item_id TEXT NOT NULL, metric TEXT NOT NULL, scope TEXT NOT NULL, kind TEXT NOT NULL, "
        "value TEXT NOT NULL, unit TEXT NOT NULL, qualifier TEXT NOT NULL, lower TEXT NOT NULL, "
        "upper TEXT NOT NULL, counts_from TEXT NOT NULL, is_report INTEGER NOT NULL, tier INTEGER NOT NULL, "
        # Keyed, and in SQLite stored, by (metric, scope, lower): the figures of one metric
        # and scope that a report may stand for lie side by side.
        "units BIGINT, PRIMARY KEY (metric, scope, lower, item_id))" + clustered,
        # The figures' sums by the prefixes of their days (rows.LEVELS); keyed so that a
        # level's periods of one metric lie side by side.
        f"CREATE TABLE IF NOT EXISTS {qualify(SUMS)} ("
        "level INTEGER NOT NULL, metric TEXT NOT NULL, period TEXT NOT NULL, scope TEXT NOT NULL, kind TEXT NOT NULL, "
        "units BIGINT NOT NULL, n BIGINT NOT NULL, n_whole BIGINT NOT NULL, "
        f"{', '.join(f'{n} BIGINT NOT NULL' for n in QUALIFIER_COUNTS)}, PRIMARY KEY ({SUM_KEY}))" + clustered,
        f"CREATE INDEX IF NOT EXISTS {FIGURES}_item ON {qualify(FIGURES)} (item_id)",
    ]


def staging_statements(timeline: str, figures: str) -> list[str]:
    """A rebuild's staging tables (ReadModelQueries.staging's names): the view's columns,
    and the `page` (its last position) each row was appended with; no key, no index.

    Temporary tables of the rebuild's own connection: written to no log, seen by no
    other rebuild, and gone with the connection, however the rebuild ends.
    """
    return [
        f"CREATE TEMP TABLE {timeline} (place BIGINT, item_id TEXT NOT NULL, seq BIGINT, lower TEXT, upper TEXT, "
        "tier INTEGER, kind TEXT, data TEXT, page BIGINT NOT NULL)",
        f"CREATE TEMP TABLE {figures} (item_id TEXT NOT NULL, metric TEXT, scope TEXT, kind TEXT, value TEXT, unit TEXT, "
        "qualifier TEXT, lower TEXT, upper TEXT, counts_from TEXT, is_report INTEGER, tier INTEGER, units BIGINT, "
        "page BIGINT NOT NULL)",
    ]


def index_statements(*, qualify: Qualify = _bare) -> list[str]:
    """The indexes only reads need: a rebuild creates them once, after its last row."""
    t, f = qualify(TIMELINE), qualify(FIGURES)
    return [
        # Tier 0 has none: its rows are read by their places, in the table itself (reads.py).
        *(f"CREATE INDEX IF NOT EXISTS {TIMELINE}_tier{n} ON {t} (lower, upper) WHERE tier = {n}" for n in range(1, TIERS)),
        # Covers the figures of `totals` by the day they count from: the last days of
        # its sums, and its lists of ids. It holds is_report too, though its WHERE fixes
        # it: else SQLite reads the table for it.
        f"CREATE INDEX IF NOT EXISTS {FIGURES}_days ON {f} "
        "(metric, counts_from, scope, kind, qualifier, units, is_report) WHERE is_report = 0",
        # The reports, read whole: every column they are read with is in it, for a few
        # thousand reports are as many lookups of the table else.
        f"CREATE INDEX IF NOT EXISTS {FIGURES}_reports ON {f} (metric, counts_from, {FIGURE_COLUMNS}) WHERE is_report = 1",
        # The few values SQL cannot add up (units NULL), found without scanning the rest.
        f"CREATE INDEX IF NOT EXISTS {FIGURES}_fractions ON {f} (metric, counts_from) "
        "WHERE units IS NULL AND is_report = 0",
        # Pending figures lie across the as-of day: a range scan per tier, as the timeline's,
        # that finds them in the index alone (SQLite would read the table for each row scanned).
        f"CREATE INDEX IF NOT EXISTS {FIGURES}_tier ON {f} (tier, metric, lower, counts_from, upper)",
    ]


# Staging tables that a replay killed part way could leave in the store, from the versions
# that staged there rather than in temporary tables.
STALE_STAGING = (TIMELINE + REBUILDING, FIGURES + REBUILDING)


def create_statements(*, place_type: str, clustered: str = "", qualify: Qualify = _bare) -> list[str]:
    """The read model's tables and indexes, after dropping the tables of older versions."""
    return [
        *(f"DROP TABLE IF EXISTS {qualify(table)}" for table in (*STALE_TABLES, *STALE_STAGING)),
        *table_statements(place_type=place_type, clustered=clustered, qualify=qualify),
        *index_statements(qualify=qualify),
    ]


class ReadModelQueries(ReadModelReads):
    """The reads, and the writes: the changes of a page of events and the position, at once."""

    datastore: Any  # the library's datastore of each backend
    # Wraps a backend's cursor so that it takes `?` placeholders, keeping the raw one as `.raw`.
    cursor_class: type

    @contextmanager
    def _cursor(self, *, commit: bool) -> Iterator[Any]:
        with self.datastore.transaction(commit=commit) as c:
            yield self.cursor_class(c)

    # `_insert_tracking(cursor, tracking)` comes from the library's tracking recorder of
    # each backend; it must not be declared here, where it would shadow that one.
    _insert_tracking: Any

    tracking_table: str
    # Locks the tracking row until commit where the backend can (PostgreSQL).
    lock_suffix = ""

    def write(self, writes: Writes, tracking: Tracking, after: int) -> None:
        """Write the rows of the events after position `after`, and move the position.

        All or nothing, and only if the position is still `after`: two processes that
        read the same page must not both apply it. The check comes after the writes,
        when this transaction holds the write lock, so no other writer can slip between.
        """
        with self._cursor(commit=True) as c:
            self._write(c, writes)
            c.execute(
                f"SELECT notification_id FROM {self.tracking_table} WHERE application_name=?{self.lock_suffix}",
                (tracking.application_name,),
            )
            found = c.fetchall()
            if (found[0][0] if found else 0) != after:
                raise IntegrityError(f"{tracking.application_name} is no longer at position {after}")
            self._insert_tracking(c.raw, tracking)

    def ensure_position(self, name: str) -> None:
        """Give the view a tracking row at 0, so that concurrent first writes contend for it."""
        with self._cursor(commit=True) as c:
            c.execute(
                f"INSERT INTO {self.tracking_table} (application_name, notification_id) VALUES (?, 0) "
                "ON CONFLICT (application_name) DO NOTHING",
                (name,),
            )

    def rebuild(self, pages: Iterable[Page], name: str) -> int:
        """Build the view afresh beside the one in use, then put it in that one's place.

        `pages` are what the log writes, from its first event, a page at a time (see
        projections.feed); returns how many events were applied.

        The pages are appended to staging tables with no key and no index, each row
        marked with its page: a large view's B-trees, filled row by row in the order of
        the log, had every page of events write to thousands of scattered B-tree pages,
        which at a million events was most of a replay. The swap then keeps each item's
        rows of its last page (none if that page retracted it), and inserts them in key
        order, sorted by the database, so that the tables and their indexes are built
        in one sweep each (see `_swap`).

        Readers and the catch-up keep the old view until the swap, one transaction that
        replaces the tables and sets the position: a replay killed part way leaves the
        old view as it was, and nothing of its own (its staging tables are temporary).
        """
        timeline, figures = (self.staging(t + REBUILDING) for t in (TIMELINE, FIGURES))
        with self._rebuilding() as transaction:
            with transaction() as c:
                for statement in staging_statements(timeline, figures):
                    c.execute(statement)
            position = count = 0
            for page in pages:
                count, position = count + page.events, page.position
                with transaction() as c:
                    self._append(c, page.writes, position, timeline, figures)
            with transaction() as c:
                self._swap(c, name, position, timeline, figures)
        return count

    @staticmethod
    def _append(c: Any, writes: Writes, page: int, timeline: str, figures: str) -> None:
        """A page's rows, appended to the staging tables as of `page` (its last position);
        a retracted item gets a row with no data."""
        if writes.deletes:
            c.executemany(f"INSERT INTO {timeline} (item_id, page) VALUES (?, {page:d})", writes.deletes)
        if writes.timeline:
            c.executemany(f"INSERT INTO {timeline} VALUES (?,?,?,?,?,?,?,?,{page:d})", writes.timeline)
        if writes.figures:
            c.executemany(f"INSERT INTO {figures} VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,{page:d})", writes.figures)

    def _swap(self, c: Any, name: str, position: int, timeline: str, figures: str) -> None:
        """Make the view's tables anew from the staging tables, and set its position.

        Each item's rows are those of its last page, unless that page retracted it; its
        record order is that of its first row (a correction keeps the item's place among
        those of its day, as the upsert does). Rows go in by key, sorted by the database,
        and the read indexes are built after the last, by sorting. `timeline` and `figures`
        are the staging tables.
        """
        q = self.qualify
        # Each item's last page and first record order, keyed by item: what every staging
        # row is looked up in, as the rows are read in the order they were appended.
        latest = self.staging(TIMELINE + REBUILDING + "_latest")
        c.execute(
            f"CREATE TEMP TABLE {latest} (item_id TEXT PRIMARY KEY, seq BIGINT, page BIGINT NOT NULL){self.clustered}"
        )
        c.execute(f"INSERT INTO {latest} SELECT item_id, MIN(seq), MAX(page) FROM {timeline} GROUP BY item_id")
        for table in (self.timeline_table, self.figures_table, self.sums_table):
            c.execute(f"DROP TABLE {table}")
        *tables, item_index = table_statements(place_type=self.place_type, clustered=self.clustered, qualify=q)
        for statement in tables:
            c.execute(statement)
        c.execute(
            f"INSERT INTO {self.timeline_table} (place, item_id, seq, lower, upper, tier, kind, data) "
            f"SELECT (((t.place >> {SEQ_BITS}) << {SEQ_BITS}) | latest.seq), t.item_id, latest.seq, t.lower, t.upper, "
            f"t.tier, t.kind, t.data FROM {timeline} t JOIN {latest} latest "
            "ON t.item_id = latest.item_id AND t.page = latest.page WHERE t.data IS NOT NULL ORDER BY 1"
        )
        c.execute(
            f"INSERT INTO {self.figures_table} ({FIGURE_COLUMNS}, tier, units) "
            f"SELECT {', '.join(f'f.{column}' for column in FIGURE_COLUMNS.split(', '))}, f.tier, f.units "
            f"FROM {figures} f JOIN {latest} latest ON f.item_id = latest.item_id AND f.page = latest.page "
            "ORDER BY f.metric, f.scope, f.lower, f.item_id"
        )
        self._sum_all(c)
        # Every index after the rows, the figures' by item too: built by sorting, once.
        for statement in [item_index, *index_statements(qualify=q)]:
            c.execute(statement)
        c.execute(f"DELETE FROM {self.tracking_table} WHERE application_name=?", (name,))
        c.execute(f"INSERT INTO {self.tracking_table} (application_name, notification_id) VALUES (?, ?)", (name, position))

    # `_rebuilding()`, each backend's: a context that yields a rebuild's transactions, all on
    # one connection of its own, which holds the temporary staging tables until its end.
    _rebuilding: Callable[[], AbstractContextManager[Callable[[], AbstractContextManager[Any]]]]

    # Each backend's settings of the DDL (see table_statements).
    place_type: str
    clustered = ""

    def qualify(self, name: str) -> str:
        return name

    def staging(self, name: str) -> str:
        """A staging table's name as the rebuild's statements use it: bare, the connection's
        temporary table coming first."""
        return name

    def _sum_all(self, c: Any) -> None:
        """Fill the empty sums table from the figures: the months from the figures, each
        coarser level from the level below it, in key order."""
        counts = ", ".join(f"SUM({counted})" for counted in COUNTED_AS)
        c.execute(
            f"INSERT INTO {self.sums_table} ({SUM_COLUMNS}) SELECT {MONTH}, metric, substr(counts_from, 1, {MONTH}) AS p, "
            f"scope, kind, COALESCE(SUM(units), 0), COUNT(*), COUNT(units), {counts} FROM {self.figures_table} "
            "WHERE is_report = 0 GROUP BY metric, p, scope, kind ORDER BY metric, p, scope, kind"
        )
        added = ", ".join(f"SUM({n})" for n in SUMMED)
        # Each level from the next finer one, which it groups the fewest rows of.
        for level, finer in reversed(list(itertools.pairwise(LEVELS))):
            c.execute(
                f"INSERT INTO {self.sums_table} ({SUM_COLUMNS}) SELECT {level}, metric, substr(period, 1, {level}) AS p, "
                f"scope, kind, {added} FROM {self.sums_table} WHERE level = {finer} "
                "GROUP BY metric, p, scope, kind ORDER BY metric, p, scope, kind"
            )

    def _add_sums(self, c: Any, writes: Writes) -> None:
        """Keep the sums as the page leaves the figures: those of stale items taken away
        (read before they are deleted), the page's added. A sum of no figure goes."""
        sums: dict[tuple, list[int]] = {}
        for (item_id,) in writes.stale:
            c.execute(f"SELECT {FIGURE_COLUMNS}, tier, units FROM {self.figures_table} WHERE item_id = ?", (item_id,))
            add_to_sums(sums, c.fetchall(), -1)
        add_to_sums(sums, writes.figures, 1)
        if not sums:
            return
        update = ", ".join(f"{n} = {self.sums_table}.{n} + excluded.{n}" for n in SUMMED)
        values = ",".join("?" * len(SUM_COLUMNS.split(", ")))
        c.executemany(
            f"INSERT INTO {self.sums_table} ({SUM_COLUMNS}) VALUES ({values}) ON CONFLICT ({SUM_KEY}) DO UPDATE SET {update}",
            sorted((*key, *deltas) for key, deltas in sums.items()),
        )
        emptied = sorted(key for key, deltas in sums.items() if deltas[1] < 0)
        if emptied:
            c.executemany(
                f"DELETE FROM {self.sums_table} WHERE {' AND '.join(f'{k} = ?' for k in SUM_KEY.split(', '))} AND n = 0",
                emptied,
            )

    def _write(self, c: Any, writes: Writes) -> None:
        """Write a page's rows to the view's tables, in place."""
        timeline, figures = self.timeline_table, self.figures_table
        self._add_sums(c, writes)
        if writes.stale:
            c.executemany(f"DELETE FROM {figures} WHERE item_id=?", writes.stale)
        if writes.deletes:
            c.executemany(f"DELETE FROM {timeline} WHERE item_id=?", writes.deletes)
        if writes.timeline:
            c.executemany(
                f"INSERT INTO {timeline} VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (item_id) DO UPDATE SET "
                # A correction moves the row to its new first day but keeps its record
                # order: the place's low bits stay the row's seq, not the correction's.
                f"place=((excluded.place >> {SEQ_BITS}) << {SEQ_BITS}) | {timeline}.seq, lower=excluded.lower, "
                "upper=excluded.upper, tier=excluded.tier, kind=excluded.kind, data=excluded.data",
                writes.timeline,
            )
        if writes.figures:
            c.executemany(f"INSERT INTO {figures} VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", writes.figures)

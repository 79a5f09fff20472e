"""The read model's tables and their writes, the same SQL on every backend.

Each backend's recorder supplies its table names and a cursor class that takes `?`
placeholders; view rows and the tracking position are always written in one transaction.
A write is the fold (projections.fold) of a page of events over the current rows of the
items it touches; SQL stores the rows the fold gives back, and states no rule itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import astuple, fields
from typing import Any

from eventsourcing.persistence import IntegrityError, PersistenceError, Tracking

from ledger.aggregate import ItemAggregate
from projections.fold import State, apply, item_id_of, pair_of
from projections.reads import ReadModelReads
from projections.rows import (
    DOCUMENT_COLUMNS, FIGURE_COLUMNS, KEYS, LINK_COLUMNS, TIMELINE_COLUMNS, Tables, document_row, figure_rows, link_row,
    row_from, timeline_row,
)

# A page of the log: each event with its position (notification id).
Page = Sequence[tuple[int, object]]
CHUNK = 500  # ids per IN (...) list
Qualify = Callable[[str], str]
# The tables of older layouts: a store written by an older version loses them when opened.
STALE_TABLES = (
    "timeline", "figures", "timeline_v2", "figures_v2", "timeline_v3", "figures_v3",
    "timeline_v4", "figures_v4", "sums_v4", "timeline_v4_rebuilding", "figures_v4_rebuilding",
    "timeline_v5", "figures_v5",
)


def _bare(name: str) -> str:
    return name


def table_statements(tables: Tables, *, temp: bool = False, qualify: Qualify = _bare) -> list[str]:
    """The tables and their indexes; `temp` makes a rebuild's staging copy of them.

    Names are bare; `qualify` puts a bare name in its schema (PostgreSQL's), for every
    place but an index's own name.
    """
    create = "CREATE TEMP TABLE" if temp else "CREATE TABLE IF NOT EXISTS"
    index = "CREATE INDEX" if temp else "CREATE INDEX IF NOT EXISTS"
    timeline, figures = tables.timeline, tables.figures
    t, f, lk, d = astuple(tables if temp else tables.qualified(qualify))
    return [
        f"{create} {lk} (a TEXT NOT NULL, b TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (a, b))",
        f"{create} {d} (document_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, registered_at TEXT NOT NULL, "
        "data TEXT NOT NULL)",
        f"{create} {t} (item_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, lower TEXT NOT NULL, "
        "upper TEXT NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL, document TEXT NOT NULL, near_from TEXT NOT NULL, "
        "span_class INTEGER NOT NULL, title TEXT NOT NULL, data TEXT NOT NULL)",
        f"{create} {f} (item_id TEXT NOT NULL, metric TEXT NOT NULL, scope TEXT NOT NULL, "
        "population TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, unit TEXT NOT NULL, qualifier TEXT NOT NULL, "
        "lower TEXT NOT NULL, upper TEXT NOT NULL, counts_from TEXT NOT NULL, is_report INTEGER NOT NULL, "
        "PRIMARY KEY (item_id, metric, population))",
        # What the reads select by: a window's span, the items of a kind near a new item's
        # dates (by span class, events/when.py: it holds the titles too, so that finding
        # them reads the index alone), and a metric's figures begun by a day.
        f"{index} {timeline}_span ON {t} (lower, upper)",
        f"{index} {timeline}_near ON {t} (kind, span_class, near_from, document, title, seq)",
        f"{index} {timeline}_seq ON {t} (seq)",
        f"{index} {figures}_metric ON {f} (metric, lower)",
    ]


def create_statements(*, qualify: Qualify = _bare) -> list[str]:
    return [
        *(f"DROP TABLE IF EXISTS {qualify(name)}" for name in STALE_TABLES),
        *table_statements(Tables(), qualify=qualify),
    ]


class ReadModelQueries(ReadModelReads):
    """The reads, and the writes: the rows of a page of events and the position, at once."""

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

    def write(self, page: Page, name: str, after: int) -> None:
        """Write the rows of the events after position `after`, and move the position.

        All or nothing, and only if the position is still `after`: two processes that
        read the same page must not both apply it. The transaction's first statement
        writes the position's own row and returns it, so it holds the write lock (SQLite)
        or the row's lock (PostgreSQL) before it reads anything: it waits for another
        writer rather than fail on finding the file changed under a read, and no writer
        can slip between the check and the writes.
        """
        with self._cursor(commit=True) as c:
            c.execute(
                f"UPDATE {self.tracking_table} SET notification_id = notification_id WHERE application_name = ? "
                "RETURNING notification_id",
                (name,),
            )
            found = c.fetchall()
            # No row, no lock: the row was gone (a replay's swap puts a new one in its place,
            # and one edited away is put back by replay), so another writer could be writing
            # the same page. Only a write that holds the row goes on.
            if not found or found[0][0] != after:
                raise IntegrityError(f"{name} is no longer at position {after}")
            self._apply(c, page, self.tables)
            self._insert_tracking(c.raw, Tracking(name, page[-1][0]))

    def qualify(self, name: str) -> str:
        return name

    def tables_exist(self) -> bool:
        try:
            with self._cursor(commit=False) as c:
                for table in (*astuple(self.tables), self.tracking_table):
                    c.execute(f"SELECT 1 FROM {table} WHERE 1 = 0")
        except PersistenceError:  # the library's wrapping of the backend's "no such table"
            return False
        return True

    def create_tables(self) -> None:
        """The library's tracking table, then the view's own (dropping older layouts')."""
        self.create_table()
        with self._cursor(commit=True) as c:
            for statement in create_statements(qualify=self.qualify):
                c.execute(statement)

    def ensure_position(self, name: str) -> None:
        """Give the view a tracking row at 0, so that concurrent first writes contend for it."""
        with self._cursor(commit=True) as c:
            c.execute(
                f"INSERT INTO {self.tracking_table} (application_name, notification_id) VALUES (?, 0) "
                "ON CONFLICT (application_name) DO NOTHING",
                (name,),
            )

    @staticmethod
    def _apply(c: Any, page: Page, tables: Tables) -> None:
        """Fold the page over the current rows of the items it changes, and store the
        result; the links and documents it touches are stored as the fold leaves them."""
        changed = sorted({i for _, e in page if not isinstance(e, ItemAggregate.Recorded) and (i := item_id_of(e))})
        state = State()
        for start in range(0, len(changed), CHUNK):
            chunk = changed[start : start + CHUNK]
            c.execute(f"SELECT seq, data FROM {tables.timeline} WHERE item_id IN ({','.join('?' * len(chunk))})", chunk)
            for seq, data in c.fetchall():
                row = row_from(seq, data)
                state.rows[row.item.id] = row
        before = list(state.rows)
        for seq, event in page:
            apply(state, event, seq)
        for start in range(0, len(before), CHUNK):
            chunk = before[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            c.execute(f"DELETE FROM {tables.timeline} WHERE item_id IN ({marks})", chunk)
            c.execute(f"DELETE FROM {tables.figures} WHERE item_id IN ({marks})", chunk)
        rows = list(state.rows.values())
        if rows:
            c.executemany(f"INSERT INTO {tables.timeline} ({TIMELINE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                          [timeline_row(r) for r in rows])
            found = [f for r in rows for f in figure_rows(r)]
            if found:
                c.executemany(f"INSERT INTO {tables.figures} ({FIGURE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                              found)
        for items in {p for _, e in page if (p := pair_of(e))}:
            c.execute(f"DELETE FROM {tables.links} WHERE a = ? AND b = ?", items)
        if state.links:
            c.executemany(f"INSERT INTO {tables.links} ({LINK_COLUMNS}) VALUES (?,?,?)",
                          [link_row(link) for link in state.links.values()])
        for document_id in state.documents:  # a view made anew beside a documents table left behind
            c.execute(f"DELETE FROM {tables.documents} WHERE document_id = ?", (document_id,))
        if state.documents:
            c.executemany(f"INSERT INTO {tables.documents} ({DOCUMENT_COLUMNS}) VALUES (?,?,?,?)",
                          [document_row(d) for d in state.documents.values()])

    # Rebuilding -----------------------------------------------------------------

    def rebuild(self, pages: Iterable[Page], name: str) -> int:
        """Build the view afresh beside the one in use, then put it in that one's place.

        The pages are folded into temporary tables of the rebuild's own connection, as a
        catch-up folds them into the view; readers and catch-ups keep the old view until
        the swap, one transaction that copies the new rows in and sets the position. A
        rebuild killed part way leaves the old view as it was, and nothing of its own.
        Returns how many events were applied.
        """
        with self._staged(pages) as (transaction, position, count):
            with transaction() as c:
                for table, staged, _ in self._pairs():
                    c.execute(f"DELETE FROM {table}")
                    c.execute(f"INSERT INTO {table} SELECT * FROM {staged}")
                # Set, not moved on: the row may have gone, and another process may have
                # moved the old view's position past the rebuild's (the catch-up follows).
                c.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = ?", (name,))
                c.execute(f"INSERT INTO {self.tracking_table} (application_name, notification_id) VALUES (?, ?)",
                          (name, position))
        return count

    def differences(self, pages: Iterable[Page]) -> dict[str, list[str]]:
        """The items whose rows in the view differ from a rebuild of the same events,
        by table: what `verify` reports of a view edited behind the ledger's back."""
        found: dict[str, list[str]] = {}
        with self._staged(pages) as (transaction, _, _count), transaction() as c:
            for table, staged, key in self._pairs():
                c.execute(
                    f"SELECT {key} FROM (SELECT * FROM {table} EXCEPT SELECT * FROM {staged}) AS x UNION "
                    f"SELECT {key} FROM (SELECT * FROM {staged} EXCEPT SELECT * FROM {table}) AS y"
                )
                ids = sorted(str(r[0]) for r in c.fetchall())
                if ids:
                    found[table] = ids
        return found

    def _pairs(self) -> list[tuple[str, str, str]]:
        """Each table in use, its staging copy and its key."""
        staged = self.staging_tables()
        return [(getattr(self.tables, f.name), getattr(staged, f.name), KEYS[f.name]) for f in fields(Tables)]

    @contextmanager
    def _staged(self, pages: Iterable[Page]) -> Iterator[tuple[Callable[[], AbstractContextManager[Any]], int, int]]:
        """The pages folded into staging tables: the rebuild's transactions, the last
        position folded and how many events."""
        staged = self.staging_tables()
        with self._rebuilding() as transaction:
            with transaction() as c:
                for statement in table_statements(staged, temp=True):
                    c.execute(statement)
            position = count = 0
            for page in pages:
                with transaction() as c:
                    self._apply(c, page, staged)
                count, position = count + len(page), page[-1][0]
            yield transaction, position, count

    def staging_tables(self) -> Tables:
        return Tables().staging()

    # Each backend's own: the rebuild's transactions, all on one connection, whose
    # temporary tables they share.
    _rebuilding: Callable[[], AbstractContextManager[Callable[[], AbstractContextManager[Any]]]]

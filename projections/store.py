"""The read model's tables and their writes, the same SQL on every backend.

Each backend's recorder supplies its table names and a cursor class that takes `?`
placeholders; view rows and the tracking position are always written in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking

from projections.fold import Change, Delete, Upsert, collapse
from projections.reads import ReadModelReads
from projections.rows import FIGURES, TIERS, TIMELINE, figure_params, timeline_params


def create_statements(
    timeline: str, figures: str, *, place_type: str, clustered: str = "", index_prefix: str = "",
    stale: tuple[str, ...] = (),
) -> list[str]:
    """`place_type` is the key's type: INTEGER in SQLite, where that makes it the table's
    own key (rows stored in its order), BIGINT in PostgreSQL. `clustered` ends a table
    that is to be stored in its key's order: " WITHOUT ROWID" in SQLite."""
    p = index_prefix
    return [
        *(f"DROP TABLE IF EXISTS {table}" for table in stale),
        f"CREATE TABLE IF NOT EXISTS {timeline} ("
        f"place {place_type} PRIMARY KEY, item_id TEXT NOT NULL UNIQUE, seq BIGINT NOT NULL, "
        "lower TEXT NOT NULL, upper TEXT NOT NULL, tier INTEGER NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL)",
        *(
            f"CREATE INDEX IF NOT EXISTS {p}{TIMELINE}_tier{n} ON {timeline} (lower, upper) WHERE tier = {n}"
            for n in range(TIERS)
        ),
        f"CREATE TABLE IF NOT EXISTS {figures} ("
        "item_id TEXT NOT NULL, metric TEXT NOT NULL, scope TEXT NOT NULL, kind TEXT NOT NULL, "
        "value TEXT NOT NULL, unit TEXT NOT NULL, qualifier TEXT NOT NULL, lower TEXT NOT NULL, "
        "upper TEXT NOT NULL, counts_from TEXT NOT NULL, is_report INTEGER NOT NULL, tier INTEGER NOT NULL, "
        # Keyed, and in SQLite stored, by (metric, scope, lower): the figures of one metric
        # and scope that a report may stand for lie side by side.
        "units BIGINT, PRIMARY KEY (metric, scope, lower, item_id))" + clustered,
        f"CREATE INDEX IF NOT EXISTS {p}{FIGURES}_item ON {figures} (item_id)",
        # Covers the sums of `totals`: scanned in group order, never the table. It holds
        # is_report too, though its WHERE fixes it: else SQLite reads the table for it.
        f"CREATE INDEX IF NOT EXISTS {p}{FIGURES}_sums ON {figures} "
        "(metric, scope, qualifier, counts_from, kind, units, is_report) WHERE is_report = 0",
        f"CREATE INDEX IF NOT EXISTS {p}{FIGURES}_reports ON {figures} (metric, counts_from) WHERE is_report = 1",
        # The few values SQL cannot add up (units NULL), found without scanning the rest.
        f"CREATE INDEX IF NOT EXISTS {p}{FIGURES}_fractions ON {figures} (metric, counts_from) "
        "WHERE units IS NULL AND is_report = 0",
        # Pending figures lie across the as-of day: a range scan per tier, as the timeline's,
        # that finds them in the index alone (SQLite would read the table for each row scanned).
        f"CREATE INDEX IF NOT EXISTS {p}{FIGURES}_tier ON {figures} (tier, lower, counts_from, metric, upper)",
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

    def clear(self, application_name: str) -> None:
        """Empty the view and forget its position, in one transaction."""
        with self._cursor(commit=True) as c:
            c.execute(f"DELETE FROM {self.timeline_table}")
            c.execute(f"DELETE FROM {self.figures_table}")
            c.execute(f"DELETE FROM {self.tracking_table} WHERE application_name=?", (application_name,))

    # `_insert_tracking(cursor, tracking)` comes from the library's tracking recorder of
    # each backend; it must not be declared here, where it would shadow that one.
    _insert_tracking: Any

    tracking_table: str
    # Locks the tracking row until commit where the backend can (PostgreSQL).
    lock_suffix = ""

    def write(self, changes: Sequence[Change], tracking: Tracking, after: int) -> None:
        """Apply the changes of the events after position `after`, and move the position.

        All or nothing, and only if the position is still `after`: two processes that
        read the same page must not both apply it. The check comes after the writes,
        when this transaction holds the write lock, so no other writer can slip between.
        """
        with self._cursor(commit=True) as c:
            self._apply(c, changes)
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

    def _apply(self, c: Any, changes: Sequence[Change]) -> None:
        changes = collapse(changes)
        # A first recording has no figures yet; only corrections and retractions replace some.
        deletes = [(ch.item_id,) for ch in changes if isinstance(ch, Delete)]
        stale = deletes + [(ch.row.item.id,) for ch in changes if isinstance(ch, Upsert) and ch.replaces]
        if stale:
            c.executemany(f"DELETE FROM {self.figures_table} WHERE item_id=?", stale)
        if deletes:
            c.executemany(f"DELETE FROM {self.timeline_table} WHERE item_id=?", deletes)
        upserts = [ch.row for ch in changes if isinstance(ch, Upsert)]
        if upserts:
            c.executemany(
                f"INSERT INTO {self.timeline_table} VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (item_id) DO UPDATE SET "
                "place=excluded.place, lower=excluded.lower, upper=excluded.upper, tier=excluded.tier, "
                "kind=excluded.kind, data=excluded.data",
                [timeline_params(r) for r in upserts],
            )
            figures = [p for r in upserts for p in figure_params(r)]
            if figures:
                c.executemany(f"INSERT INTO {self.figures_table} VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", figures)

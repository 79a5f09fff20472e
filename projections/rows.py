"""How read-model rows are laid out in SQL, the same for every backend."""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from events import Item, Kind, Qualifier
from projections.timeline import Row
from projections.totals import Figure, figures_of

# The read model's layout version. A new layout gets new table names and a new tracking
# name, so a store written by an older version is rebuilt from its events on first use.
LAYOUT = 4
NAME = f"timeline_v{LAYOUT}"
TIMELINE = f"timeline_v{LAYOUT}"
FIGURES = f"figures_v{LAYOUT}"
SUMS = f"sums_v{LAYOUT}"
STALE_TABLES = ("timeline", "figures", "timeline_v2", "figures_v2", "timeline_v3", "figures_v3")  # layouts 1 to 3
LOW = "0000-00-00"  # sorts before any date: an open lower bound
HIGH = "9999-99-99"  # sorts after any date: an open upper bound
# A row's tier bounds how many days its first day may lie before a window it reaches
# into: each tier has its own index, scanned from that many days before the window, so
# the year-long items cannot widen the scan of the day-long ones. The last tier (longer
# or open-ended spans, a few per thousand) is scanned from its start.
TIER_DAYS = (31, 400)
TIERS = len(TIER_DAYS) + 1


def key(d: date | None, open_value: str) -> str:
    return d.isoformat() if d is not None else open_value


def row_json(row: Row) -> str:
    """The row as the timeline table stores it, and as `timeline -f json` prints it."""
    return json.dumps(row.to_dict(), ensure_ascii=False)


def tier(lower: date | None, upper: date | None) -> int:
    if lower is not None and upper is not None:
        span = (upper - lower).days
        for n, days in enumerate(TIER_DAYS):
            if span <= days:
                return n
    return len(TIER_DAYS)


# A row's place in the timeline table: its first day, then its record order (the
# timeline's own order), packed into the integer key. SQLite keeps a table in key order,
# so the rows of a window lie side by side instead of one page each. Record order
# numbers stay below 2**40 (a trillion events).
SEQ_BITS = 40


def place(lower: date | None, seq: int) -> int:
    return ((lower.toordinal() if lower is not None else 0) << SEQ_BITS) | seq


# A figure's value as a whole number below this goes in `units` too, for SQL to add up
# exactly; any other (a fraction, or beyond) has NULL there and is added in Python. Below
# 10**12 a sum cannot overflow a 64-bit integer before nine million figures.
UNITS_BELOW = 10**12


def units(value: Decimal) -> int | None:
    # Values are canonical: no exponent above 0, no trailing zeros after the point.
    if value.as_tuple().exponent == 0 and -UNITS_BELOW < value < UNITS_BELOW:  # type: ignore[operator]
        return int(value)
    return None


def row_params(row: Row) -> tuple[tuple, list[tuple]]:
    """The row's timeline row and its figure rows, as SQL parameters. The figures of an
    item share its dates (figures_of), so their keys and tier are made once, for all."""
    item, when = row.item, row.item.when
    lower, upper, span_tier, kind = key(when.lower, LOW), key(when.upper, HIGH), tier(when.lower, when.upper), item.kind.value
    timeline = (place(when.lower, row.seq), item.id, row.seq, lower, upper, span_tier, kind, row_json(row))
    figures = [
        (
            f.item_id, f.metric, f.scope, kind, str(f.value), f.unit, f.qualifier.value, lower, upper,
            key(f.counts_from, HIGH), int(f.is_report), span_tier, units(f.value),
        )
        for f in figures_of(row)
    ]
    return timeline, figures


# Named, not *: a view left by another version may carry more columns.
FIGURE_COLUMNS = "item_id, metric, scope, kind, value, unit, qualifier, lower, upper, counts_from, is_report"

# The itemized figures' sums, kept for each prefix of the day they count from: a century
# "20", a decade "202", a year "2023", "2023-0" (January to September) or "2023-1"
# (October to December), and a month "2023-11" (`level` is the prefix's length). A total
# as of 2023-11-15 adds the centuries before "20", the decades of it before "202", its
# years before "2023", "2023-0", the months of "2023-1" before November, and then only
# the figures of November up to the 15th: a few rows of each (metric, scope, kind) per
# level, however many figures the ledger holds. A sum's row counts its figures by
# qualifier, as a total's qualifier depends only on which are present.
LEVELS = (2, 3, 4, 6, 7)
MONTH = LEVELS[-1]  # the finest level: a month, "YYYY-MM"
SUM_KEY = "level, metric, period, scope, kind"
# One count per qualifier, in Qualifier's order; and, for each, what a figure row adds to it.
QUALIFIER_COUNTS = tuple(f"n_{q.value}" for q in Qualifier)
COUNTED_AS = tuple(f"CASE WHEN qualifier = '{q.value}' THEN 1 ELSE 0 END" for q in Qualifier)
# What a sum adds up. units: the figures' `units`; n: how many figures; n_whole: how many
# of them have units (the rest are added in Python); then the counts by qualifier.
SUMMED = ("units", "n", "n_whole", *QUALIFIER_COUNTS)
SUM_COLUMNS = f"{SUM_KEY}, {', '.join(SUMMED)}"
_QUALIFIER_INDEX = {q.value: n for n, q in enumerate(Qualifier)}
# Where row_params's figure rows hold their key and what a sum needs.
_F_ITEM_ID, _F_METRIC, _F_SCOPE, _F_KIND, _F_QUALIFIER, _F_LOWER = 0, 1, 2, 3, 6, 7
_F_COUNTS_FROM, _F_IS_REPORT, _F_UNITS = 9, 10, 12
# A figure row's key, in the order of the figures table's primary key.
FIGURE_KEY = operator.itemgetter(_F_METRIC, _F_SCOPE, _F_LOWER, _F_ITEM_ID)


def add_to_sums(sums: dict[tuple, list[int]], figures: Iterable[tuple], sign: int) -> None:
    """Add (sign 1) or take away (-1) figure rows, as row_params makes them, to the sums
    rows keyed by SUM_KEY; a report is no itemized figure and adds nothing."""
    width = len(SUMMED)
    for f in figures:
        if f[_F_IS_REPORT]:
            continue
        whole = f[_F_UNITS]
        counts_from = f[_F_COUNTS_FROM]
        for level in LEVELS:
            key = (level, f[_F_METRIC], counts_from[:level], f[_F_SCOPE], f[_F_KIND])
            found = sums.get(key)
            if found is None:
                found = sums[key] = [0] * width
            if whole is not None:
                found[0] += sign * whole
                found[2] += sign
            found[1] += sign
            found[3 + _QUALIFIER_INDEX[f[_F_QUALIFIER]]] += sign


class Entry:
    """A row of a timeline answer and its certainty; the row is decoded only when asked for.

    A month of a large ledger holds thousands of rows: the query hands back their stored
    JSON as UTF-8 bytes, which `-f json` writes out as they are, so only tables and CSV pay
    for decoding (into text, then into a row).
    """

    __slots__ = ("certainty", "seq", "_row", "_data")

    def __init__(self, certainty: str, seq: int, *, row: Row | None = None, data: bytes | None = None) -> None:
        if row is None and data is None:
            raise ValueError("an entry needs its row or its stored JSON")
        self.certainty = certainty
        self.seq = seq
        self._row = row
        self._data = data

    @classmethod
    def of(cls, row: Row, certainty: str) -> Entry:
        return cls(certainty, row.seq, row=row)

    @property
    def row(self) -> Row:
        if self._row is None:
            assert self._data is not None
            self._row = row_from(self.seq, self._data)
        return self._row

    def to_json(self) -> bytes:
        """The row's JSON, UTF-8, with `certainty` as its last key."""
        if self._data is None:
            self._data = row_json(self.row).encode()
        return b"%s, \"certainty\": \"%s\"}" % (self._data[:-1], self.certainty.encode())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and (self.row, self.certainty) == (other.row, other.certainty)

    def __repr__(self) -> str:
        return f"Entry({self.certainty!r}, {self.row!r})"


def row_from(seq: int, data: str | bytes) -> Row:
    fields = json.loads(data)
    recorded_at = datetime.fromisoformat(fields.pop("recorded_at"))
    return Row(Item.from_stored(fields), seq, recorded_at)


@functools.lru_cache(maxsize=1 << 16)
def date_of(text: str) -> date | None:
    # Cached: a figures table repeats a few thousand distinct days.
    return None if text in (LOW, HIGH) else date.fromisoformat(text)


_KINDS = {k.value: k for k in Kind}
_QUALIFIERS = {q.value: q for q in Qualifier}


def figure_from(values: tuple) -> Figure:
    item_id, metric, scope, kind, value, unit, qualifier, lower, upper, counts_from, is_report = values
    return Figure(
        item_id, metric, scope, _KINDS[kind], Decimal(value), unit, _QUALIFIERS[qualifier],
        date_of(lower), date_of(upper), date_of(counts_from), bool(is_report),
    )

"""How the read model's rows are laid out in SQL, the same for every backend.

The rows are made from the fold's state (an item's current version) by the functions
here and read back by them; no rule of the ledger is stated in SQL. The bounds are
stored as ISO days, with LOW and HIGH for open ends, so that SQL can select rows by
comparing text.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import astuple, dataclass
from datetime import date, datetime
from decimal import Decimal

from events import Item, Kind, Qualifier
from events.when import bounds, span_class
from projections.state import Link, Registered
from projections.timeline import Row
from projections.totals import Figure, figures_of

# The read model's layout version. A new layout gets new table names and a new tracking
# name, so a store written by another version is rebuilt from its events on first use.
LAYOUT = 6
NAME = f"view_v{LAYOUT}"
TIMELINE = f"timeline_v{LAYOUT}"
FIGURES = f"figures_v{LAYOUT}"
LINKS = f"links_v{LAYOUT}"
DOCUMENTS = f"documents_v{LAYOUT}"


@dataclass(frozen=True)
class Tables:
    """The view's table names: in use, or a rebuild's staging copies."""

    timeline: str = TIMELINE
    figures: str = FIGURES
    links: str = LINKS
    documents: str = DOCUMENTS

    def staging(self) -> Tables:
        return Tables(*(f"{name}_rebuilding" for name in astuple(self)))

    def qualified(self, qualify: Callable[[str], str]) -> Tables:
        return Tables(*(qualify(name) for name in astuple(self)))


# Each table's key, by which `verify` names a row that differs from a rebuild.
KEYS = {"timeline": "item_id", "figures": "item_id", "links": "a || ' = ' || b", "documents": "document_id"}
LOW = "0000-00-00"  # sorts before any day: an open lower bound
HIGH = "9999-99-99"  # sorts after any day: an open upper bound

TIMELINE_COLUMNS = "item_id, seq, lower, upper, date, kind, document, near_from, span_class, title, data"
FIGURE_COLUMNS = (
    "item_id, metric, scope, population, kind, value, unit, qualifier, lower, upper, counts_from, is_report"
)
LINK_COLUMNS = "a, b, seq"
DOCUMENT_COLUMNS = "document_id, seq, registered_at, data"


def key(d: date | None, open_value: str) -> str:
    return d.isoformat() if d is not None else open_value


def row_json(row: Row) -> str:
    """The row as the timeline table stores it, and as `timeline -f json` prints it."""
    return json.dumps(row.timeline_dict(), ensure_ascii=False)


def timeline_row(row: Row) -> tuple:
    when = row.item.when
    return (
        row.item.id, row.seq, key(when.lower, LOW), key(when.upper, HIGH), when.text, row.item.kind.value,
        row.item.source.document, bounds(when)[0].isoformat(), span_class(when), row.item.title, row_json(row),
    )


def link_row(link: Link) -> tuple:
    return (*link.items, link.seq)


def link_from(values: tuple) -> Link:
    a, b, seq = values
    return Link((a, b), seq)


def document_row(registered: Registered) -> tuple:
    """A document as the view keeps it: what `source list` shows, not its text, which
    stays in its event (`Ledger.document`)."""
    summary = json.dumps(registered.summary(), ensure_ascii=False)
    return (registered.document.id, registered.seq, registered.registered_at.isoformat(), summary)


def summary_from(values: tuple) -> dict:
    """A stored document row as `source list` shows it."""
    return json.loads(values[3])


def figure_rows(row: Row) -> list[tuple]:
    return [
        (
            f.item_id, f.metric, f.scope, f.population, f.kind.value, str(f.value), f.unit, f.qualifier.value,
            key(f.lower, LOW), key(f.upper, HIGH), key(f.counts_from, HIGH), int(f.is_report),
        )
        for f in figures_of(row)
    ]


class Entry:
    """A row of a timeline answer and its certainty; the row is decoded only when asked for.

    `-f json` writes the stored JSON (UTF-8 bytes) as it is, so only tables and CSV pay
    for decoding it into a row.
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


PAGE = 500  # a timeline's rows read at a time (also the length of an IN (...) list)


class Timeline:
    """A window's entries in timeline order, read a page at a time each time it is iterated.

    Which rows the window holds, and in what order, is decided from each row's date and
    kind alone (`chosen`: seq, certainty, and whether it has no first day); the rows
    themselves are read page by page as the answer is written, so that a window of any
    size is never held whole. It knows its length before it is read, and can be read
    again: the HTML page writes its table, then its data.
    """

    def __init__(self, chosen: list[tuple[int, str, bool]], read: Callable[[Sequence[tuple[int, str]]], list[Entry]]) -> None:
        self.chosen = chosen
        self._read = read  # the entries of a page of (seq, certainty), in that order

    @classmethod
    def held(cls, pairs: Sequence[tuple[Row, str]]) -> Timeline:
        """The timeline of rows already in memory, in timeline order, each with its certainty."""
        entries = {row.seq: Entry.of(row, certainty) for row, certainty in pairs}
        chosen = [(row.seq, certainty, row.item.when.lower is None) for row, certainty in pairs]
        return cls(chosen, lambda page: [entries[seq] for seq, _ in page])

    def __len__(self) -> int:
        return len(self.chosen)

    def __iter__(self) -> Iterator[Entry]:
        for start in range(0, len(self.chosen), PAGE):
            yield from self._read([(seq, certainty) for seq, certainty, _ in self.chosen[start : start + PAGE]])

    def part(self, *, undated: bool) -> Timeline:
        """The dated entries, or those with no first day (which timeline order puts last)."""
        return Timeline([c for c in self.chosen if c[2] == undated], self._read)

    @property
    def overlaps(self) -> bool:
        return any(certainty == "overlaps" for _, certainty, _ in self.chosen)


def row_from(seq: int, data: str | bytes) -> Row:
    """A stored timeline row, read back through the item's checking constructor."""
    fields = json.loads(data)
    recorded_at = datetime.fromisoformat(fields.pop("recorded_at"))
    fields.pop("sources")  # the item's own, as the view writes a single item's row
    return Row(Item.from_dict(fields), seq, recorded_at)


@functools.lru_cache(maxsize=1 << 16)
def date_of(text: str) -> date | None:
    # Cached: a figures table repeats a few thousand distinct days.
    return None if text in (LOW, HIGH) else date.fromisoformat(text)


_KINDS = {k.value: k for k in Kind}
_QUALIFIERS = {q.value: q for q in Qualifier}


def figure_from(values: tuple) -> Figure:
    """A stored figure row (FIGURE_COLUMNS) as the totals rules read it."""
    item_id, metric, scope, population, kind, value, unit, qualifier, lower, upper, counts_from, is_report = values
    return Figure(
        item_id, metric, scope, population, _KINDS[kind], _decimal(value), unit, _QUALIFIERS[qualifier],
        date_of(lower), date_of(upper), date_of(counts_from), bool(is_report),
    )


@functools.lru_cache(maxsize=1 << 16)
def _decimal(text: str) -> Decimal:
    return Decimal(text)

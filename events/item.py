"""Item: one recorded fact of the programme, as an immutable record."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from events.errors import InvalidValue
from events.measure import Measure
from events.names import normalize
from events.text import clean_text
from events.when import When


class Kind(str, Enum):
    PARK_UNVEILED = "park_unveiled"
    DELEGATION_VISIT = "delegation_visit"
    MEETING = "meeting"
    AGREEMENT_SIGNED = "agreement_signed"
    PROJECT_SIGNED = "project_signed"
    PROJECT_MILESTONE = "project_milestone"
    COMPANY_INCORPORATED = "company_incorporated"
    JOB_FAIR = "job_fair"
    TRAINING = "training"
    SECONDMENT = "secondment"
    TRADE_FAIR = "trade_fair"
    PROMOTION = "promotion"
    EXCHANGE = "exchange"
    PERIOD_REPORT = "period_report"
    OTHER = "other"


class Flag(str, Enum):
    """What the source leaves open about an item, stated so nobody reads more into it."""

    # The source gives no date: the date is the latest bound the source allows.
    UNDATED = "undated"
    # A month written without its year: the year is taken from the sentence's context.
    YEAR_FROM_CONTEXT = "year_from_context"
    # Something the source says will happen ("将..."): never counted as having happened.
    PLANNED = "planned"


# An id of an item or a document.
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def parse_enum(cls: type[Enum], value: object, name: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        known = ", ".join(m.value for m in cls)  # type: ignore[attr-defined]
        raise InvalidValue(name, value, f"unknown {name} (known: {known})") from None


def _names(values: object, name: str) -> tuple[str, ...]:
    if not isinstance(values, (list, tuple)):
        raise InvalidValue(name, values, "must be a list of names")
    return tuple(normalize(clean_text(v, name, required=True, limit=200)) for v in values)


QUOTE_GAP = "…"  # joins the verbatim pieces of a quote


@functools.lru_cache(maxsize=16)
def _squeeze(text: str) -> str:
    # Cached: an import checks every line's quote against the same few documents.
    return "".join(text.split())


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from: a document, the verbatim quote, and when it was published.

    A quote is one verbatim piece of the document, or several joined by `…` where the
    source breaks a sentence (a photo caption inside it): each piece is verbatim.
    """

    document: str
    quote: str = ""
    published: When | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "document", clean_text(self.document, "source.document", required=True, limit=200))
        object.__setattr__(self, "quote", clean_text(self.quote, "source.quote", required=False))
        if self.published is not None and not isinstance(self.published, When):
            raise InvalidValue("source.published", self.published, "must be a date")

    @classmethod
    def from_dict(cls, data: object) -> Source:
        if not isinstance(data, dict):
            raise InvalidValue("source", data, "must be an object with document and quote")
        return cls(
            document=data.get("document", ""),
            quote=data.get("quote", ""),
            published=When.parse(data["published"], "source.published") if "published" in data else None,
        )

    @property
    def pieces(self) -> list[str]:
        """The quote's verbatim pieces (an ellipsis the source itself prints splits
        harmlessly: both halves are verbatim too)."""
        return [piece for piece in self.quote.split(QUOTE_GAP) if piece]

    def missing_from(self, text: str) -> list[str]:
        """The quote's pieces not found verbatim in `text`, white space aside (a line the
        source breaks inside a word is joined in the quote)."""
        squeezed = _squeeze(text)
        return [piece for piece in self.pieces if _squeeze(piece) not in squeezed]

    def to_dict(self) -> dict[str, str]:
        data = {"document": self.document, "quote": self.quote}
        if self.published is not None:
            data["published"] = self.published.text
        return data


def default_id(kind: Kind, when: When, title: str, source: Source) -> str:
    """The id of an item given none: the same kind, date, title and source give the same id."""
    key = "\x1f".join((kind.value, when.text, title, source.document, source.quote))
    return "i-" + hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Item:
    """A dated fact with its figures; `scope` is whose figure it is (never summed across).

    With no id, the id derives from kind, date, title and source, so the same fact
    recorded twice is the same item.
    """

    id: str
    kind: Kind
    when: When
    title: str
    source: Source
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = ()
    scope: str = ""
    flags: frozenset[Flag] = field(default_factory=frozenset)
    note: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.kind, Kind):
            object.__setattr__(self, "kind", parse_enum(Kind, self.kind, "kind"))
        if not isinstance(self.when, When):
            raise InvalidValue("date", self.when, "must be a date")
        object.__setattr__(self, "title", clean_text(self.title, "title", required=True, limit=500))
        if not isinstance(self.source, Source):
            raise InvalidValue("source", self.source, "must be a source")
        if self.id == "":
            object.__setattr__(self, "id", default_id(self.kind, self.when, self.title, self.source))
        if not isinstance(self.id, str) or not ID.fullmatch(self.id):
            raise InvalidValue("id", self.id, "use letters, digits and . _ : - (at most 128)")
        object.__setattr__(self, "actors", _names(self.actors, "actors"))
        object.__setattr__(self, "places", _names(self.places, "places"))
        if not all(isinstance(m, Measure) for m in self.measures):
            raise InvalidValue("measures", self.measures, "must be measures")
        object.__setattr__(self, "measures", tuple(self.measures))
        scope = clean_text(self.scope, "scope", required=False, limit=200) or (self.actors[0] if self.actors else "")
        object.__setattr__(self, "scope", normalize(scope))
        object.__setattr__(self, "flags", frozenset(parse_enum(Flag, f, "flag") for f in self.flags))
        object.__setattr__(self, "note", clean_text(self.note, "note", required=False))

    @property
    def planned(self) -> bool:
        return Flag.PLANNED in self.flags

    def with_changes(self, **changes: Any) -> Item:
        """A copy with some fields changed, validated like any new item."""
        return replace(self, **changes)

    @classmethod
    def from_dict(cls, data: object) -> Item:
        """Build an item from its JSON form (the export schema); `id` may be left out."""
        if not isinstance(data, dict):
            raise InvalidValue("line", data, "must be a JSON object")
        unknown = set(data) - _KEYS
        if unknown:
            raise InvalidValue("field", sorted(unknown)[0], "unknown field")
        kind = parse_enum(Kind, data.get("kind"), "kind")
        when = When.parse(data.get("date"), "date")
        title = data.get("title", "")
        if not isinstance(title, str) or not title.strip():
            clean_text(title, "title", required=True)  # raises with the field named, before the rest
        source = Source.from_dict(data.get("source", {"document": "user"}))
        measures = data.get("measures", [])
        if not isinstance(measures, list):
            raise InvalidValue("measures", measures, "must be a list")
        flags = data.get("flags", [])
        if not isinstance(flags, list):
            raise InvalidValue("flags", flags, "must be a list")
        return cls(
            id=data.get("id", ""),
            kind=kind,
            when=when,
            title=title,
            source=source,
            actors=data.get("actors", ()),
            places=data.get("places", ()),
            measures=tuple(Measure.from_dict(m) for m in measures),
            scope=data.get("scope", ""),
            flags=tuple(flags),  # type: ignore[arg-type]  (a frozenset would hash a JSON list before it is checked)
            note=data.get("note", ""),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, keys in a fixed order."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "date": self.when.text,
            "title": self.title,
            "scope": self.scope,
            "actors": list(self.actors),
            "places": list(self.places),
            "measures": [m.to_dict() for m in self.measures],
            "source": self.source.to_dict(),
            "flags": sorted(f.value for f in self.flags),
            "note": self.note,
        }


# Fields an import line may carry. Two are ignored: `recorded_at` is the ledger's own (an
# export line carries it), and `draft` says why `extract` drafted the line.
_KEYS = {
    "id", "kind", "date", "title", "scope", "actors", "places", "measures",
    "source", "flags", "note", "recorded_at", "draft",
}

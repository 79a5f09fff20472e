"""How the ledger's value objects are stored: each round-trips to the same typed value."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from events import Document, Item, Measure, Source, When


class Via(Transcoding):
    """A value object stored through a pair of its own functions (to JSON and back)."""

    def __init__(self, type_: type, name: str, encode: Callable[[Any], Any], decode: Callable[[Any], Any]) -> None:
        self.type = type_
        self.name = name
        self._encode = encode
        self._decode = decode

    def encode(self, obj: Any) -> Any:
        return self._encode(obj)

    def decode(self, data: Any) -> Any:
        return self._decode(data)


def _stored_date(text: Any) -> Any:
    """A date text as stored, with every script's decimal digits read as ASCII ones.

    Before issue 21 the boundary took any script's digits, so a store may hold items dated
    `２０２３-０５-０１`. Those events are history and must still read back; new input with
    such digits is still refused (events/when.py), so this applies on decoding alone.
    """
    if not isinstance(text, str) or text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _dates_read(data: Any, key: str) -> Any:
    """`data` with its date text at `key` read by _stored_date."""
    if isinstance(data, dict) and key in data:
        return {**data, key: _stored_date(data[key])}
    return data


def _stored_item(data: Any) -> Item:
    data = _dates_read(data, "date")
    if isinstance(data, dict) and "source" in data:
        data = {**data, "source": _dates_read(data["source"], "published")}
    return Item.from_dict(data)


TRANSCODINGS = (
    Via(When, "when", lambda w: w.text, lambda text: When.parse(_stored_date(text))),
    Via(Measure, "measure", Measure.to_dict, Measure.from_dict),
    Via(Source, "source", Source.to_dict, lambda data: Source.from_dict(_dates_read(data, "published"))),
    # A whole item in one object, its parts as plain JSON: one hook call per event, and
    # read back through the item's checking constructor like any other input.
    Via(Item, "item", Item.to_dict, _stored_item),
    # A document with its SHA-256: read back, its text must still hash to it.
    Via(Document, "document", Document.to_dict, Document.from_dict),
)
# Kind, Qualifier and Flag need none: they are str enums, which JSON writes as strings
# before any transcoding is asked, and they travel inside an Item, which restores them.


def register_transcodings(transcoder: JSONTranscoder) -> None:
    for transcoding in TRANSCODINGS:
        transcoder.register(transcoding)

"""How the ledger's value objects are stored: each round-trips to the same typed value."""

from __future__ import annotations

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


TRANSCODINGS = (
    Via(When, "when", lambda w: w.text, When.parse),
    Via(Measure, "measure", Measure.to_dict, Measure.from_dict),
    Via(Source, "source", Source.to_dict, Source.from_dict),
    # A whole item in one object, its parts as plain JSON: one hook call per event, and
    # read back through the item's checking constructor like any other input.
    Via(Item, "item", Item.to_dict, Item.from_dict),
    # A document with its SHA-256: read back, its text must still hash to it.
    Via(Document, "document", Document.to_dict, Document.from_dict),
)
# Kind, Qualifier and Flag need none: they are str enums, which JSON writes as strings
# before any transcoding is asked, and they travel inside an Item, which restores them.


def register_transcodings(transcoder: JSONTranscoder) -> None:
    for transcoding in TRANSCODINGS:
        transcoder.register(transcoding)

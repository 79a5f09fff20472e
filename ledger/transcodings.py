"""How the ledger's value objects are stored: each round-trips to the same typed value."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Mapper, Transcoding
from eventsourcing.utils import get_topic

from events import Item, Measure, Source, When
from ledger.aggregate import ItemAggregate


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
    # A whole item in one object, its parts as plain JSON: one hook call per event. Read
    # back unchecked: it was validated when recorded (see Item.from_stored).
    Via(Item, "item", Item.to_dict, Item.from_stored),
)
# Kind, Qualifier and Flag need none: they are str enums, which JSON writes as strings
# before any transcoding is asked, and they travel inside an Item, which restores them.


def register_transcodings(transcoder: JSONTranscoder) -> None:
    for transcoding in TRANSCODINGS:
        transcoder.register(transcoding)


def stores_plain_json(mapper: Mapper) -> bool:
    """Whether events are stored as the transcoder's JSON, neither compressed nor
    encrypted: only then are they read (stored_change) and written (recorded_state) as it."""
    return mapper.cipher is None and mapper.compressor is None


# The stored form of an item's first event (ItemAggregate.Recorded), as the library's
# JSON transcoder writes it: its JSONEncoder's settings, and its keys in the event's order.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_AGGREGATE_TOPIC = get_topic(ItemAggregate)


def recorded_state(item: dict[str, Any], timestamp: datetime) -> bytes:
    """The stored state of the Recorded event of the item whose canonical dict this is.

    A bulk import writes this straight from its checked spool: the library's way builds
    an Item, an event, then a dict of the event, and calls a hook for each value it
    cannot write itself, which was a quarter of an import's time. A test holds the
    bytes equal to the library's for every kind of item.
    """
    return _ENCODE({
        "timestamp": {"_type_": "datetime_iso", "_data_": timestamp.isoformat()},
        "originator_topic": _AGGREGATE_TOPIC,
        "item": {"_type_": "item", "_data_": item},
        "prev_hash": "",
    }).encode("utf-8")

"""How the ledger's value objects are stored: each round-trips to the same typed value."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from events import Flag, Item, Kind, Measure, Qualifier, Source, When


class WhenAsEDTF(Transcoding):
    type = When
    name = "when"

    def encode(self, obj: When) -> str:
        return obj.text

    def decode(self, data: str) -> When:
        return When.parse(data)


class MeasureAsDict(Transcoding):
    type = Measure
    name = "measure"

    def encode(self, obj: Measure) -> dict[str, str]:
        return obj.to_dict()

    def decode(self, data: dict[str, Any]) -> Measure:
        return Measure.from_dict(data)


class SourceAsDict(Transcoding):
    type = Source
    name = "source"

    def encode(self, obj: Source) -> dict[str, str]:
        return obj.to_dict()

    def decode(self, data: dict[str, Any]) -> Source:
        return Source.from_dict(data)


class ItemAsDict(Transcoding):
    """A whole item in one object, its parts as plain JSON: one hook call per event."""

    type = Item
    name = "item"

    def encode(self, obj: Item) -> dict[str, Any]:
        return obj.to_dict()

    def decode(self, data: dict[str, Any]) -> Item:
        return Item.from_dict(data)


def _enum_transcoding(enum: type, name: str) -> Transcoding:
    class EnumAsValue(Transcoding):
        def encode(self, obj: Any) -> str:
            return obj.value

        def decode(self, data: str) -> Any:
            return enum(data)

    EnumAsValue.type = enum
    EnumAsValue.name = name
    return EnumAsValue()


def register_transcodings(transcoder: JSONTranscoder) -> None:
    for transcoding in (
        WhenAsEDTF(),
        MeasureAsDict(),
        SourceAsDict(),
        ItemAsDict(),
        _enum_transcoding(Kind, "kind"),
        _enum_transcoding(Qualifier, "qualifier"),
        _enum_transcoding(Flag, "flag"),
    ):
        transcoder.register(transcoding)

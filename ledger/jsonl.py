"""Items as JSON lines: the import and export format."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from events import InvalidValue, Item


class BadLine(ValueError):
    """A line that is not an item: `field` and `message` say what is wrong with it."""

    def __init__(self, number: int, field: str, message: str) -> None:
        self.number = number
        self.field = field
        self.message = message
        super().__init__(f"line {number}: {field}: {message}")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


# Numbers become Decimal, never float; one decoder for all lines (building one costs more
# than decoding a short line).
_DECODER = json.JSONDecoder(parse_float=Decimal, parse_int=Decimal, parse_constant=_reject_constant)


def parse_line(text: str, number: int) -> Item:
    """The item of one line, or BadLine naming the field that is wrong."""
    try:
        data = _DECODER.decode(text)
    except (ValueError, RecursionError) as e:
        reason = e.msg if isinstance(e, json.JSONDecodeError) else str(e)
        raise BadLine(number, "line", f"not valid JSON ({reason})") from None
    try:
        return Item.from_dict(data)
    except InvalidValue as e:
        raise BadLine(number, e.field, str(e).removeprefix(f"{e.field}: ")) from None


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))

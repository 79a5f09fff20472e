"""Items as JSON lines: the import and export format."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from events import InvalidValue, Item


class BadLine(ValueError):
    """A line that is not an item; the message names the line number and the field."""

    def __init__(self, number: int, reason: str) -> None:
        self.number = number
        self.reason = reason
        super().__init__(f"line {number}: {reason}")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


# Numbers become Decimal, never float; one decoder for all lines (building one costs more
# than decoding a short line).
_DECODER = json.JSONDecoder(parse_float=Decimal, parse_int=Decimal, parse_constant=_reject_constant)


def parse_line(text: str, number: int) -> Item:
    try:
        data = _DECODER.decode(text)
    except (ValueError, RecursionError) as e:
        reason = e.msg if isinstance(e, json.JSONDecodeError) else str(e)
        raise BadLine(number, f"not valid JSON ({reason})") from None
    try:
        return Item.from_dict(data)
    except InvalidValue as e:
        raise BadLine(number, str(e)) from None


def read_items(lines: Iterable[str]) -> Iterator[Item]:
    """Parse each non-blank line, in order; the first bad one raises BadLine."""
    for number, text in enumerate(lines, start=1):
        if text.strip():
            yield parse_line(text, number)


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))

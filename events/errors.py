"""The one error a value object raises when it is given something it cannot be."""

from __future__ import annotations


class InvalidValue(ValueError):
    """A field got a value it cannot hold; the message names both."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        shown = value if isinstance(value, str) else repr(value)
        if isinstance(shown, str) and len(shown) > 80:
            shown = shown[:77] + "..."
        super().__init__(f"{field}: {shown!r}: {reason}")

"""The one error a value object raises when it is given something it cannot be."""

from __future__ import annotations


class InvalidValue(ValueError):
    """A field got a value it cannot hold; the message names both."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        # repr() keeps a value on one line, control characters escaped.
        shown = repr(value if not isinstance(value, str) or len(value) <= 80 else value[:77] + "...")
        super().__init__(f"{field}: {shown}: {reason}")

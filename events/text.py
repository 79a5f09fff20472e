"""The one rule for every text field: NFC, one line, no control characters, bounded."""

from __future__ import annotations

import re
import unicodedata

from events.errors import InvalidValue

# Unicode categories Cc (controls) and Cs (surrogates), as one character class: a control
# character would reach a terminal or a CSV reader raw, and a lone surrogate cannot be
# encoded as UTF-8, so the write of an item that holds one would fail after its check.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# The same, but for a document's body, which keeps its line breaks and tabs.
BODY_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(
    value: object, name: str, *, required: bool, limit: int = 2000, strip: bool = True, lines: bool = False
) -> str:
    """`value` as a single line of NFC text within `limit` characters, or InvalidValue.

    `strip=False` keeps the ends as given, for text quoted verbatim from a source;
    `lines=True` allows line breaks and tabs, for a document's body (its `\r\n` read as `\n`).
    """
    if not isinstance(value, str):
        raise InvalidValue(name, value, "must be a string")
    text = value.strip() if strip else value
    if lines:
        text = text.replace("\r\n", "\n")
    if (BODY_CONTROL if lines else CONTROL).search(text):
        raise InvalidValue(name, value, "must not contain control characters or lone surrogates")
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if required and not text.strip():
        raise InvalidValue(name, value, "must not be empty")
    if len(text) > limit:
        raise InvalidValue(name, value, f"is longer than {limit} characters")
    return text

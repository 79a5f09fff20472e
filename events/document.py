"""A registered document: the whole text that items' sources quote, and its SHA-256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from events.errors import InvalidValue
from events.item import ID, Source
from events.text import clean_text
from events.when import When

# Characters a document may hold: a long report is some 50,000; a bound keeps a wrong
# file (a database, a video) from being stored as one.
MAX_CHARS = 5_000_000


def text_of(data: bytes, name: str) -> str:
    """A file's bytes as a document's text: UTF-8 (a byte-order mark dropped), not empty."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidValue("file", name, f"is not UTF-8 text (byte {e.start} is {data[e.start]:#04x})") from None
    if not text.strip():
        raise InvalidValue("file", name, "is empty")
    return text


@dataclass(frozen=True, slots=True)
class Document:
    """A report as registered: its id (what items' `source.document` names), title,
    publication date, text (NFC) and the SHA-256 of that text.

    Given a `sha256`, the text must hash to it: a document read back from the store
    proves its text is the one registered.
    """

    id: str
    title: str
    published: When
    text: str
    publisher: str = ""
    url: str = ""
    sha256: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not ID.fullmatch(self.id):
            raise InvalidValue("id", self.id, "use letters, digits and . _ : - (at most 128)")
        object.__setattr__(self, "title", clean_text(self.title, "title", required=True, limit=500))
        if not isinstance(self.published, When):
            raise InvalidValue("published", self.published, "must be a date")
        if self.published.lower is None or self.published.upper is None:
            # Drafts take a date's missing year from the publication: it needs both ends.
            raise InvalidValue("published", self.published.text, "must have both ends (2023-02-20, 2024-01/2024-03)")
        text = clean_text(self.text, "text", required=True, limit=MAX_CHARS, strip=False, lines=True)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "publisher", clean_text(self.publisher, "publisher", required=False, limit=200))
        object.__setattr__(self, "url", clean_text(self.url, "url", required=False, limit=2000))
        digest = hashlib.sha256(text.encode()).hexdigest()
        if self.sha256 and self.sha256 != digest:
            raise InvalidValue("sha256", self.sha256, f"does not match the text, whose SHA-256 is {digest}")
        object.__setattr__(self, "sha256", digest)

    def missing(self, source: Source) -> list[str]:
        """The pieces of the source's quote that this text does not hold."""
        return source.missing_from(self.text)

    def summary(self) -> dict[str, Any]:
        """Everything but the text, as `source list` shows it."""
        return {
            "id": self.id, "title": self.title, "published": self.published.text, "publisher": self.publisher,
            "url": self.url, "sha256": self.sha256, "chars": len(self.text),
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.summary(), "text": self.text}

    @classmethod
    def from_dict(cls, data: object) -> Document:
        if not isinstance(data, dict):
            raise InvalidValue("document", data, "must be an object")
        return cls(
            id=data.get("id", ""),
            title=data.get("title", ""),
            published=When.parse(data.get("published"), "published"),
            text=data.get("text", ""),
            publisher=data.get("publisher", ""),
            url=data.get("url", ""),
            sha256=data.get("sha256", ""),
        )

"""What the fold keeps: the current items, the links people made between them, the
registered documents. Apart from the fold, so that reading the view needs no event store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from events import Document
from projections.timeline import Row

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Link:
    """Two items a person said are one: `seq` is where the decision stands in the log.
    Why they said so stays in the link's events; the view keeps what sameness needs."""

    items: Pair
    seq: int


@dataclass(frozen=True, slots=True)
class Registered:
    """A registered document and where it stands in the log."""

    document: Document
    seq: int
    registered_at: datetime

    def summary(self) -> dict:
        """What `source list` shows of it: all but the text."""
        return {**self.document.summary(), "registered_at": self.registered_at.isoformat()}


@dataclass
class State:
    rows: dict[str, Row] = field(default_factory=dict)
    links: dict[Pair, Link] = field(default_factory=dict)
    documents: dict[str, Registered] = field(default_factory=dict)

"""The article's events, seeded into a store the first time it is used."""

from __future__ import annotations

from pathlib import Path

from events import Document, When
from events.document import text_of
from ledger.application import Ledger
from ledger.importer import ImportResult, OnBatch, import_file
from ledger.store import INITIALIZED

DATA = Path(__file__).parent / "data"
DATASET = DATA / "article.jsonl"
ARTICLE = DATA / "article.txt"


def article() -> Document:
    """The article the ledger ships with, as the document its items name."""
    text = text_of(ARTICLE.read_bytes(), str(ARTICLE))
    title = next(line.strip() for line in text.splitlines() if line.strip())
    return Document("hnrb-minhang-huainan-2024", title, When.parse("2024-01/2024-03"), text, publisher="淮南日报")


def needs_seed(ledger: Ledger) -> bool:
    return not ledger.recorder.max_notification_id() and not ledger.recorder.get_meta(INITIALIZED)  # type: ignore[attr-defined]


def seed(ledger: Ledger, on_batch: OnBatch | None = None) -> ImportResult:
    """Register the article, then record its items (each quote checked against it)."""
    ledger.register(article())
    result = import_file(ledger, DATASET, on_batch)
    mark_initialized(ledger, "seeded")
    return result


def mark_initialized(ledger: Ledger, how: str) -> None:
    ledger.recorder.set_meta(INITIALIZED, how)  # type: ignore[attr-defined]

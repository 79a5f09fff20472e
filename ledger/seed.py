"""The article's events, seeded into a store the first time it is used."""

from __future__ import annotations

from pathlib import Path

from ledger.application import Ledger
from ledger.importer import ImportResult, OnBatch, import_file
from ledger.store import INITIALIZED

DATA = Path(__file__).parent / "data"
DATASET = DATA / "article.jsonl"
ARTICLE = DATA / "article.txt"
# The documents the ledger ships with, by the document id their items name.
DOCUMENTS = {"hnrb-minhang-huainan-2024": ARTICLE}


def bundled_documents() -> dict[str, str]:
    return {document: path.read_text(encoding="utf-8") for document, path in DOCUMENTS.items()}


def needs_seed(ledger: Ledger) -> bool:
    return not ledger.recorder.max_notification_id() and not ledger.recorder.get_meta(INITIALIZED)  # type: ignore[attr-defined]


def seed(ledger: Ledger, on_batch: OnBatch | None = None) -> ImportResult:
    result = import_file(ledger, DATASET, on_batch)
    mark_initialized(ledger, "seeded")
    return result


def mark_initialized(ledger: Ledger, how: str) -> None:
    ledger.recorder.set_meta(INITIALIZED, how)  # type: ignore[attr-defined]

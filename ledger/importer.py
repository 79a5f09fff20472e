"""Importing JSON lines: checked whole before anything is written, then stored in batches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ledger.application import Ledger, RecordResult
from ledger.jsonl import read_items

OnBatch = Callable[[RecordResult], None]


@dataclass
class ImportResult:
    added: int = 0
    skipped: int = 0


def check(path: Path) -> int:
    """Read every line of the file; raise BadLine at the first bad one. Returns the item count."""
    with path.open(encoding="utf-8") as lines:
        return sum(1 for _ in read_items(lines))


def import_file(ledger: Ledger, path: Path, on_batch: OnBatch | None = None, batch_size: int | None = None) -> ImportResult:
    """All or nothing for bad input: the whole file is checked first, then written.

    Each batch commits atomically and ids make a re-run idempotent, so an import
    killed part way is completed, without duplicates, by running it again.
    """
    check(path)
    return write_checked(ledger, path, on_batch, batch_size)


def write_checked(ledger: Ledger, path: Path, on_batch: OnBatch | None = None, batch_size: int | None = None) -> ImportResult:
    """Store the items of a file `check` has passed."""
    result = ImportResult()
    with path.open(encoding="utf-8") as lines:
        for batch in ledger.record_all(read_items(lines), batch_size):
            result.added += len(batch.added)
            result.skipped += len(batch.skipped)
            if on_batch:
                on_batch(batch)
    return result

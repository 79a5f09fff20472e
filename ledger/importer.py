"""Importing JSON lines: checked whole before anything is written, then stored in batches."""

from __future__ import annotations

import marshal
import struct
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from events import Item
from ledger.application import Ledger, RecordResult
from ledger.jsonl import read_items

OnBatch = Callable[[RecordResult], None]


@dataclass
class ImportResult:
    added: int = 0
    skipped: int = 0


# Items per spooled chunk, each chunk stored as its length and its marshal bytes: read
# from a file object, marshal.load makes a read() call per string it meets, so chunks
# are read whole and decoded with marshal.loads. A chunk is about a megabyte.
CHUNK = 1000
_LENGTH = struct.Struct("<Q")


class Checked:
    """A file whose every line passed: its items, validated and canonical, spooled on disk.

    The write pass reads the spool back instead of parsing and validating the file a
    second time, which was a third of an import. marshal, not JSON or pickle: the
    canonical dicts are plain strings and lists, and marshal reads them back fastest.
    The spool is a temporary file, so memory stays flat however long the file.
    """

    def __init__(self) -> None:
        self.count = 0
        self._spool: IO[bytes] = tempfile.TemporaryFile(prefix="coop-ledger-import-")
        self._chunk: list[dict] = []

    def add(self, item: Item) -> None:
        self._chunk.append(item.to_dict())
        self.count += 1
        if len(self._chunk) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._chunk:
            blob = marshal.dumps(self._chunk)
            self._spool.write(_LENGTH.pack(len(blob)))
            self._spool.write(blob)
            self._chunk = []

    def items(self) -> Iterator[Item]:
        self._flush()
        self._spool.flush()
        self._spool.seek(0)
        left = self.count
        while left:
            (size,) = _LENGTH.unpack(self._spool.read(_LENGTH.size))
            chunk = marshal.loads(self._spool.read(size))
            left -= len(chunk)
            for data in chunk:
                yield Item.from_stored(data)

    def close(self) -> None:
        self._spool.close()

    def __enter__(self) -> Checked:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check(path: Path) -> Checked:
    """Read and validate every line; raise BadLine at the first bad one."""
    checked = Checked()
    try:
        with path.open(encoding="utf-8") as lines:
            for item in read_items(lines):
                checked.add(item)
    except BaseException:
        checked.close()
        raise
    return checked


def import_file(ledger: Ledger, path: Path, on_batch: OnBatch | None = None, batch_size: int | None = None) -> ImportResult:
    """All or nothing for bad input: the whole file is checked first, then written.

    Each batch commits atomically and ids make a re-run idempotent, so an import
    killed part way is completed, without duplicates, by running it again.
    """
    with check(path) as checked:
        return write_checked(ledger, checked, on_batch, batch_size)


def write_checked(
    ledger: Ledger, checked: Checked, on_batch: OnBatch | None = None, batch_size: int | None = None
) -> ImportResult:
    """Store the items of a file `check` has passed."""
    result = ImportResult()
    for batch in ledger.record_all(checked.items(), batch_size):
        result.added += len(batch.added)
        result.skipped += len(batch.skipped)
        if on_batch:
            on_batch(batch)
    return result

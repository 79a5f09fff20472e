"""Importing JSON lines: checked whole before anything is written, then stored in batches."""

from __future__ import annotations

import marshal
import os
import shutil
import struct
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO

from events import Item
from ledger.application import Ledger, RecordResult
from ledger.jsonl import BadLine, read_items
from ledger.workers import Worker, WorkerFailed

if TYPE_CHECKING:
    from multiprocessing import Queue

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
    The spool is temporary files (one per part of the file checked apart), so memory
    stays flat however long the file.
    """

    def __init__(self, spool: IO[bytes] | None = None) -> None:
        self.count = 0
        self._spools: list[IO[bytes]] = [spool or tempfile.TemporaryFile(prefix="coop-ledger-import-")]
        self._chunk: list[dict] = []

    def add(self, item: Item) -> None:
        self._chunk.append(item.to_dict())
        self.count += 1
        if len(self._chunk) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._chunk:
            blob = marshal.dumps(self._chunk)
            self._spools[-1].write(_LENGTH.pack(len(blob)))
            self._spools[-1].write(blob)
            self._chunk = []

    def then(self, rest: Checked) -> Checked:
        """This file's items followed by those of `rest`, which this one now owns."""
        self._flush()
        rest._flush()
        self._spools += rest._spools
        self.count += rest.count
        rest._spools = []
        return self

    def items(self) -> Iterator[Item]:
        for data in self.dicts():
            yield Item.from_stored(data)

    def dicts(self) -> Iterator[dict]:
        """The items as their canonical dicts (Item.to_dict), as spooled."""
        self._flush()
        for spool in self._spools:
            spool.flush()
            spool.seek(0)
            while header := spool.read(_LENGTH.size):
                (size,) = _LENGTH.unpack(header)
                yield from marshal.loads(spool.read(size))

    def close(self) -> None:
        for spool in self._spools:
            spool.close()

    def __enter__(self) -> Checked:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class NotText(ValueError):
    """Bytes of the file that are not UTF-8; `offset` counts from the file's first byte."""

    def __init__(self, offset: int, reason: str) -> None:
        self.offset = offset
        self.reason = reason
        super().__init__(f"file: not UTF-8 text ({reason} at byte {offset})")


# From this size a second process checks the second half of the file while this one
# checks the first: a third of an import is the check, and each line is checked alone.
SPLIT_FROM = 4 << 20  # bytes: about 60,000 lines of the benchmark's items


def _lines(path: Path, start: int = 0, end: int | None = None) -> Iterator[str]:
    """The lines of the file that start in [start, end), decoded."""
    with path.open("rb") as raw:
        raw.seek(start)
        at = start
        for line in raw:
            if end is not None and at >= end:
                return
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError as e:
                raise NotText(at + e.start, e.reason) from None
            at += len(line)


def _check_lines(lines: Iterator[str], checked: Checked) -> Checked:
    try:
        for item in read_items(lines):
            checked.add(item)
    except BaseException:
        checked.close()
        raise
    return checked


@contextmanager
def spooled(stream: BinaryIO) -> Iterator[Path]:
    """The stream (standard input, say) copied whole into a temporary file, removed after.

    `check` reads its input by path: it measures it, and splits a large one with a worker
    process that reads its second half. So a pipe is read to its end before any line is
    checked, as a file is checked whole before anything is written.
    """
    with tempfile.TemporaryDirectory(prefix="coop-ledger-stdin-") as directory:
        path = Path(directory) / "stdin.jsonl"
        with path.open("wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
        yield path


def check(path: Path) -> Checked:
    """Read and validate every line; raise BadLine (or NotText) at the first bad one."""
    size = path.stat().st_size
    middle = _line_start_after(path, size // 2) if size >= SPLIT_FROM and (os.cpu_count() or 1) > 1 else size
    if middle >= size:
        return _check_lines(_lines(path), Checked())
    return _check_split(path, middle)


def _line_start_after(path: Path, offset: int) -> int:
    with path.open("rb") as raw:
        raw.seek(offset)
        return offset + len(raw.readline())


def _check_split(path: Path, middle: int) -> Checked:
    """The first half checked here, the rest by a worker process into a spool of its own."""
    spool = tempfile.NamedTemporaryFile(prefix="coop-ledger-import-", delete=False)
    try:
        with Worker(_check_rest, path, middle, spool.name, name="checking the file's second half") as worker:
            counted = _Counted(_lines(path, 0, middle))
            first = _check_lines(iter(counted), Checked())
            try:
                match worker.get():
                    case ("ok", count):
                        rest = Checked(spool)
                        rest.count = count
                        return first.then(rest)
                    case ("bad", number, reason):
                        raise BadLine(counted.lines + number, reason)
                    case ("not text", offset, reason):
                        raise NotText(offset, reason)
                    case ("failed", text):
                        raise WorkerFailed(f"the process checking the file failed: {text}")
            except BaseException:
                first.close()
                raise
    except BaseException:
        spool.close()
        raise
    finally:
        Path(spool.name).unlink(missing_ok=True)  # the open file lives on, nameless


class _Counted:
    """Lines, counting how many were read: the worker numbers its lines from 1."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.lines = 0

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.lines += 1
            yield line


def _check_rest(path: Path, start: int, spool_name: str, answer: Queue) -> None:
    try:
        with open(spool_name, "r+b") as spool:
            checked = _check_lines(_lines(path, start), Checked(spool))
            checked._flush()
            answer.put(("ok", checked.count))
    except BadLine as e:
        answer.put(("bad", e.number, e.reason))
    except NotText as e:
        answer.put(("not text", e.offset, e.reason))
    except BaseException as e:
        answer.put(("failed", f"{type(e).__name__}: {e}"))


def import_file(ledger: Ledger, path: Path, on_batch: OnBatch | None = None, batch_size: int | None = None) -> ImportResult:
    """All or nothing for bad input: the whole file is checked first, then written.

    Each batch commits atomically and ids make a re-run idempotent, so an import
    killed part way is completed, without duplicates, by running it again.
    """
    with check(path) as checked:
        return write_checked(ledger, checked, on_batch, batch_size)


def write_checked(
    ledger: Ledger, checked: Checked, on_batch: OnBatch | None = None, batch_size: int | None = None,
    *, events_only: bool = False,
) -> ImportResult:
    """Store the items of a file `check` has passed. `events_only` stores them straight
    from the spool (Ledger.record_checked): faster, but its batches carry no recordings
    for the view, which must then catch up from the log."""
    result = ImportResult()
    items = checked.dicts() if events_only else checked.items()
    for batch in ledger.record_all(items, batch_size, checked=events_only):
        result.added += len(batch.added)
        result.skipped += len(batch.skipped)
        if on_batch:
            on_batch(batch)
    return result

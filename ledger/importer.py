"""Importing JSON lines: every line checked before anything is written, then stored in batches."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from events import InvalidValue, Item
from ledger.application import Ledger, RecordResult
from ledger.jsonl import BadLine, parse_line

OnBatch = Callable[[RecordResult], None]
# A check names this many bad lines at most, as a compiler stops listing errors.
MAX_PROBLEMS = 50


@dataclass
class ImportResult:
    added: int = 0
    skipped: int = 0


class BadFile(ValueError):
    """Lines of a file that are not items, each as `FILE:LINE: field: message`;
    `conflict` when all of them are ids the ledger or the file holds for other content."""

    def __init__(self, lines: list[str], more: bool, conflict: bool = False) -> None:
        self.lines = lines if not more else [*lines, f"(more bad lines after these {len(lines)})"]
        self.conflict = conflict
        super().__init__("\n".join(self.lines))


@dataclass(frozen=True)
class Checked:
    """A file whose every line is an item: where it is, and how many items it holds."""

    path: Path
    shown: str
    count: int

    def items(self) -> Iterator[Item]:
        """The file's items, parsed again: nothing but the count is kept between the two
        passes, so an import's memory stays flat however long the file."""
        for number, text in _lines(self.path, self.shown):
            yield parse_line(text, number)


def _lines(path: Path, shown: str) -> Iterator[tuple[int, str]]:
    """The non-blank lines of the file, numbered from 1, decoded as UTF-8."""
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as e:
                raise BadFile([f"{shown}:{number}: file: not UTF-8 text ({e.reason})"], more=False) from None
            if text.strip():
                yield number, text


class _Problems:
    """The check's findings, up to MAX_PROBLEMS; conflicts counted apart from bad lines."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.lines: list[str] = []
        self.bad = 0

    def add(self, number: int, field: str, message: str, *, conflict: bool = False) -> None:
        if len(self.lines) == MAX_PROBLEMS:
            raise BadFile(self.lines, more=True, conflict=not self.bad)
        self.lines.append(f"{self.shown}:{number}: {field}: {message}")
        self.bad += not conflict

    def raise_any(self) -> None:
        if self.lines:
            raise BadFile(self.lines, more=False, conflict=not self.bad)


def check(path: Path, shown: str | None = None, ledger: Ledger | None = None) -> Checked:
    """Read and validate every line; raise BadFile naming every bad one (up to MAX_PROBLEMS).

    One fact, one item: an id given again with other content, in the file or (with
    `ledger`) in the store, is a conflict, not a line to skip. With `ledger`, a quote is
    checked against its document, when that is registered.
    """
    shown = shown or str(path)
    if not path.is_file():
        raise InvalidValue("file", shown, "no such file")
    problems = _Problems(shown)
    seen: dict[str, tuple[int, int]] = {}  # id -> (its first line, a hash of its content)
    batch: list[tuple[int, Item]] = []
    count = 0
    for number, text in _lines(path, shown):
        try:
            item = parse_line(text, number)
        except BadLine as e:
            problems.add(number, e.field, e.message)
            continue
        count += 1
        if ledger is not None:
            try:
                ledger.check_quote(item)
            except InvalidValue as e:
                problems.add(number, e.field, str(e).removeprefix(f"{e.field}: "))
                continue
        content = hash(repr(item))
        first = seen.setdefault(item.id, (number, content))
        if first[1] != content:
            problems.add(number, "id", f"{item.id!r}: given again with other content (first on line {first[0]})",
                         conflict=True)
        elif ledger is not None and first[0] == number:
            batch.append((number, item))
            if len(batch) >= ledger.batch_size:
                _check_taken(ledger, batch, problems)
                batch = []
    if ledger is not None and batch:
        _check_taken(ledger, batch, problems)
    problems.raise_any()
    return Checked(path, shown, count)


def _check_taken(ledger: Ledger, batch: list[tuple[int, Item]], problems: _Problems) -> None:
    lines = {item.id: number for number, item in batch}
    for taken in ledger.taken([item for _, item in batch]):
        problems.add(lines[taken.item_id], "id", f"{taken.item_id!r}: {taken.reason}", conflict=True)


# The most of standard input an import spools: a pipe has no size to check beforehand, and
# an endless one (/dev/zero, say) would otherwise fill the temporary directory's disk.
MAX_STDIN = 1 << 30
_CHUNK = 1 << 20


def _size(n: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f"{n >> shift} {unit}"
    return f"{n} bytes"


@contextmanager
def spooled(stream: BinaryIO, limit: int | None = None) -> Iterator[Path]:
    """The stream (standard input, say) copied whole into a temporary file, removed after:
    every line is checked before any is written, so a pipe is read to its end first.
    More than `limit` bytes (MAX_STDIN) is refused, once read that far, with nothing kept."""
    limit = MAX_STDIN if limit is None else limit
    with tempfile.TemporaryDirectory(prefix="coop-ledger-stdin-") as directory:
        path = Path(directory) / "stdin.jsonl"
        with path.open("wb") as out:
            copied = 0
            while chunk := stream.read(min(_CHUNK, limit + 1 - copied)):
                copied += len(chunk)
                if copied > limit:
                    raise InvalidValue(
                        "file", "-", f"standard input is larger than {_size(limit)}; import a file instead"
                    )
                out.write(chunk)
        yield path


def write(ledger: Ledger, checked: Checked, on_batch: OnBatch | None = None) -> ImportResult:
    """Store a checked file's items in batches, each batch one transaction.

    Ids make a re-run idempotent, so an import killed part way is completed, without
    duplicates, by running it again.
    """
    result = ImportResult()
    for batch in ledger.record_all(checked.items()):
        result.added += len(batch.added)
        result.skipped += len(batch.skipped)
        if on_batch:
            on_batch(batch)
    return result


def import_file(ledger: Ledger, path: Path, on_batch: OnBatch | None = None) -> ImportResult:
    """All or nothing for bad input: the whole file is checked first, then written."""
    return write(ledger, check(path, ledger=ledger), on_batch)

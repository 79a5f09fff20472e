"""Formatting rows for people and for programs: table, json, csv, markdown."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from events.text import CONTROL

FORMATS = ("table", "json", "csv", "markdown")


def number(value: Decimal) -> str:
    """A figure with thousands separators, exact: 46151000000 -> 46,151,000,000."""
    return f"{value:,f}"


def visible(text: str) -> str:
    """`text` with every control character written as its escape (ESC as `\\x1b`, CR as `\\r`):
    a terminal shown a table must not be moved, cleared or retitled by what a cell holds."""
    return CONTROL.sub(lambda m: m[0].encode("unicode_escape", "backslashreplace").decode("ascii"), text)


# `|` splits a cell, `<` opens raw HTML, and a backslash would escape what follows it.
_MARKDOWN = str.maketrans({"\\": "\\\\", "|": "\\|", "<": "\\<"})


def render_table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, numeric: Sequence[int] = (),
    width: int | None = None, shrink: Sequence[int] = (), middle: Sequence[int] = (),
) -> str:
    return "\n".join(table_lines(headers, rows, fmt, numeric, width, shrink, middle))


TABLE_CHUNK = 1000  # rows handed to tabulate at a time


def table_lines(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, numeric: Sequence[int] = (),
    width: int | None = None, shrink: Sequence[int] = (), middle: Sequence[int] = (),
) -> Iterator[str]:
    """The table's lines, aligned with wcwidth, so Chinese text lines up; numeric columns
    right-aligned. With `width`, the `shrink` columns are shortened with …, the widest first,
    until the table fits, as hledger's register fits the terminal; a `middle` column (an id)
    is cut in its middle, so that its two ends still tell rows apart.

    A column is as wide as its widest cell, so the rows are read whole first, but only their
    cells are kept; tabulate then lays them out a chunk at a time, each chunk headed by a row
    as wide as the widest cells, left out of the output, so that every chunk comes out in the
    columns one table of all the rows would have.
    """
    import tabulate
    from wcwidth import wcswidth

    tabulate.WIDE_CHARS_MODE = True
    tablefmt = "github" if fmt == "markdown" else "simple"
    align = ["right" if i in numeric else "left" for i in range(len(headers))]
    cells = [[visible(str(cell)) for cell in row] for row in rows]
    if width is not None and fmt == "table":
        _fit(headers, cells, width, shrink, middle)
    if fmt == "markdown":
        for row in cells:
            row[:] = [cell.translate(_MARKDOWN) for cell in row]
    widest = ["x" * max([0, *(wcswidth(row[i]) for row in cells)]) for i in range(len(headers))]
    head = 2  # the header line and the line under it, in both formats
    for start in range(0, max(len(cells), 1), TABLE_CHUNK):
        chunk = [widest, *cells[start : start + TABLE_CHUNK]]
        lines = tabulate.tabulate(chunk, headers=headers, tablefmt=tablefmt, colalign=align,
                                  disable_numparse=True).split("\n")
        if start == 0:
            yield from lines[:head]
        yield from lines[head + 1 :]


MIN_COLUMN = 8  # a shortened column keeps at least this many cells: enough to tell rows apart
GAP = 2  # tabulate's "simple" format puts two spaces between columns


def _fit(
    headers: Sequence[str], cells: list[list[str]], width: int, shrink: Sequence[int], middle: Sequence[int],
) -> None:
    """Shorten the `shrink` columns' cells, in place, until the table fits `width`."""
    from wcwidth import wcswidth

    widths = [max([wcswidth(h), *(wcswidth(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    floors = {i: max(MIN_COLUMN, wcswidth(headers[i])) for i in shrink}
    excess = sum(widths) + GAP * (len(widths) - 1) - width
    while excess > 0:
        # The widest column that can give way gives a cell; ties go to the first in `shrink`.
        candidates = [i for i in shrink if widths[i] > floors[i]]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    for row in cells:
        for i in shrink:
            row[i] = shortened(row[i], widths[i], middle=i in middle)


def shortened(text: str, width: int, *, middle: bool = False) -> str:
    """`text` within `width` terminal cells, with … where it had to be cut: at its end,
    or in its `middle`."""
    from wcwidth import wcswidth

    if wcswidth(text) <= width:
        return text
    if not middle:
        return _head(text, width - 1) + "…"  # the … takes one cell
    tail = _head(text[::-1], (width - 1) // 2)[::-1]
    return _head(text, width - 1 - wcswidth(tail)) + "…" + tail


def _head(text: str, width: int) -> str:
    """The longest start of `text` within `width` cells."""
    from wcwidth import wcwidth

    out, used = [], 0
    for ch in text:
        w = max(wcwidth(ch), 0)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out)


def render_json(records: Iterable[dict[str, Any]]) -> str:
    return b"".join(json_records(records)).decode()


def json_records(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    return json_array(json.dumps(r, ensure_ascii=False).encode() for r in records)


def json_array(records: Iterable[bytes]) -> Iterator[bytes]:
    """A JSON array of records already encoded, one a line (readable, greppable, and cheap),
    given out a record at a time."""
    first = True
    for record in records:
        yield (b"[\n" if first else b",\n") + record
        first = False
    yield b"[]" if first else b"\n]"


def write_json_bytes(chunks: Iterable[bytes]) -> None:
    """Print JSON already encoded as UTF-8, and a newline, as it comes, without decoding it.

    A stdout in another encoding gets the characters it can hold and JSON escapes for
    the rest (淮 as `\\u6dee`), which read back as the same text."""
    encoding = sys.stdout.encoding or "utf-8"
    if getattr(sys.stdout, "buffer", None) is None or encoding.lower().replace("-", "") != "utf8":
        for chunk in chunks:
            sys.stdout.write(chunk.decode().encode(encoding, "backslashreplace").decode(encoding))
        print()
        return
    write_bytes(itertools.chain(chunks, [b"\n"]))


def write_bytes(chunks: Iterable[bytes]) -> None:
    """Write to stdout as it comes, after what was printed before."""
    sys.stdout.flush()
    buffer = sys.stdout.buffer
    for chunk in chunks:
        buffer.write(chunk)
    buffer.flush()


def render_csv(records: Iterable[dict[str, Any]]) -> str:
    return "\n".join(csv_lines(records))


def csv_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The CSV's lines, a record at a time, the header from the first record's keys; one
    empty line for no records."""
    out = io.StringIO()
    writer = None
    for record in records:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(record), lineterminator="\n")
            writer.writeheader()
        writer.writerow({k: _inert(visible(_flat(v))) for k, v in record.items()})
        # A cell holds no line break (visible() escapes them): each record is one line.
        yield out.getvalue()[:-1]
        out.seek(0)
        out.truncate()
    if writer is None:
        yield ""


# What makes a spreadsheet read a cell as a formula (OWASP, CSV injection), with the
# fullwidth forms some spreadsheets take for the same signs. OWASP's other two, a tab and
# a CR, never start a cell: control characters are escaped first, as on a terminal (and
# csv would leave a lone CR unquoted, splitting the row for its reader).
_FORMULA = tuple("=+-@＝＋－＠")
_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")


def _inert(cell: str) -> str:
    """The cell as a spreadsheet shows it and never runs: one that would start a formula is
    prefixed with `'`, as OWASP advises. A plain number (`-5`) is left as it is: it is
    read as a number, and runs nothing."""
    if cell.startswith(_FORMULA) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _flat(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)

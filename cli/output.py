"""Formatting rows for people and for programs: table, json, csv, markdown."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Sequence
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
    headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, numeric: Sequence[int] = (),
    width: int | None = None, shrink: Sequence[int] = (), middle: Sequence[int] = (),
) -> str:
    """Aligned with wcwidth, so Chinese text lines up; numeric columns right-aligned.
    With `width`, the `shrink` columns are shortened with …, the widest first, until the
    table fits, as hledger's register fits the terminal; a `middle` column (an id) is
    cut in its middle, so that its two ends still tell rows apart."""
    import tabulate

    tabulate.WIDE_CHARS_MODE = True
    tablefmt = "github" if fmt == "markdown" else "simple"
    align = ["right" if i in numeric else "left" for i in range(len(headers))]
    cells = [[visible(str(cell)) for cell in row] for row in rows]
    if width is not None and fmt == "table":
        cells = _fitted(headers, cells, width, shrink, middle)
    if fmt == "markdown":
        cells = [[cell.translate(_MARKDOWN) for cell in row] for row in cells]
    return tabulate.tabulate(cells, headers=headers, tablefmt=tablefmt, colalign=align, disable_numparse=True)


MIN_COLUMN = 8  # a shortened column keeps at least this many cells: enough to tell rows apart
GAP = 2  # tabulate's "simple" format puts two spaces between columns


def _fitted(
    headers: Sequence[str], cells: list[list[str]], width: int, shrink: Sequence[int], middle: Sequence[int],
) -> list[list[str]]:
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
    return [
        [shortened(cell, widths[i], middle=i in middle) if i in shrink else cell for i, cell in enumerate(row)]
        for row in cells
    ]


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


def render_json(records: list[dict[str, Any]]) -> str:
    return render_json_texts([json.dumps(r, ensure_ascii=False) for r in records])


def render_json_texts(texts: list[str]) -> str:
    """A JSON array of records already encoded, one a line: readable, greppable, and cheap."""
    if not texts:
        return "[]"
    return "[\n" + ",\n".join(texts) + "\n]"


def write_json_bytes(data: bytes) -> None:
    """Print JSON already encoded as UTF-8, and a newline, without decoding it first.

    A stdout in another encoding gets the characters it can hold and JSON escapes for
    the rest (淮 as `\\u6dee`), which read back as the same text."""
    buffer = getattr(sys.stdout, "buffer", None)
    encoding = sys.stdout.encoding or "utf-8"
    if buffer is None or encoding.lower().replace("-", "") != "utf8":
        print(data.decode().encode(encoding, "backslashreplace").decode(encoding))
        return
    sys.stdout.flush()  # what was printed before goes first
    buffer.write(data + b"\n")
    buffer.flush()


def render_csv(records: list[dict[str, Any]]) -> str:
    if not records:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _inert(visible(_flat(v))) for k, v in record.items()})
    return out.getvalue().rstrip("\n")


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

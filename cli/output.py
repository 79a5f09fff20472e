"""Formatting rows for people and for programs: table, json, csv, markdown."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

FORMATS = ("table", "json", "csv", "markdown")


def number(value: Decimal) -> str:
    """A figure with thousands separators, exact: 46151000000 -> 46,151,000,000."""
    return f"{value:,f}"


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, numeric: Sequence[int] = ()) -> str:
    """Aligned with wcwidth, so Chinese text lines up; numeric columns right-aligned."""
    import tabulate

    tabulate.WIDE_CHARS_MODE = True
    tablefmt = "github" if fmt == "markdown" else "simple"
    align = ["right" if i in numeric else "left" for i in range(len(headers))]
    return tabulate.tabulate(rows, headers=headers, tablefmt=tablefmt, colalign=align, disable_numparse=True)


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
        writer.writerow({k: _flat(v) for k, v in record.items()})
    return out.getvalue().rstrip("\n")


def _flat(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)

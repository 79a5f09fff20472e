"""The HTML export: one self-contained page, the items of a window on a zoomable time axis."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import escape
from importlib.resources import files
from typing import Any

from cli.output import number
from cli.views import QUALIFIER_WORDS
from events import Kind, Measure, window_bounds
from events.item import parse_enum
from projections.rows import Entry
from projections.timeline import Row, Window

# Nothing may load from anywhere: the browser itself refuses, not only our markup.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def page(view, from_: str | None, to: str | None, kinds: list[str]) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The items in [from_, to] (any that may fall inside) of the given kinds, as an HTML page,
    written a piece at a time: the rows of its table, then the same items as its data."""
    lower, upper = window_bounds(from_, to)
    wanted = [parse_enum(Kind, k, "kind") for k in kinds]
    chosen = view.timeline(Window(lower, upper, kinds=frozenset(wanted)))

    def certainty(entry: Entry) -> str:
        # Without a window nothing can lie outside it, open-ended items included.
        return entry.certainty if from_ or to else "within"

    window = f"{from_ or '…'} – {to or '…'}" if from_ or to else "all dates"
    shown = f" · kinds: {', '.join(k.value for k in wanted)}" if wanted else ""
    asset = files("cli")
    head, rest = TEMPLATE.split("{rows}")
    middle, tail = rest.split("{data}")
    yield head.format(
        policy=escape(POLICY),
        caption=escape(f"{window}{shown} · {len(chosen)} items"),
        css=asset.joinpath("page.css").read_text(encoding="utf-8"),
    )
    for n, e in enumerate(chosen):
        yield ("\n" if n else "") + _table_row(e.row, certainty(e))
    yield middle
    # The data as json.dumps would write the whole object, the items a record at a time;
    # "<" as \u003c keeps "</script>" and "<!--" in a title from ending the block early.
    start = json.dumps({"window": [from_ and lower.isoformat(), to and upper.isoformat()],
                        "kinds": [k.value for k in Kind]}, ensure_ascii=False)
    yield start[:-1] + ', "items": ['
    for n, e in enumerate(chosen):
        yield (", " if n else "") + json.dumps(_record(e.row, certainty(e)), ensure_ascii=False).replace("<", "\\u003c")
    yield "]}"
    yield tail.format(js=asset.joinpath("page.js").read_text(encoding="utf-8"))


def measure_line(m: Measure) -> str:
    """All of a measure in one line: `signed_investment: more than 3,000,000,000 CNY (30多亿元)`."""
    words = QUALIFIER_WORDS[m.qualifier.value]
    figure = f"{words + ' ' if words else ''}{number(m.value)} {m.unit}"
    return f"{m.metric}: {figure}" + (f" ({m.text})" if m.text else "")


def _record(row: Row, certainty: str) -> dict[str, Any]:
    when = row.item.when
    return {
        **row.to_dict(),
        "lower": when.lower and when.lower.isoformat(),
        "upper": when.upper and when.upper.isoformat(),
        "precision": when.precision.value,
        "certainty": certainty,
        "measure_lines": [measure_line(m) for m in row.item.measures],
    }


def _table_row(row: Row, certainty: str) -> str:
    item = row.item
    source = item.source
    published = f", published {source.published.text}" if source.published else ""
    measures = "".join(f"<li>{escape(measure_line(m))}</li>" for m in item.measures)
    return (
        f'<tr id="row-{escape(item.id)}" data-id="{escape(item.id)}" data-kind="{item.kind.value}"'
        f' data-certainty="{certainty}">'
        f'<td class="date">{escape(item.when.text)}</td>'
        f"<td>{item.kind.value.replace('_', ' ')}</td>"
        f'<td class="title">{escape(item.title)}<small>{escape(item.id)}</small></td>'
        f'<td><ul class="measures">{measures}</ul></td>'
        f'<td><blockquote class="quote">{escape(source.quote)}</blockquote>'
        f"<cite>{escape(source.document)}{escape(published)}</cite></td></tr>"
    )


TEMPLATE = """<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>闵行–淮南 cooperation ledger · timeline</title>
<style>
{css}
</style>
</head>
<body>
<header>
<h1>闵行–淮南 结对合作 <span>Minhang–Huainan cooperation ledger</span></h1>
<p id="caption">{caption}</p>
</header>
<section id="chart" aria-label="time axis">
<div id="controls" class="js-only"></div>
<div id="plot"></div>
<div id="tip" role="tooltip" hidden></div>
<p class="hint js-only">Points are exact days, bars the span an imprecise date may mean, faded ends an open
date. Hover or click an item for its source; wheel to zoom, drag to pan.</p>
</section>
<table id="items">
<thead><tr><th>date</th><th>kind</th><th>title</th><th>measures</th><th>source</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<script type="application/json" id="ledger-data">{data}</script>
<script>
{js}
</script>
</body>
</html>
"""

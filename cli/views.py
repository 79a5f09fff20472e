"""What each command shows: read-model rows turned into tables, JSON, CSV or markdown."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timezone
from typing import Any

from cli.context import Session
from cli.output import FORMATS, csv_lines, json_array, json_records, number, render_csv, render_json, render_table, table_lines, visible
from events import InvalidValue, Item, Measure, When, window_bounds
from events.text import clean_text
from projections.rows import Timeline
from projections.timeline import Row
from projections.totals import NAMED, Total

IMPRECISE = "~"


def check_format(fmt: str, allowed: Sequence[str] = FORMATS) -> str:
    if fmt not in allowed:
        raise InvalidValue("format", fmt, f"use one of {', '.join(allowed)}")
    return fmt


def parse_moment(text: str) -> datetime:
    """A record-time moment; a bare date means the end of that day, UTC unless stated."""
    import pendulum

    try:
        moment = pendulum.parse(text, tz="UTC", strict=False)
        if not isinstance(moment, pendulum.DateTime):
            raise ValueError(text)
        if len(text.strip()) == 10:
            moment = moment.end_of("day")
        # Inside the try: an offset of a day or more (+99:00) or a moment that is no UTC
        # date (0001-01-01T00:00+01:00) fails only here, where it is converted.
        utc = moment.astimezone(timezone.utc)
        return datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond, timezone.utc)
    except (ValueError, pendulum.parsing.exceptions.ParserError, OverflowError, OSError):  # type: ignore[attr-defined]
        raise InvalidValue("as-known-at", text, "not a timestamp (e.g. 2026-01-05T10:00:00Z)") from None


def open_view(session: Session, as_known_at: str | None):  # type: ignore[no-untyped-def]
    """The current read model, or the ledger as known at a past moment."""
    if as_known_at is None:
        return session.current_view()
    moment = parse_moment(as_known_at)
    session.ready()
    from projections.runner import KnownAt

    return KnownAt(session.ledger, moment)


def measure_text(m: Measure) -> str:
    return f"{m.metric} {m.text or f'{number(m.value)} {m.unit}'}"


def terminal_width() -> int | None:
    """The terminal's width when stdout is one; None when piped, which keeps full rows."""
    import shutil

    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def timeline_json(entries: Timeline) -> Iterator[bytes]:
    """The stored JSON as it is, a record a line: no decoding, however long the window."""
    return json_array(e.to_json() for e in entries)


UNDATED_SECTION = "no earlier bound (undated: at the latest the date shown)"


def timeline(entries: Timeline, fmt: str, width: int | None = None) -> Iterator[str]:
    """The lines of the rows as a table (dated ones, then those with no first day in a
    section of their own) or CSV, in the timeline's order. With `width`, the table fits it."""
    if fmt == "csv":
        yield from csv_lines(_flat_timeline(e.row, e.certainty) for e in entries)
        return
    yield from _timeline_table(entries.part(undated=False), fmt, width)
    undated = entries.part(undated=True)
    if undated:
        yield from ("", f"{UNDATED_SECTION}:", *_timeline_table(undated, fmt, width))
    if entries.overlaps:
        yield from ("", f"{IMPRECISE} imprecise: the date is a span that overlaps the window and may lie outside it")
    yield f"{len(entries)} items"


TIMELINE_HEADERS = ["date", "kind", "title", "measures", "id"]
# What gives way first when a table is too wide: the title, then the measures, then the id.
TIMELINE_SHRINK = (2, 3, 4)


def _timeline_table(entries: Timeline, fmt: str, width: int | None) -> Iterator[str]:
    table = (
        [
            r.item.when.text + (f" {IMPRECISE}" if e.certainty == "overlaps" else ""),
            r.item.kind.value,
            r.item.title,
            "; ".join(measure_text(m) for m in r.item.measures),
            # One item that other sources report too (linked): `-f json` lists every source.
            r.item.id + (f" (+{len(r.same)} source{'s' if len(r.same) > 1 else ''})" if r.same else ""),
        ]
        for e in entries
        for r in (e.row,)
    )
    return table_lines(TIMELINE_HEADERS, table, fmt, width=width, shrink=TIMELINE_SHRINK, middle=(4,))


def _flat_timeline(row: Row, certainty: str) -> dict[str, Any]:
    item = row.item
    return {
        "id": item.id,
        "kind": item.kind.value,
        "date": item.when.text,
        "certainty": certainty,
        "title": item.title,
        "scope": item.scope,
        "actors": list(item.actors),
        "places": list(item.places),
        "measures": "; ".join(f"{m.metric}={m.value} {m.unit} {m.qualifier.value}" for m in item.measures),
        "quote": item.source.quote,
        "document": item.source.document,
        "flags": sorted(f.value for f in item.flags),
        "recorded_at": row.recorded_at.isoformat(),
    }


QUALIFIER_WORDS = {"exact": "", "approx": "about", "nearly": "nearly", "more_than": "more than", "at_least": "at least"}


def _some(ids: Sequence[str]) -> str:
    """At most NAMED of the items: at a million events a report may stand beside tens of
    thousands, which no reader of a table goes through; JSON and CSV list them all."""
    if len(ids) <= NAMED:
        return ", ".join(ids)
    return f"{', '.join(ids[:NAMED])} and {len(ids) - NAMED:,} more (-f json lists them all)"


NO_VALUE = "–"  # not a number yet: all pending, or figures that do not add up


def totals(rows: list[Total], fmt: str, by: str, as_of: date) -> str:
    if fmt == "json":
        return render_json([t.to_dict(by) for t in rows])
    if fmt == "csv":
        return render_csv([_flat_total(t, by) for t in rows])
    grouped = by not in ("scope", "population")
    headers = ([by] if grouped else []) + [
        "metric", "scope", "population", "qualifier", "value", "unit", "basis", "events", "pending",
    ]
    table = []
    notes = []
    for t in rows:
        mark = ""
        account = " / ".join(visible(x) for x in (t.metric, t.scope, t.population) if x)
        for ids, what in (
            (t.pending, "pending (date not yet certain)"),
            (t.beside, "shown beside the report, not added"),
            (t.events if t.value is None and t.events else [], "appearances, not distinct things: not added"),
        ):
            if ids:
                notes.append(f"[{len(notes) + 1}] {account}: {what}: {_some(ids)}")
                mark += f" [{len(notes)}]"
        value = NO_VALUE if t.value is None else number(t.value)
        table.append(
            ([t.group] if grouped else [])
            + [t.metric, t.scope, t.population, QUALIFIER_WORDS[t.qualifier.value] if t.value is not None else "",
               value, t.unit, t.basis, str(len(t.events)), str(len(t.pending)) + mark]
        )
    numeric = [i + (1 if grouped else 0) for i in (4, 7)]
    text = f"as of {as_of.isoformat()}\n" + render_table(headers, table, fmt, numeric=numeric)
    if notes:
        text += "\n\n" + "\n".join(notes)
    return text


def _flat_total(t: Total, by: str) -> dict[str, Any]:
    """A CSV row: the lists joined, the parts as `basis value qualifier` each."""
    data = t.to_dict(by)
    data["parts"] = "; ".join(f"{p.basis} {p.value} {p.qualifier.value}" for p in t.parts)
    return data


def problems(found: list, fmt: str) -> str:  # type: ignore[type-arg]
    """`check`'s findings: one line each, naming the items, or a line that all is well."""
    if fmt == "json":
        return render_json([p.to_dict() for p in found])
    if fmt == "csv":
        return render_csv([p.to_dict() for p in found])
    if not found:
        return "ok: every assertion holds"
    if fmt == "markdown":
        return render_table(["check", "message", "items"], [[p.check, p.message, ", ".join(p.items)] for p in found], fmt)
    return "\n".join(f"{p.check}: {visible(p.message)}" for p in found)


def history(versions: list, fmt: str) -> str:  # type: ignore[type-arg]
    records = [
        {
            "version": v.version,
            "action": v.action,
            "recorded_at": v.recorded_at.isoformat(),
            "changed": list(v.changed),
            "reason": v.reason,
            "item": v.item.to_dict() if v.item else None,
        }
        for v in versions
    ]
    if fmt == "json":
        return render_json(records)
    if fmt == "csv":
        return render_csv(records)
    table = [
        [
            r["version"], r["action"], r["recorded_at"], ", ".join(r["changed"]), r["reason"],
            _changed_values(v.item, v.changed),
        ]
        for r, v in zip(records, versions, strict=True)
    ]
    return render_table(["version", "action", "recorded_at", "changed", "reason", "now"], table, fmt, numeric=[0])


def _changed_values(item: Item | None, changed: Sequence[str]) -> str:
    if item is None:
        return ""
    data = item.to_dict()
    keys = changed or ("date", "title")
    return "; ".join(f"{k}={_short(data[k])}" for k in keys)


def _short(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_short(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("text") or value.get("quote") or value)
    return str(value)


def kinds(names: list[str]) -> list:  # type: ignore[type-arg]
    from events.item import Kind, parse_enum

    return [parse_enum(Kind, k, "kind") for k in names]


def check_export(fmt: str, from_: str | None, to: str | None, kind_names: list[str]) -> None:
    """Refuse a bad export request before the store is opened."""
    check_format(fmt, ("jsonl", "json", "html"))
    if fmt != "html" and (from_ or to or kind_names):
        raise InvalidValue("format", fmt, "--from, --to and --kind go with --format html")
    window_bounds(from_, to)
    kinds(kind_names)


def export(view, fmt: str, from_: str | None, to: str | None, kind_names: list[str]) -> Iterator[bytes]:  # type: ignore[no-untyped-def]
    """The export, in UTF-8 (the import format's encoding, and the HTML page's), written
    as the rows are read: a row at a time, never the whole ledger at once."""
    if fmt == "jsonl":
        from ledger.jsonl import dumps

        return ((dumps(r.to_dict()) + "\n").encode() for r in view.rows())
    if fmt == "json":
        return itertools.chain(json_records(r.to_dict() for r in view.rows()), [b"\n"])
    from cli.html import page

    return (chunk.encode() for chunk in page(view, from_, to, kind_names))


def reason(text: str) -> str:
    return clean_text(text, "reason", required=True)


def correction(
    item_id: str, date_: str | None, title: str | None, kind: str | None, measures: list[str],
    actors: list[str], places: list[str], quote: str | None,
) -> dict[str, Any]:
    """The changed fields of a correction, each validated before anything is written."""
    changes: dict[str, Any] = {}
    if date_ is not None:
        changes["when"] = When.parse(date_)
    if title is not None:
        changes["title"] = title
    if kind is not None:
        from events.item import Kind, parse_enum

        changes["kind"] = parse_enum(Kind, kind, "kind")
    if measures:
        changes["measures"] = tuple(Measure.parse(m) for m in measures)
    if actors:
        changes["actors"] = tuple(actors)
    if places:
        changes["places"] = tuple(places)
    if quote is not None:
        changes["quote"] = quote
    if not changes:
        raise InvalidValue("correct", item_id, "name at least one field to change (--date, --title, ...)")
    return changes

"""The coop-ledger command line: thin commands over the ledger and its read models."""

from __future__ import annotations

import contextlib
import re
import signal
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.context import Session, Settings
from cli.errors import LedgerGroup, print_recorded

app = typer.Typer(
    cls=LedgerGroup,
    help="An auditable ledger of the Minhang-Huainan pairing cooperation: every dated item an "
    "immutable event, totals as of any day, each figure traceable to its source sentence.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or postgresql:// URL (default: $COOP_LEDGER_DB, else the user data dir)."),
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, json, csv or markdown.")]
KnownAtOption = Annotated[
    str | None,
    typer.Option("--as-known-at", help="Show what the ledger said at this moment (record time, e.g. 2026-01-05T10:00Z)."),
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"coop-ledger {version('coop-ledger')}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or notices.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    ctx.obj = Session(Settings(db=db, quiet=quiet))
    ctx.call_on_close(ctx.obj.close)


def _session(ctx: typer.Context) -> Session:
    session = ctx.obj
    assert isinstance(session, Session)
    return session


@app.command()
def init(
    ctx: typer.Context,
    no_seed: Annotated[bool, typer.Option("--no-seed", help="Make an empty store, without the article's events.")] = False,
) -> None:
    """Create the store (seeded with the article's events unless --no-seed)."""
    from ledger import seed

    session = _session(ctx)
    if no_seed:
        if seed.needs_seed(session.ledger):
            seed.mark_initialized(session.ledger, "empty")
        session.read_model.catch_up()
        session.say(f"coop-ledger: store ready, not seeded ({session.ledger.spec.shown})")
    else:
        session.ready()
        session.say(f"coop-ledger: store ready ({session.ledger.spec.shown})")


@app.command()
def append(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option(help="What happened: park_unveiled, delegation_visit, project_signed, ...")],
    date_: Annotated[str, typer.Option("--date", help="EDTF: 2023, 2023-03, 2023-02-18, 2023-04-14/2023-04-16, 2021/..")],
    title: Annotated[str, typer.Option(help="A short title.")],
    actor: Annotated[list[str], typer.Option(help="Who acted (repeatable).")] = [],  # noqa: B006
    place: Annotated[list[str], typer.Option(help="Where (repeatable).")] = [],  # noqa: B006
    measure: Annotated[list[str], typer.Option(help="METRIC=AMOUNT, e.g. signed_investment=20亿元 (repeatable).")] = [],  # noqa: B006
    scope: Annotated[str, typer.Option(help="Whose figures these are (default: the first actor).")] = "",
    population: Annotated[str, typer.Option(help="What the figures count, e.g. 上海项目 (sets it on every measure).")] = "",
    source: Annotated[str, typer.Option(help="The source document's id.")] = "user",
    quote: Annotated[str, typer.Option(help="The sentence the item comes from, verbatim.")] = "",
    published: Annotated[str | None, typer.Option(help="When the source was published (EDTF).")] = None,
    flag: Annotated[list[str], typer.Option(help="undated, year_from_context or planned (repeatable).")] = [],  # noqa: B006
    note: Annotated[str, typer.Option(help="A modelling choice worth stating.")] = "",
    id_: Annotated[str | None, typer.Option("--id", help="The item's id (default: derived from its content).")] = None,
) -> None:
    """Record one item; prints its id."""
    from events import Item, Measure, Source, When

    item = Item(
        id=id_ or "",
        kind=kind,  # type: ignore[arg-type]
        when=When.parse(date_),
        title=title,
        source=Source(source, quote, When.parse(published, "published") if published else None),
        actors=tuple(actor),
        places=tuple(place),
        measures=tuple(Measure.parse(m, population) for m in measure),
        scope=scope,
        flags=frozenset(flag),
        note=note,
    )
    session = _session(ctx)
    session.ready()
    result = session.ledger.record([item])
    session.after_write(result.recordings)
    if result.skipped:
        session.say(f"coop-ledger: {item.id} is already recorded; nothing added")
    else:
        from projections.duplicates import probable

        session.warn_of(probable(session.read_model, [item]))
    print_recorded(item.id)


@app.command()
def timeline(
    ctx: typer.Context,
    from_: Annotated[str | None, typer.Option("--from", help="First day, at any precision (2023-04 = from 1 April).")] = None,
    to: Annotated[str | None, typer.Option(help="Last day, at any precision (2023-04 = to 30 April).")] = None,
    period: Annotated[str | None, typer.Option(help="Shorthand for --from/--to: 2023, 2023q2, 2023-04.")] = None,
    strict: Annotated[bool, typer.Option(help="Only items certainly inside the window.")] = False,
    kind: Annotated[list[str], typer.Option(help="Only these kinds (repeatable).")] = [],  # noqa: B006
    format_: FormatOption = "table",
    as_known_at: KnownAtOption = None,
    width: Annotated[
        int | None, typer.Option(min=40, help="Fit the table to this many columns (default: the terminal's, if stdout is one).")
    ] = None,
) -> None:
    """Print the items of a date range, sorted by date (undated items last)."""
    from cli import views
    from events import window_bounds
    from projections.timeline import Window

    fmt = views.check_format(format_)
    lower, upper = window_bounds(from_, to, period)
    window = Window(lower, upper, strict, frozenset(views.kinds(kind)))
    session = _session(ctx)
    view = views.open_view(session, as_known_at)
    from cli.output import write_json_bytes

    entries = view.timeline(window)
    if fmt == "json":
        write_json_bytes(views.timeline_json(entries))
    else:
        for line in views.timeline(entries, fmt, width or views.terminal_width()):
            print(line)


@app.command()
def totals(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option(help="The day to add up to, at any precision (default: today).")] = None,
    metric: Annotated[list[str], typer.Option(help="Only these metrics (repeatable).")] = [],  # noqa: B006
    by: Annotated[str, typer.Option(help="Group by scope, kind, month, quarter or year.")] = "scope",
    cumulative: Annotated[bool, typer.Option(help="With --by month/quarter/year: running totals.")] = False,
    format_: FormatOption = "table",
    as_known_at: KnownAtOption = None,
) -> None:
    """What the items add up to as of a day, per metric and scope."""
    from cli import views
    from events import parse_window
    from projections.totals import check_query

    fmt = views.check_format(format_)
    day = parse_window(as_of, "as-of")[1] if as_of else date.today()
    check_query(metric, by, cumulative)
    session = _session(ctx)
    view = views.open_view(session, as_known_at)
    rows = view.totals(day, metric, by, cumulative)
    print(views.totals(rows, fmt, by, day))


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A JSON-lines file, as written by export; - reads standard input.")],
) -> None:
    """Import items from JSON lines: all checked first, nothing written if any line is bad."""
    from ledger.importer import check, spooled

    session = _session(ctx)
    stdin = str(file) == "-"
    source = spooled(sys.stdin.buffer) if stdin else contextlib.nullcontext(file)
    with source as path:
        checked = check(path, "-" if stdin else str(file), session.ledger)
        session.ready()
        session.import_checked(checked)


@app.command()
def export(
    ctx: typer.Context,
    format_: Annotated[str, typer.Option("--format", "-f", help="jsonl, json or html.")] = "jsonl",
    out: Annotated[str | None, typer.Option(help="Write to this file instead of stdout.")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="HTML only: first day.")] = None,
    to: Annotated[str | None, typer.Option(help="HTML only: last day.")] = None,
    kind: Annotated[list[str], typer.Option(help="HTML only: these kinds (repeatable).")] = [],  # noqa: B006
    as_known_at: KnownAtOption = None,
) -> None:
    """Write every current item as JSON lines (the import format), JSON, or an HTML page.
    Items only: registered documents and links are not written (`source add` and `link`
    again after an import)."""
    from cli import outfile, views

    views.check_export(format_, from_, to, kind)
    session = _session(ctx)
    path = outfile.checked(out, session.spec) if out is not None else None
    view = views.open_view(session, as_known_at)
    chunks = views.export(view, format_, from_, to, kind)
    if path is None:
        from cli.output import write_bytes

        write_bytes(chunks)
    else:
        with outfile.replacing(path) as f:
            for chunk in chunks:
                f.write(chunk)
        session.say(f"coop-ledger: wrote {path}")


@app.command()
def replay(ctx: typer.Context) -> None:
    """Rebuild every read model from the first event."""
    session = _session(ctx)
    session.ledger  # noqa: B018  (open the store before timing starts)
    count = session.catch_up("replaying", replay=True)
    session.say(f"coop-ledger: replayed {count} events")


@app.command()
def correct(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option(help="Why the item changes (kept in its history).")],
    date_: Annotated[str | None, typer.Option("--date")] = None,
    title: Annotated[str | None, typer.Option()] = None,
    kind: Annotated[str | None, typer.Option()] = None,
    measure: Annotated[list[str], typer.Option(help="Replaces all measures (repeatable).")] = [],  # noqa: B006
    actor: Annotated[list[str], typer.Option(help="Replaces all actors (repeatable).")] = [],  # noqa: B006
    place: Annotated[list[str], typer.Option(help="Replaces all places (repeatable).")] = [],  # noqa: B006
    quote: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Append a corrected version of an item; the earlier one stays in its history."""
    from cli import views

    session = _session(ctx)
    changes = views.correction(item_id, date_, title, kind, measure, actor, place, quote)
    session.ready()
    aggregate = session.ledger.correct(item_id, views.reason(reason), changes)
    session.after_write(())
    session.say(f"coop-ledger: {item_id} corrected (version {aggregate.version})")


@app.command()
def retract(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option(help="Why the item is withdrawn (kept in its history).")],
) -> None:
    """Withdraw an item: it leaves the timeline and totals, and stays in its history."""
    from cli import views

    session = _session(ctx)
    session.ready()
    aggregate = session.ledger.retract(item_id, views.reason(reason))
    session.after_write(())
    session.say(f"coop-ledger: {item_id} retracted (version {aggregate.version})")


@app.command()
def history(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    format_: FormatOption = "table",
) -> None:
    """Every version of an item: when it was recorded, what changed and why."""
    from cli import views

    fmt = views.check_format(format_)
    session = _session(ctx)
    session.ready()
    print(views.history(session.ledger.history(item_id), fmt))


@app.command()
def verify(
    ctx: typer.Context,
    head: Annotated[str | None, typer.Option(help="The head hash kept from an earlier verify: the chain must end in it.")] = None,
) -> None:
    """Re-read every stored event, check the hash chains, and the read models against a
    rebuild from the events; exit 1 if anything was altered."""
    from ledger.verify import verify as check

    if head is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", head):
        from events import InvalidValue

        raise InvalidValue("head", head, "expected the 64 hex digits verify prints after 'head'")
    session = _session(ctx)
    session.spec.require_ledger()
    report = check(session.ledger, head.lower() if head else None)
    if not report.problems:  # a view is only worth checking against events that are intact
        for table, ids in session.read_model.differences().items():
            shown = ", ".join(ids[:20]) + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")
            report.problems.append(f"edited: the read model's {table} differs from a rebuild for {shown}")
    for problem in report.problems:
        print(problem)
    if report.problems:
        print(f"coop-ledger: {len(report.problems)} problem(s) in {report.events} events", file=sys.stderr)
        raise typer.Exit(1)
    print(f"ok: {report.events} events intact; head {report.head}")


@app.command("check")
def check_(ctx: typer.Context, format_: FormatOption = "table") -> None:
    """List every assertion the items fail (reports exceeded, quotes not in their document,
    measures that no longer read as their value); exit 1 if any, as bean-check does."""
    from cli import views
    from projections.check import problems

    fmt = views.check_format(format_)
    session = _session(ctx)
    view = session.current_view()
    texts = {d["id"]: session.ledger.document(d["id"]).text for d in view.documents()}  # type: ignore[union-attr]
    found = problems(view.rows(), texts, view.sameness())
    print(views.problems(found, fmt))
    if found:
        raise typer.Exit(1)


@app.command()
def extract(
    ctx: typer.Context,
    document_id: Annotated[str, typer.Argument(metavar="DOC", help="A registered document's id.")],
    out: Annotated[str | None, typer.Option(help="Write the drafts to this file instead of stdout.")] = None,
) -> None:
    """Draft items in the import format from a registered document, for a person to review
    and then import; a summary of the drafts goes to stderr."""
    from cli import documents, outfile
    from ledger.extract import draft
    from ledger.jsonl import dumps

    session = _session(ctx)
    path = outfile.checked(out, session.spec) if out is not None else None
    session.ready()
    found = session.ledger.document(document_id)
    assert found is not None
    drafts = draft(found.text, found.id, found.published)
    text = "".join(dumps(d.to_dict()) + "\n" for d in drafts)
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        with outfile.replacing(path) as f:
            f.write(text.encode())
    session.say(documents.drafts_summary(drafts, str(path) if path else "stdout"))


@app.command()
def duplicates(ctx: typer.Context, format_: FormatOption = "table") -> None:
    """List every pair of items, from different sources, that are probably one item."""
    from cli import documents, views
    from projections.duplicates import every

    fmt = views.check_format(format_)
    view = _session(ctx).current_view()
    print(documents.matches(every(view), fmt))


@app.command()
def link(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    same_as: Annotated[str, typer.Option(help="The item ID is the same real-world item as.")],
    reason: Annotated[str, typer.Option(help="Why they are one (kept in the ledger).")],
) -> None:
    """Record that two items are one real-world item, reported twice: the timeline shows
    them once, with both sources, and totals count them once."""
    from cli import views

    from ledger.application import NothingToChange

    session = _session(ctx)
    session.ready()
    if session.read_model.sameness().together(item_id, same_as):
        raise NothingToChange(f"id: {item_id!r}: is one item with {same_as!r} already")
    session.ledger.link(item_id, same_as, views.reason(reason))
    session.after_write(())
    session.say(f"coop-ledger: {item_id} and {same_as} are one item")


@app.command()
def unlink(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    from_: Annotated[str, typer.Option("--from", help="The item ID was linked to.")],
    reason: Annotated[str, typer.Option(help="Why they are two after all (kept in the ledger).")],
) -> None:
    """Undo a link: the two items are two again, in the timeline and in totals."""
    from cli import views

    session = _session(ctx)
    session.ready()
    session.ledger.unlink(item_id, from_, views.reason(reason))
    session.after_write(())
    # Two items already one are never linked again (see link), so links make no cycle
    # and an unlink always parts the two.
    session.say(f"coop-ledger: {item_id} and {from_} are two items again")


source_app = typer.Typer(help="Register the documents items come from, list and show them.", no_args_is_help=True)
app.add_typer(source_app, name="source")


@source_app.command("add")
def source_add(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The document's text: a UTF-8 file.")],
    id_: Annotated[str, typer.Option("--id", help="The id items name as their source.document.")],
    title: Annotated[str, typer.Option(help="The document's title.")],
    published: Annotated[str, typer.Option(help="When it was published (EDTF: 2023-02-20, 2023-07, ...).")],
    publisher: Annotated[str, typer.Option(help="Who published it.")] = "",
    url: Annotated[str, typer.Option(help="Where it can be read.")] = "",
) -> None:
    """Register a document: its text (NFC) and SHA-256, as an event. The quotes of items
    citing it are checked against it from then on."""
    from cli import documents

    found = documents.read_document(file, id_, title, published, publisher, url)
    session = _session(ctx)
    session.ready()
    if session.ledger.register(found):
        session.after_write(())
        session.say(f"coop-ledger: registered {found.id} ({len(found.text):,} characters, SHA-256 {found.sha256})")
    else:
        session.say(f"coop-ledger: {found.id} is already registered with this text; nothing added "
                    "(its title and other fields stay as first registered)")


@source_app.command("list")
def source_list(ctx: typer.Context, format_: FormatOption = "table") -> None:
    """Every registered document, in the order registered."""
    from cli import documents, views

    fmt = views.check_format(format_)
    print(documents.documents(_session(ctx).current_view().documents(), fmt))


@source_app.command("show")
def source_show(
    ctx: typer.Context,
    document_id: Annotated[str, typer.Argument(metavar="DOC")],
    format_: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """A registered document: its fields, then its text."""
    from cli import documents, views

    fmt = views.check_format(format_, ("table", "json"))
    session = _session(ctx)
    session.ready()
    found = session.ledger.document(document_id)
    assert found is not None
    print(documents.document(found, fmt))


@app.command()
def chart(
    ctx: typer.Context,
    metric: Annotated[str, typer.Option(help="The metric to draw, e.g. signed_investment.")],
    out: Annotated[str, typer.Option(help="A .png or .svg file to write.")],
    by: Annotated[str, typer.Option(help="month, quarter or year.")] = "quarter",
    scope: Annotated[list[str], typer.Option(help="Only these scopes (repeatable; default: all).")] = [],  # noqa: B006
    as_of: Annotated[str | None, typer.Option(help="The last day drawn (default: today).")] = None,
) -> None:
    """Draw cumulative totals of a metric over time, one line per scope."""
    from cli import outfile
    from events import InvalidValue, parse_window
    from projections.totals import check_query

    check_query([metric], by, cumulative=True)
    session = _session(ctx)
    path = outfile.checked(out, session.spec)
    if path.suffix.lower() not in (".png", ".svg"):
        raise InvalidValue("out", out, "the file must end in .png or .svg")
    day = parse_window(as_of, "as-of")[1] if as_of else date.today()
    found = session.current_view().totals(day, [metric], by, True)
    # A row with no period holds only pending items: nothing had certainly happened yet.
    # A row with no value adds nothing up (appearances, or all pending): nothing to draw.
    rows = [t for t in found if t.group and t.value is not None and (not scope or t.scope in scope)]
    if not rows:
        raise InvalidValue("metric", metric, "nothing to draw for this metric and scope")
    from cli.chart import draw

    with outfile.replacing(path) as f:
        warnings = draw(rows, metric, by, f, path.suffix.lower()[1:])
    for warning in warnings:
        session.say(f"coop-ledger: warning: {warning}")
    session.say(f"coop-ledger: wrote {path}")


def _terminated(signum: int, frame: object) -> None:
    # A second SIGTERM while this one unwinds ends the process at once, as by default.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise SystemExit(128 + signum)


def run() -> None:
    # SIGTERM would end the process where it stands; as SystemExit it unwinds the command
    # instead, so its context managers run: a spooled standard input's temporary directory
    # is removed, and connections are closed.
    signal.signal(signal.SIGTERM, _terminated)
    app()

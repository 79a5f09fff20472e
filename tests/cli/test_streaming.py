"""export and timeline write as they read: a page of rows at a time, never the whole ledger."""

import json
from datetime import date, datetime, timezone
from pathlib import Path

import tabulate

from cli import output, views
from events import Item, Kind, Source, When
from ledger.application import Ledger
from ledger.store import resolve
from projections.reader import open_current
from projections.rows import PAGE, Timeline
from projections.runner import ReadModel
from projections.timeline import Row, Window

EVERYTHING = Window(date(1, 1, 1), date(9999, 12, 31))


def _row(n: int) -> Row:
    item = Item(id=f"s-{n}", kind=Kind.MEETING, when=When.parse(f"2023-{1 + n % 12:02d}"), title=f"会议{n}",
                source=Source("doc"))
    return Row(item, n, datetime(2024, 1, 1, tzinfo=timezone.utc))


class CountingView:
    """A view that notes every row it hands out, to see how far the output got by then."""

    def __init__(self, count: int) -> None:
        self.all = [_row(n) for n in range(count)]
        self.read: list[int] = []

    def rows(self):  # type: ignore[no-untyped-def]
        for row in self.all:
            self.read.append(row.seq)
            yield row

    def timeline(self, window: Window) -> Timeline:
        held = Timeline.held([(row, "within") for row in self.all])

        def read(page):  # type: ignore[no-untyped-def]
            self.read.extend(seq for seq, _ in page)
            return held._read(page)

        return Timeline(held.chosen, read)


def test_an_export_gives_its_first_line_when_one_row_is_read():
    for fmt, first in (("jsonl", lambda chunk: json.loads(chunk)["id"]),
                       ("json", lambda chunk: json.loads(chunk.removeprefix(b"[\n"))["id"])):
        view = CountingView(3)
        chunks = views.export(view, fmt, None, None, [])
        assert (first(next(chunks)), view.read) == ("s-0", [0])
        assert list(chunks) and view.read == [0, 1, 2]


def test_the_html_page_reads_its_rows_a_page_at_a_time_once_for_its_table_and_once_for_its_data():
    view = CountingView(PAGE + 1)
    chunks = (chunk.decode() for chunk in views.export(view, "html", None, None, []))
    head = next(chunks)
    assert ("all dates · 501 items" in head, view.read) == (True, [])  # the count comes before any row
    assert 'data-id="s-0"' in next(chunks)
    assert view.read == list(range(PAGE))
    page = head + "".join(chunks)
    assert view.read == [*range(PAGE + 1), *range(PAGE + 1)]
    data = page.split('<script type="application/json" id="ledger-data">')[1].split("</script>")[0]
    assert [i["id"] for i in json.loads(data)["items"]] == [f"s-{n}" for n in range(PAGE + 1)]


def test_a_timeline_from_the_store_reads_its_rows_a_page_at_a_time(sqlite_db):
    ledger = Ledger(resolve(sqlite_db))
    model = ReadModel(ledger)
    model.apply_recordings(ledger.record([row.item for row in CountingView(2 * PAGE + 1).all]).recordings)
    ledger.close()
    view = open_current(Path(sqlite_db))
    assert view is not None
    pages = []
    entries = view._entries
    view._entries = lambda page, merged: pages.append(len(page)) or entries(page, merged)  # type: ignore[method-assign]
    timeline = view.timeline(EVERYTHING)
    assert (len(timeline), pages) == (2 * PAGE + 1, [])  # chosen and counted from the dates alone
    ids = [e.row.item.id for e in timeline]
    assert pages == [PAGE, PAGE, 1]
    # Timeline order: by first day (January, February, ...), ties in record order.
    assert ids == sorted(ids, key=lambda i: (int(i[2:]) % 12, int(i[2:])))


def test_a_table_laid_out_a_chunk_at_a_time_is_the_table_of_all_its_rows(monkeypatch):
    monkeypatch.setattr(tabulate, "WIDE_CHARS_MODE", True)  # as render_table sets it
    rows = [["2023-04", "淮南市名师工作室主持人及名师培养对象专项培训", "5"], ["2023", "短", "1,700"],
            ["2023-04-14/2023-04-16", "a", "46,151,000,000"]]
    whole = tabulate.tabulate(rows, headers=["date", "title", "value"], tablefmt="simple", colalign=["left", "left", "right"],
                              disable_numparse=True)
    monkeypatch.setattr(output, "TABLE_CHUNK", 1)
    assert output.render_table(["date", "title", "value"], rows, "table", numeric=[2]) == whole

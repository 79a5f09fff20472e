"""The read model's SQL totals (projections.sums) equal the plain path's, rule for rule."""

import itertools
import json
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.data import items as synthetic
from events import Item, Kind, Measure, Qualifier, Source, When
from ledger.application import Ledger
from ledger.store import resolve
from projections.runner import ReadModel
from projections.totals import BY, NAMED, Ids, totals

DAYS = [date(2002, 6, 30), date(2023, 4, 15), date(2023, 9, 30), date(2023, 12, 31), date(2030, 12, 31), date.max]


def _asks(by_all: bool = True):
    """Every --by, with and without running totals where one is allowed, over some metric sets."""
    for by in BY if by_all else ("scope",):
        for cumulative in (False, True) if by in ("month", "quarter", "year") else (False,):
            for metrics in ([], ["signed_investment"], ["people_trained", "trainings", "area"]):
                yield by, cumulative, metrics


def _same_as_plain(model: ReadModel, day: date, by: str, cumulative: bool, metrics: list[str]) -> None:
    plain = totals(model.figures(metrics, day), day, metrics, by, cumulative)
    summed = model.totals(day, metrics, by, cumulative, ids=True)
    assert [t.to_dict(by) for t in summed] == [t.to_dict(by) for t in plain]
    # Without ids: every figure the same, each total's items counted but not listed, and
    # those beside a report listed only when a note can name them all.
    counted = model.totals(day, metrics, by, cumulative, ids=False)
    assert [_unlisted(t) for t in counted] == [_unlisted(t) for t in plain]
    for t, p in zip(counted, plain, strict=True):
        assert list(t.beside) == p.beside if len(p.beside) <= NAMED else not t.beside.listed


def _unlisted(t):
    return (t.metric, t.scope, t.group, str(t.value), t.qualifier, t.basis, len(t.events), len(t.beside), t.pending)


def test_sql_totals_equal_the_plain_path_on_synthetic_data(db):
    """Three hundred items of the benchmark's mix: reports ruling most investment figures,
    imprecise and open dates, plans, every qualifier; on each backend. The sums the view
    keeps as the items arrive, then the sums a replay makes anew."""
    ledger = Ledger(resolve(db))
    ledger.record([Item.from_dict(data) for data in synthetic(300, seed=7)])
    model = ReadModel(ledger)
    model.catch_up()
    for day, (by, cumulative, metrics) in itertools.product(DAYS, _asks()):
        _same_as_plain(model, day, by, cumulative, metrics)
    model.replay()
    for day, (by, cumulative, metrics) in itertools.product(DAYS, _asks(by_all=False)):
        _same_as_plain(model, day, by, cumulative, metrics)
    ledger.close()


def test_ids_unread_are_counted_and_refuse_to_be_listed():
    ids = Ids(3)
    assert len(ids) == 3 and not ids.listed
    with pytest.raises(LookupError, match="ids=True"):
        list(ids)
    assert Ids(2, ["a", "b"]) == ["a", "b"] and ["a", "b"] == Ids(2, ["a", "b"])
    assert Ids(1, ["a"]) + ["b"] == ["a", "b"]
    assert len(Ids(1) + Ids(2, ["x", "y"])) == 3
    with pytest.raises(ValueError):
        Ids(2, ["a"])


# Values at the edges of what SQL adds up: fractions and whole numbers of 10**12 and more
# are added in Python, below that in SQL; a qualifier on some, plans, open and wide dates.
values = st.sampled_from([Decimal(0), Decimal(1), Decimal("2.5"), Decimal("0.125"), Decimal(999_999_999_999),
                          Decimal(10**12), Decimal(3 * 10**15), Decimal(7)])
figure_items = st.builds(
    lambda n, kind, when, scope, value, qualifier, planned, published: Item(
        id=f"i-{n:03d}", kind=kind, when=When.parse(when), title=f"事项{n}", scope=scope,
        source=Source("doc", "q", When.parse(published) if published else None),
        measures=(Measure("area", value, "m2", qualifier),), flags=frozenset({"planned"} if planned else ()),
    ),
    st.integers(0, 999),
    st.sampled_from([Kind.PARK_UNVEILED, Kind.PERIOD_REPORT, Kind.MEETING]),
    # Reports that follow on from each other (2022, 2023, the halves of 2024) and items
    # across their joins or in the gaps between them.
    # "2025/.." with a source of 2023 or 2024: it counts from its first day, not before.
    st.sampled_from(["2023", "2023-04", "2023-04-14/2023-04-16", "2021/..", "2025/..", "../2024-03", "2023-02/2023-07",
                     "2022-12-30", "2020/2025", "2022", "2024-01/2024-06", "2024-07/2024-12",
                     "2023-12-30/2024-01-02", "2024-06-29/2024-07-01", "2021-12-31/2022-01-01"]),
    st.sampled_from(["淮南市", "闵行区"]),
    values,
    st.sampled_from(list(Qualifier)),
    st.booleans(),
    st.sampled_from([None, "2023-06", "2024"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(figure_items, min_size=1, max_size=12, unique_by=lambda i: i.id),
       st.sampled_from([*DAYS[1:4], date(2025, 6, 30)]))
def test_sql_totals_equal_the_plain_path_at_the_edges(found, day):
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(resolve(str(Path(tmp) / "l.sqlite")))
        ledger.record(found)
        model = ReadModel(ledger)
        model.catch_up()
        for by, cumulative, metrics in _asks():
            _same_as_plain(model, day, by, cumulative, metrics)
        ledger.close()


def test_items_beside_a_report_are_counted_and_listed_only_when_asked(db):
    """Twenty-five trainings of 2023 beside the city's report for 2023: too many for a note
    to name, so a table's read counts them; JSON's read lists them."""
    ledger = Ledger(resolve(db))
    trainings = [Item(id=f"t-{n:02d}", kind=Kind.TRAINING, when=When.parse(f"2023-{n % 12 + 1:02d}"),
                      title=f"培训{n}", scope="淮南市", source=Source("doc"),
                      measures=(Measure.parse("people_trained=10名"),)) for n in range(25)]
    report = Item(id="report", kind=Kind.PERIOD_REPORT, when=When.parse("2023"), title="年报", scope="淮南市",
                  source=Source("doc"), measures=(Measure.parse("people_trained=300名"),))
    ledger.record([*trainings, report])
    model = ReadModel(ledger)
    model.catch_up()
    [counted] = model.totals(date(2023, 12, 31), ["people_trained"], "scope", False, ids=False)
    assert (counted.value, counted.basis, len(counted.events), len(counted.beside)) == (Decimal(300), "reported", 1, 25)
    assert not counted.beside.listed
    [listed] = model.totals(date(2023, 12, 31), ["people_trained"], "scope", False, ids=True)
    assert (list(listed.events), list(listed.beside)) == (["report"], [f"t-{n:02d}" for n in range(25)])
    ledger.close()


def test_a_table_counts_the_items_beside_a_report_it_did_not_read(empty_cli, tmp_path):
    cli = empty_cli
    lines = [json.dumps({"id": f"t-{n:02d}", "kind": "training", "date": f"2023-{n % 12 + 1:02d}", "title": f"培训{n}",
                         "scope": "淮南市", "source": {"document": "doc"},
                         "measures": [{"metric": "people_trained", "value": "10", "unit": "persons"}]})
             for n in range(25)]
    lines.append(json.dumps({"id": "report", "kind": "period_report", "date": "2023", "title": "年报", "scope": "淮南市",
                             "source": {"document": "doc"},
                             "measures": [{"metric": "people_trained", "value": "300", "unit": "persons"}]}))
    (tmp_path / "items.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli.ok("import", str(tmp_path / "items.jsonl"))
    out = cli.ok("totals", "--as-of", "2023-12-31", "--metric", "people_trained").stdout
    assert "people_trained / 淮南市: shown beside the report, not added: 25 items (-f json lists them)" in out
    [row] = cli.ok("totals", "--as-of", "2023-12-31", "--metric", "people_trained", "-f", "json").json()
    assert row["beside"] == [f"t-{n:02d}" for n in range(25)]


def _area(item_id, kind, when, scope="淮南市"):
    return Item(id=item_id, kind=kind, when=When.parse(when), title=item_id, scope=scope, source=Source("doc"),
                measures=(Measure("area", Decimal(10), "m2"),))


@pytest.mark.parametrize("gap_item", ["2024-12-31", "2025-01-01", "2025-01-02", "2024-12-31/2025-01-02"])
def test_reports_that_follow_on_are_joined_and_a_day_between_them_is_not(gap_item):
    """2024-H2 and 2025-01-02..2025-12-31 leave 2025-01-01 uncovered; 2023 and 2024-H1 follow
    on from each other. An item on either side of a gap, or in it, lands as the plain path has it."""
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(resolve(str(Path(tmp) / "l.sqlite")))
        ledger.record([
            _area("r-2023", Kind.PERIOD_REPORT, "2023"), _area("r-2024a", Kind.PERIOD_REPORT, "2024-01/2024-06"),
            _area("r-2024b", Kind.PERIOD_REPORT, "2024-07/2024-12"),
            _area("r-2025", Kind.PERIOD_REPORT, "2025-01-02/2025-12-31"),
            _area("join", Kind.PARK_UNVEILED, "2023-12-31/2024-01-01"), _area("gap", Kind.PARK_UNVEILED, gap_item),
        ])
        model = ReadModel(ledger)
        model.catch_up()
        for by, cumulative, metrics in _asks():
            _same_as_plain(model, date(2026, 1, 1), by, cumulative, metrics)
        [total] = model.totals(date(2026, 1, 1), ["area"], "scope", False, ids=True)
        assert ("gap" in total.events) == (gap_item == "2025-01-01")
        ledger.close()


@pytest.mark.parametrize(("day", "expected"), [
    (date(2023, 12, 30), ("10", ["d-2023-12-30"])),
    (date(2023, 12, 31), ("50", ["d-2023-12-30", "d-2023-12-31", "d-2023-q4"])),
    (date(9999, 12, 30), ("50", ["d-2023-12-30", "d-2023-12-31", "d-2023-q4"])),
    (date.max, ("100", ["d-2023-12-30", "d-2023-12-31", "d-2023-q4", "d-9999-12-31"])),
])
def test_a_total_as_of_the_end_of_a_period_counts_its_last_day(db, day, expected):
    """As of a month's, a quarter's, a year's or the calendar's last day, whole periods are
    read from the sums: the items of that last day count, a quarter's among them."""
    ledger = Ledger(resolve(db))
    ledger.record([_area(f"d-{when}", Kind.PARK_UNVEILED, when) for when in ("2023-12-30", "2023-12-31")]
                  + [Item(id="d-2023-q4", kind=Kind.PARK_UNVEILED, when=When.parse("2023-10/2023-12"), title="季度",
                          scope="淮南市", source=Source("doc"), measures=(Measure("area", Decimal(30), "m2"),)),
                     Item(id="d-9999-12-31", kind=Kind.PARK_UNVEILED, when=When.parse("9999-12-31"), title="末日",
                          scope="淮南市", source=Source("doc"), measures=(Measure("area", Decimal(50), "m2"),))])
    model = ReadModel(ledger)
    model.catch_up()
    [total] = model.totals(day, ["area"], "scope", False, ids=True)
    assert (str(total.value), list(total.events)) == expected
    _same_as_plain(model, day, "scope", False, ["area"])
    ledger.close()

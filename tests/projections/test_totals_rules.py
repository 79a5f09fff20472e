"""The totals rules on hand-made figures: the as-of rule, reports, qualifiers, units."""

from datetime import date, datetime, timezone
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from events import Item, Kind, Measure, Qualifier, Source, When
from projections.timeline import Row
from projections.totals import Cover, _span, choose_reports, combine, counts_from, figures_of, totals

T0 = datetime(2024, 1, 10, tzinfo=timezone.utc)


def _row(item_id, kind, when, *measures, scope="淮南市", published=None, flags=()):
    item = Item(id=item_id, kind=kind, when=When.parse(when), title=item_id, scope=scope, flags=frozenset(flags),
                source=Source("doc", "q", When.parse(published) if published else None),
                measures=tuple(Measure.parse(m) for m in measures))
    return Row(item, 1, T0)


def _figures(*rows):
    return [f for r in rows for f in figures_of(r)]


def test_the_as_of_rule():
    assert counts_from(_row("a", Kind.TRAINING, "2023-04")) == date(2023, 4, 30)
    assert counts_from(_row("b", Kind.TRAINING, "2021/..", published="2024-01/2024-03")) == date(2024, 3, 31)
    assert counts_from(_row("c", Kind.TRAINING, "2021/..")) == date(2024, 1, 10)  # the day it was recorded
    # Never before its first day: "from 2025 on", in a source of 2024, had not begun in 2024.
    assert counts_from(_row("e", Kind.TRAINING, "2025/..", published="2024")) == date(2025, 1, 1)
    assert counts_from(_row("f", Kind.TRAINING, "2025-03/..")) == date(2025, 3, 1)  # recorded 2024-01-10
    assert counts_from(_row("d", Kind.TRAINING, "2024", flags=["planned"])) is None


def test_a_straddling_item_is_pending_not_added():
    figures = _figures(_row("year", Kind.TRAINING, "2023", "people_trained=10名"),
                       _row("april", Kind.TRAINING, "2023-04-02", "people_trained=3名"))
    [row] = totals(figures, date(2023, 6, 30), ["people_trained"])
    assert (row.value, row.events, row.pending) == (Decimal(3), ["april"], ["year"])
    [row] = totals(figures, date(2023, 12, 31), ["people_trained"])
    assert (row.value, row.events, row.pending) == (Decimal(13), ["april", "year"], [])


def test_a_report_is_authoritative_for_its_scope_and_period_only():
    figures = _figures(
        _row("report", Kind.PERIOD_REPORT, "2023", "signed_investment=100亿元"),
        _row("inside", Kind.PROJECT_SIGNED, "2023-05", "signed_investment=20亿元"),
        _row("before", Kind.PROJECT_SIGNED, "2022-11", "signed_investment=5亿元"),
        _row("district", Kind.PROJECT_SIGNED, "2023-05", "signed_investment=7亿元", scope="谢家集区"),
    )
    city, district = totals(figures, date(2023, 12, 31), ["signed_investment"])
    assert (city.scope, city.value, city.basis, city.events, city.beside) == (
        "淮南市", Decimal("10500000000"), "reported+itemized", ["before", "report"], ["inside"])
    # A district inside the city is its own row, never summed into the city's.
    assert (district.scope, district.value, district.basis) == ("谢家集区", Decimal("700000000"), "itemized")


def test_overlapping_reports_of_one_scope_do_not_add_up():
    figures = _figures(_row("year", Kind.PERIOD_REPORT, "2023", "sales=10万元"),
                       _row("h1", Kind.PERIOD_REPORT, "2023-01/2023-06", "sales=4万元"))
    [row] = totals(figures, date(2024, 1, 1))
    assert (row.value, row.events, row.beside) == (Decimal(100000), ["year"], ["h1"])


def test_of_two_overlapping_reports_as_wide_the_first_id_stands_whatever_the_order_read():
    rows = [_row("b-report", Kind.PERIOD_REPORT, "2023", "sales=4万元"),
            _row("a-report", Kind.PERIOD_REPORT, "2023", "sales=10万元")]
    for order in (rows, rows[::-1]):
        [row] = totals(_figures(*order), date(2024, 1, 1))
        assert (row.value, row.events, row.beside) == (Decimal(100000), ["a-report"], ["b-report"])


def test_qualifiers_propagate():
    assert combine([Qualifier.NEARLY]) is Qualifier.NEARLY
    assert combine([Qualifier.EXACT, Qualifier.MORE_THAN]) is Qualifier.MORE_THAN
    assert combine([Qualifier.NEARLY, Qualifier.EXACT]) is Qualifier.APPROX
    assert combine([Qualifier.MORE_THAN, Qualifier.APPROX]) is Qualifier.APPROX
    assert combine([Qualifier.AT_LEAST, Qualifier.EXACT]) is Qualifier.AT_LEAST
    figures = _figures(_row("a", Kind.JOB_FAIR, "2023-06-13", "jobs_offered=1700余个"),
                       _row("b", Kind.JOB_FAIR, "2023-07-01", "jobs_offered=300个"))
    [row] = totals(figures, date(2023, 12, 31), ["jobs_offered"])
    assert (row.value, row.qualifier) == (Decimal(2000), Qualifier.MORE_THAN)


def test_units_never_mix_and_counts_of_events_are_their_own_metric():
    figures = _figures(_row("fair", Kind.JOB_FAIR, "2023-06-13", "jobs_offered=100个", "companies_participating=9家"))
    rows = {(t.metric, t.unit): t.value for t in totals(figures, date(2023, 12, 31))}
    assert rows == {("companies_participating", "companies"): 9, ("fairs", "events"): 1,
                    ("job_fairs", "events"): 1, ("jobs_offered", "jobs"): 100}


_PERIODS = ["2022", "2023", "2023-01/2023-06", "2023-04", "2023-04-14/2023-04-16", "2023-07-01", "2021/..",
            "../2023-03", "2024-02"]


def _overlaps(f, lower, upper):
    """Brute force: the figure's dates and the period share a day (None: open)."""
    return (f.lower is None or upper is None or f.lower <= upper) and (f.upper is None or lower is None or f.upper >= lower)


def _chosen_by_brute_force(reports):
    chosen, aside = [], []
    for r in sorted(reports, key=lambda f: (-_span(f), f.item_id)):
        (aside if any(_overlaps(r, a.lower, a.upper) for a in chosen) else chosen).append(r)
    return chosen, aside


@given(st.lists(st.sampled_from(_PERIODS), min_size=0, max_size=6), st.sampled_from(_PERIODS))
def test_the_bisected_cover_answers_as_testing_every_report_would(report_dates, figure_date):
    """Reports chosen as `totals` chooses them (widest first, none overlapping); a figure
    overlaps one of them exactly when the brute-force test over all of them says so."""
    rows = [_row(f"r{n}", Kind.PERIOD_REPORT, d, "people_trained=10名") for n, d in enumerate(report_dates)]
    chosen, _ = _chosen_by_brute_force(_figures(*rows))
    [f] = _figures(_row("x", Kind.OTHER, figure_date, "people_trained=1名"))
    assert Cover(chosen).overlaps(f) == any(_overlaps(f, r.lower, r.upper) for r in chosen)


@given(st.lists(st.sampled_from([*_PERIODS, "2023-06/2023-09", "2022-12-31/2023-01-01", "2023-01", "2023-12-31"]),
                min_size=0, max_size=12))
def test_reports_are_chosen_by_bisection_as_by_testing_each_against_every_chosen_one(report_dates):
    reports = _figures(*[_row(f"r{n:02d}", Kind.PERIOD_REPORT, d, "people_trained=10名") for n, d in enumerate(report_dates)])
    assert choose_reports(reports) == _chosen_by_brute_force(reports)


ITEMS = st.lists(
    st.tuples(
        st.sampled_from([Kind.TRAINING, Kind.PERIOD_REPORT, Kind.PROJECT_SIGNED]),
        st.sampled_from(["2022", "2023", "2023-04", "2023-04-02", "2023/..", "../2024-03", "2024-02"]),
        st.sampled_from(["people_trained=%d名", "people_trained=近%d名", "signed_investment=%d亿元",
                         "companies_participating=%d家"]),
        st.integers(1, 500),
        st.sampled_from(["淮南市", "闵行区"]),
    ),
    max_size=12,
)


@given(ITEMS, st.sampled_from([date(2023, 6, 30), date(2023, 12, 31), date(2024, 4, 1)]),
       st.sampled_from(["scope", "year", "quarter"]))
def test_a_total_is_the_sum_of_its_parts(items, as_of, by):
    """Every row's value is its parts added up, and lists exactly their items; a metric
    that does not add up, with more than one figure, has no value but keeps its parts."""
    rows = [_row(f"i{n}", kind, when, measure % amount, scope=scope)
            for n, (kind, when, measure, amount, scope) in enumerate(items)]
    for t in totals(_figures(*rows), as_of, by=by, cumulative=by != "scope"):
        parts_sum = sum((p.value for p in t.parts), Decimal(0))
        assert sorted(i for p in t.parts for i in p.items) == sorted(t.events)
        if t.basis == "not added":
            assert t.value is None and len(t.events) > 1
        elif t.basis == "pending":
            assert t.value is None and t.parts == [] and t.pending
        else:
            assert t.value == parts_sum

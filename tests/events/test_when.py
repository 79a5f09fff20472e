from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events import InvalidValue, Precision, When, parse_window


@pytest.mark.parametrize(
    ("text", "lower", "upper", "precision"),
    [
        ("2023", date(2023, 1, 1), date(2023, 12, 31), Precision.YEAR),
        ("2023-03", date(2023, 3, 1), date(2023, 3, 31), Precision.MONTH),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), Precision.MONTH),
        ("2023-02-18", date(2023, 2, 18), date(2023, 2, 18), Precision.DAY),
        ("2023-04-14/2023-04-16", date(2023, 4, 14), date(2023, 4, 16), Precision.DAY),
        ("2022-04/2023-05", date(2022, 4, 1), date(2023, 5, 31), Precision.MONTH),
        ("2021/..", date(2021, 1, 1), None, Precision.YEAR),
        ("../2024-03", None, date(2024, 3, 31), Precision.MONTH),
    ],
)
def test_bounds_and_precision(text, lower, upper, precision):
    when = When.parse(text)
    assert (when.lower, when.upper, when.precision, str(when)) == (lower, upper, precision, text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2023-13", "date: '2023-13': month 13 does not exist"),
        ("2023-02-30", "date: '2023-02-30': day 30 does not exist in 2023-02"),
        ("2023-05/2023-04", "date: '2023-05/2023-04': the upper bound is before the lower bound"),
        ("../..", "date: '../..': an interval needs at least one bound"),
        ("23-01", "date: '23-01': expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2023-1", "date: '2023-1': expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("0000", "date: '0000': year 0000 does not exist"),
    ],
)
def test_invalid_dates_name_the_value(text, reason):
    with pytest.raises(InvalidValue) as e:
        When.parse(text)
    assert str(e.value) == reason


def test_windows_take_quarters_and_any_precision():
    assert parse_window("2023q2", "period") == (date(2023, 4, 1), date(2023, 6, 30))
    assert parse_window("2023-04", "from") == (date(2023, 4, 1), date(2023, 4, 30))
    with pytest.raises(InvalidValue, match="from: '2021/..': a window needs both bounds"):
        parse_window("2021/..", "from")


def test_overlap_and_within():
    year = When.parse("2023")
    april = (date(2023, 4, 1), date(2023, 4, 30))
    assert year.overlaps(*april) and not year.within(*april)
    assert When.parse("2023-04-14/2023-04-16").within(*april)
    assert When.parse("2021/..").overlaps(*april)
    assert not When.parse("2023-05").overlaps(*april)


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def _text(d: date, precision: str) -> str:
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}", "day": d.isoformat()}[precision]


@given(days, st.sampled_from(["year", "month", "day"]))
def test_round_trip_and_bounds_contain_the_day(d, precision):
    text = _text(d, precision)
    when = When.parse(text)
    assert str(When.parse(str(when))) == text
    assert when.lower <= d <= when.upper
    assert when.precision.value == precision


@given(days, days, st.sampled_from(["year", "month", "day"]), st.sampled_from(["year", "month", "day"]))
def test_intervals_are_ordered_or_refused(a, b, pa, pb):
    text = f"{_text(a, pa)}/{_text(b, pb)}"
    try:
        when = When.parse(text)
    except InvalidValue as e:
        assert "upper bound is before the lower bound" in str(e)
        assert When.parse(_text(b, pb)).upper < When.parse(_text(a, pa)).lower
    else:
        assert when.lower <= when.upper
        assert when.lower == When.parse(_text(a, pa)).lower
        assert when.upper == When.parse(_text(b, pb)).upper


def test_agrees_with_the_edtf_package_on_bounds():
    import edtf
    for text in ["2023", "2023-03", "2023-02-18", "2023-04-14/2023-04-16"]:
        parsed = edtf.parse_edtf(text)
        lower = date(*parsed.lower_strict()[:3])
        upper = date(*parsed.upper_strict()[:3])
        when = When.parse(text)
        assert (when.lower, when.upper) == (lower, upper)


@given(days, st.integers(min_value=0, max_value=3000))
def test_a_window_inside_a_span_overlaps_it(d, span):
    end = d + timedelta(days=span)
    when = When.parse(f"{d.isoformat()}/{end.isoformat()}")
    assert when.overlaps(d, d) and when.overlaps(end, end)
    assert when.within(d, end)


@pytest.mark.parametrize("text", ["２０２３-０５-０１", "٢٠٢٣-٠٥-٠١", "2023-05/２０２３-06", "２０２３"])
def test_a_date_takes_ascii_digits_only(text):
    with pytest.raises(InvalidValue) as e:
        When.parse(text)
    assert str(e.value) == f"date: {text!r}: use the digits 0-9 (YYYY, YYYY-MM or YYYY-MM-DD)"


def test_a_quarter_takes_ascii_digits_only():
    with pytest.raises(InvalidValue, match="period: '２０２３q2': use the digits 0-9"):
        parse_window("２０２３q2", "period")

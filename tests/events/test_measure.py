from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events import METRICS, InvalidValue, Measure, Qualifier, parse_amount


@pytest.mark.parametrize(
    ("spec", "value", "unit", "qualifier"),
    [
        ("signed_investment=20亿元", "2000000000", "CNY", Qualifier.EXACT),
        ("signed_investment=234.55亿元", "23455000000", "CNY", Qualifier.EXACT),
        ("sales=6912万元", "69120000", "CNY", Qualifier.EXACT),
        ("signed_investment=30多亿元", "3000000000", "CNY", Qualifier.MORE_THAN),
        ("people_trained=近200名", "200", "persons", Qualifier.NEARLY),
        ("jobs_offered=1700余个", "1700", "jobs", Qualifier.MORE_THAN),
        ("area=约5平方公里", "5000000", "m2", Qualifier.APPROX),
        ("floor_area=16万平方米", "160000", "m2", Qualifier.EXACT),
        ("signed_investment=2000000000 CNY", "2000000000", "CNY", Qualifier.EXACT),
        ("companies_participating=50家", "50", "companies", Qualifier.EXACT),
        ("companies_participating=50家以上", "50", "companies", Qualifier.AT_LEAST),
        ("jobs_offered=more than 1700", "1700", "jobs", Qualifier.MORE_THAN),
        ("area=1.5 km2", "1500000", "m2", Qualifier.EXACT),
        ("products_shown=5大", "5", "products", Qualifier.EXACT),
    ],
)
def test_parses_chinese_and_plain_amounts_exactly(spec, value, unit, qualifier):
    m = Measure.parse(spec)
    assert (m.value, m.unit, m.qualifier, m.text) == (Decimal(value), unit, qualifier, spec.split("=", 1)[1])
    assert str(m.value) == value


@pytest.mark.parametrize(
    ("spec", "value", "qualifier"),
    [
        ("cadres_seconded=两名", "2", Qualifier.EXACT),
        ("companies_participating=十家", "10", Qualifier.EXACT),
        ("projects_signed=十二个", "12", Qualifier.EXACT),
        ("companies_participating=三十余家", "30", Qualifier.MORE_THAN),
        ("people_trained=近百名", "100", Qualifier.NEARLY),
        ("jobs_offered=一百零五个", "105", Qualifier.EXACT),
        ("people_trained=两千名", "2000", Qualifier.EXACT),
        ("signed_investment=五千万元", "50000000", Qualifier.EXACT),
        ("signed_investment=三百五十亿元", "35000000000", Qualifier.EXACT),
        ("signed_investment=十多亿元", "1000000000", Qualifier.MORE_THAN),
    ],
)
def test_parses_chinese_numerals_exactly(spec, value, qualifier):
    m = Measure.parse(spec)
    assert (str(m.value), m.qualifier) == (value, qualifier)


@pytest.mark.parametrize("amount", ["二三个", "十百个", "百千个"])
def test_malformed_chinese_numerals_are_refused(amount):
    with pytest.raises(InvalidValue) as e:
        Measure.parse(f"projects_signed={amount}")
    assert str(e.value).startswith(f"measure projects_signed: '{amount}': not a Chinese numeral")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("signed_investment", "measure: 'signed_investment': expected METRIC=AMOUNT"),
        ("nonsense=5", "metric: 'nonsense': unknown metric"),
        ("signed_investment=abc", "measure signed_investment: 'abc': not an amount"),
        ("signed_investment=20名", "measure signed_investment: '20名': signed_investment is counted in CNY, not persons"),
        ("signed_investment=约30多亿元", "measure signed_investment: '约30多亿元': has two qualifiers that disagree"),
        ("signed_investment=", "measure signed_investment: '': an amount is required"),
        ("signed_investment=1e999999", "not an amount"),
    ],
)
def test_malformed_amounts_name_the_field_and_value(spec, message):
    with pytest.raises(InvalidValue) as e:
        Measure.parse(spec)
    assert message in str(e.value)


def test_huge_values_are_refused_not_rounded():
    with pytest.raises(InvalidValue, match="between 0 and"):
        Measure.parse("signed_investment=99999999999亿元")


def test_values_are_decimal_never_float():
    with pytest.raises(InvalidValue, match="finite Decimal"):
        Measure("sales", 1.5, "CNY")  # type: ignore[arg-type]


@given(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([("", 1), ("万", 10**4), ("亿", 10**8)]),
)
def test_chinese_multipliers_agree_with_decimal_arithmetic(number, multiplier):
    word, factor = multiplier
    text = f"{number:f}{word}元"
    value, unit, qualifier = parse_amount(text, METRICS["sales"])
    assert value == number * factor
    assert unit == "CNY" and qualifier is Qualifier.EXACT
    assert "E" not in str(value)


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["近", "约", ""]), st.sampled_from(["", "多", "余"]))
def test_qualifier_words(number, prefix, suffix):
    text = f"{prefix}{number}{suffix}名"
    if prefix and suffix:
        with pytest.raises(InvalidValue):
            parse_amount(text, METRICS["people_trained"])
        return
    value, _, qualifier = parse_amount(text, METRICS["people_trained"])
    expected = {"近": Qualifier.NEARLY, "约": Qualifier.APPROX, "多": Qualifier.MORE_THAN, "余": Qualifier.MORE_THAN}
    assert value == number
    assert qualifier is expected.get(prefix or suffix, Qualifier.EXACT)


@given(st.builds(lambda v: Measure("sales", v, "CNY", Qualifier.APPROX, "x"),
                 st.decimals(min_value=0, max_value=10**15, places=4, allow_nan=False, allow_infinity=False)))
def test_measures_round_trip_through_their_json_form(m):
    assert Measure.from_dict(m.to_dict()) == m


def test_fullwidth_digits_read_as_the_same_figure_and_keep_their_text():
    assert Measure.parse("signed_investment=３．５亿元") == Measure(
        "signed_investment", Decimal(350_000_000), "CNY", Qualifier.EXACT, "３．５亿元"
    )
    assert Measure.parse("jobs_offered=２０００余个").value == Measure.parse("jobs_offered=2000余个").value == 2000


@pytest.mark.parametrize("amount", ["٢٠个", "२०个", "²个", "٢٠ jobs"])
def test_other_scripts_digits_are_refused_in_an_amount(amount):
    with pytest.raises(InvalidValue) as e:
        Measure.parse(f"jobs_offered={amount}")
    assert str(e.value) == f"measure jobs_offered: {amount!r}: use the digits 0-9 (or fullwidth ０-９)"


def test_a_population_is_written_by_its_one_name():
    measure = Measure.parse("signed_investment=461.51亿元", "上海地区项目")
    assert measure.population == "上海项目"
    assert Measure.from_dict(measure.to_dict()) == measure
    assert Measure.from_dict({"metric": "sales", "value": "5", "unit": "CNY"}).population == ""

"""Measure: a figure from the source, exact in Decimal, with its unit and qualifier."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from events.errors import InvalidValue
from events.metrics import METRICS, Metric
from events.names import normalize_population
from events.text import clean_text


class Qualifier(str, Enum):
    """How the source bounds the figure: "近200" is NEARLY 200, "1700余" MORE_THAN 1700."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    NEARLY = "nearly"
    APPROX = "approx"


# Largest figure we accept: far beyond any budget, small enough to stay exact.
_LIMIT = Decimal(10) ** 18


def parse_qualifier(value: object, field: str = "qualifier") -> Qualifier:
    try:
        return Qualifier(value)
    except ValueError:
        known = ", ".join(q.value for q in Qualifier)
        raise InvalidValue(field, value, f"unknown qualifier (known: {known})") from None

_MULTIPLIERS = {"千": 10**3, "万": 10**4, "亿": 10**8, "万亿": 10**12}
_PREFIXES = {
    "约": Qualifier.APPROX,
    "大约": Qualifier.APPROX,
    "近": Qualifier.NEARLY,
    "将近": Qualifier.NEARLY,
    "超过": Qualifier.MORE_THAN,
    "逾": Qualifier.MORE_THAN,
    "~": Qualifier.APPROX,
    "≈": Qualifier.APPROX,
    "approx": Qualifier.APPROX,
    "about": Qualifier.APPROX,
    "nearly": Qualifier.NEARLY,
    ">": Qualifier.MORE_THAN,
    "more than": Qualifier.MORE_THAN,
    ">=": Qualifier.AT_LEAST,
    "at least": Qualifier.AT_LEAST,
}
_SUFFIXES = {"多": Qualifier.MORE_THAN, "余": Qualifier.MORE_THAN, "以上": Qualifier.AT_LEAST}
# Counter words that fix the unit; any other counter (个, 家, 项 ...) takes the metric's.
_CHINESE_UNITS = {
    "元": ("CNY", 1),
    "平方公里": ("m2", 10**6),
    "平方米": ("m2", 1),
    "名": ("persons", 1),
    "人": ("persons", 1),
    "位": ("persons", 1),
}
_COUNTERS = "个|家|项|批|所|种|辆|次|场|件|户|单|大"
_LATIN_UNITS = {"km2": ("m2", 10**6)}

# Chinese text sets figures in fullwidth digits too (２０亿元): the same digits, read as such.
# Any other script's digits are refused, and the patterns match ASCII digits only
# (`\d` would hand Decimal() every script's digits).
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
# Chinese numerals below 万 (两千, 三百五十, 十二); 万 and 亿 stay multipliers (五千万 is 五千 x 万).
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_POWERS = {"十": 10, "百": 100, "千": 1000}

_CHINESE = re.compile(
    r"(?P<pre>约|大约|近|将近|超过|逾)?"
    r"(?P<num>[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+)"
    r"(?P<mid>多|余)?"
    r"(?P<mult>万亿|亿|万|千)?"
    r"(?P<mid2>多|余)?"
    rf"(?P<unit>平方公里|平方米|元|名|人|位|{_COUNTERS})?"
    r"(?P<post>以上|多|余)?"
)
_LATIN = re.compile(
    r"(?P<pre>~|≈|>=|>|approx|about|nearly|more than|at least)?\s*"
    r"(?P<num>[0-9]+(?:\.[0-9]+)?)(?:\s+(?P<unit>[A-Za-z][A-Za-z0-9_]*))?",
    re.IGNORECASE,
)


def canonical(value: Decimal) -> Decimal:
    """The same number with no exponent and no trailing zeros: 2.345500E+10 -> 23455000000."""
    value = value.normalize()
    if value.as_tuple().exponent > 0:  # type: ignore[operator]
        # Through int, exact at any size: quantize() fails past the context's 28 digits,
        # before the range check could name the value.
        value = Decimal(int(value))
    return value


def chinese_integer(text: str) -> int | None:
    """The value of a Chinese numeral below 10,000 (十二 12, 两千 2000, 一百零五 105), or None."""
    total, digit, last_power = 0, None, 10_000
    for ch in text:
        if ch in _DIGITS:
            if digit:  # two digits in a row (二三) are not a numeral
                return None
            digit = _DIGITS[ch]
        else:
            power = _POWERS[ch]
            if power >= last_power:  # 十百: powers must fall
                return None
            total += (1 if digit is None else digit) * power
            digit, last_power = None, power
    return total + (digit or 0)


def _number(text: str, field: str, raw: str) -> Decimal:
    if text[0].isdigit():
        return Decimal(text)
    value = chinese_integer(text)
    if value is None:
        raise InvalidValue(field, raw, "not a Chinese numeral")
    return Decimal(value)


def _qualifier(found: list[Qualifier], field: str, text: str) -> Qualifier:
    if len(set(found)) > 1:
        raise InvalidValue(field, text, "has two qualifiers that disagree")
    return found[0] if found else Qualifier.EXACT


def parse_amount(text: str, metric: Metric, field: str = "measure") -> tuple[Decimal, str, Qualifier]:
    """Read `20亿元`, `近200名`, `1700余个`, `约5平方公里`, `两千名` or `2000000000 CNY` exactly."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidValue(field, text, "an amount is required")
    raw = text.strip().translate(_FULLWIDTH)
    if any(c.isdigit() for c in raw if not c.isascii()):
        raise InvalidValue(field, text, "use the digits 0-9 (or fullwidth ０-９)")
    m = _CHINESE.fullmatch(raw.replace(",", "").replace("，", ""))
    if m:
        qualifiers = [_PREFIXES[m["pre"]]] if m["pre"] else []
        qualifiers += [_SUFFIXES[s] for s in (m["mid"], m["mid2"], m["post"]) if s]
        value = _number(m["num"], field, text) * _MULTIPLIERS.get(m["mult"] or "", 1)
        unit, factor = _CHINESE_UNITS.get(m["unit"] or "", (metric.unit, 1))
        value *= factor
    else:
        m = _LATIN.fullmatch(raw.replace(",", ""))
        if not m:
            raise InvalidValue(field, text, "not an amount (try 20亿元, 近200名 or '2000000000 CNY')")
        pre = (m["pre"] or "").lower()
        qualifiers = [_PREFIXES[pre]] if pre else []
        value = Decimal(m["num"])
        unit, factor = _LATIN_UNITS.get(m["unit"] or "", (m["unit"] or metric.unit, 1))
        value *= factor
    if unit != metric.unit:
        raise InvalidValue(field, text, f"{metric.name} is counted in {metric.unit}, not {unit}")
    return canonical(value), unit, _qualifier(qualifiers, field, text)


@dataclass(frozen=True, slots=True)
class Measure:
    """One figure of an item: `metric` in `unit`, bounded by `qualifier`, read from `text`."""

    metric: str
    value: Decimal
    unit: str
    qualifier: Qualifier = Qualifier.EXACT
    text: str = ""
    # What the figure counts, where the source says (上海项目, 农业项目): figures add up only
    # within one population, so a report of Shanghai projects never absorbs farm projects.
    population: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.metric, str):
            raise InvalidValue("metric", self.metric, "must be a string")
        metric = METRICS.get(self.metric)
        if metric is None:
            raise InvalidValue("metric", self.metric, f"unknown metric (known: {', '.join(sorted(METRICS))})")
        field = f"measure {self.metric}"
        if not isinstance(self.value, Decimal) or not self.value.is_finite():
            raise InvalidValue(field, self.value, "the value must be a finite Decimal")
        if self.value < 0 or self.value >= _LIMIT:
            raise InvalidValue(field, str(self.value), f"the value must be between 0 and {_LIMIT:,}")
        if self.unit != metric.unit:
            raise InvalidValue(field, self.unit, f"{metric.name} is counted in {metric.unit}")
        if not isinstance(self.qualifier, Qualifier):
            object.__setattr__(self, "qualifier", parse_qualifier(self.qualifier, field))
        # Kept as the source wrote it, ends and all: only the rule every text obeys applies.
        object.__setattr__(self, "text", clean_text(self.text, f"{field} text", required=False, limit=200, strip=False))
        object.__setattr__(self, "value", canonical(self.value))
        population = clean_text(self.population, f"{field} population", required=False, limit=100)
        object.__setattr__(self, "population", normalize_population(population))

    @classmethod
    def parse(cls, spec: str, population: str = "") -> Measure:
        """Read a `METRIC=AMOUNT` argument, as given to `append --measure`."""
        metric_name, sep, amount = (spec or "").partition("=")
        if not sep:
            raise InvalidValue("measure", spec, "expected METRIC=AMOUNT, e.g. signed_investment=20亿元")
        metric_name = metric_name.strip()
        metric = METRICS.get(metric_name)
        if metric is None:
            raise InvalidValue("metric", metric_name, f"unknown metric (known: {', '.join(sorted(METRICS))})")
        value, unit, qualifier = parse_amount(amount, metric, f"measure {metric_name}")
        return cls(metric_name, value, unit, qualifier, amount.strip(), population)

    @classmethod
    def from_dict(cls, data: dict, field: str = "measures") -> Measure:
        if not isinstance(data, dict):
            raise InvalidValue(field, data, "each measure must be an object")
        value = data.get("value")
        if not isinstance(value, str) or not value.isascii():
            # Decimal() reads any script's digits; the JSON form is ASCII, as export writes it.
            raise InvalidValue(f"{field}.value", value, "the value must be a decimal string")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise InvalidValue(f"{field}.value", value, "not a decimal number") from None
        return cls(
            metric=data.get("metric"),  # type: ignore[arg-type]
            value=number,
            unit=data.get("unit"),  # type: ignore[arg-type]
            qualifier=parse_qualifier(data.get("qualifier", "exact"), f"{field}.qualifier"),
            text=data.get("text", ""),
            population=data.get("population", ""),
        )

    def to_dict(self) -> dict[str, str]:
        return {
            "metric": self.metric,
            "value": str(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier.value,
            "text": self.text,
            "population": self.population,
        }

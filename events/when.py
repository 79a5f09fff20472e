"""When: a date with its precision, in a subset of EDTF (ISO 8601-2)."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from events.errors import InvalidValue


class Precision(str, Enum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


# re.ASCII: `\d` would match every script's digits, and `２０２３` beside `2023` would be
# another date text, so another id, for the same fact.
_POINT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
_QUARTER = re.compile(r"(\d{4})[qQ]([1-4])", re.ASCII)
OPEN = ".."


def _point(text: str, field: str, whole: str) -> tuple[date, date, Precision]:
    """Parse one EDTF point and return its first day, last day and precision."""
    m = _POINT.fullmatch(text)
    if not m and any(c.isdigit() for c in text if not c.isascii()):
        raise InvalidValue(field, whole, "use the digits 0-9 (YYYY, YYYY-MM or YYYY-MM-DD)")
    if not m:
        raise InvalidValue(field, whole, "expected YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(m[1])
    if year == 0:
        raise InvalidValue(field, whole, "year 0000 does not exist")
    if m[2] is None:
        return date(year, 1, 1), date(year, 12, 31), Precision.YEAR
    month = int(m[2])
    if not 1 <= month <= 12:
        raise InvalidValue(field, whole, f"month {m[2]} does not exist")
    last = calendar.monthrange(year, month)[1]
    if m[3] is None:
        return date(year, month, 1), date(year, month, last), Precision.MONTH
    day = int(m[3])
    if not 1 <= day <= last:
        raise InvalidValue(field, whole, f"day {m[3]} does not exist in {m[1]}-{m[2]}")
    d = date(year, month, day)
    return d, d, Precision.DAY


@dataclass(frozen=True, slots=True)
class When:
    """A date as precise as the source gives it: a year, a month, a day, or an interval.

    `lower` is the first day it may mean and `upper` the last; `None` stands for an
    open end (`2021/..` has no upper bound, `../2024-03` no lower bound).
    """

    text: str
    lower: date | None
    upper: date | None
    precision: Precision

    @classmethod
    def parse(cls, text: str, field: str = "date") -> When:
        if not isinstance(text, str):
            raise InvalidValue(field, text, "expected an EDTF date string")
        return _parse(text, field)

    @classmethod
    def _parse(cls, text: str, field: str) -> When:
        raw = text.strip()
        if "/" not in raw:
            lo, hi, precision = _point(raw, field, text)
            return cls(raw, lo, hi, precision)
        start, _, end = raw.partition("/")
        if start == OPEN and end == OPEN:
            raise InvalidValue(field, text, "an interval needs at least one bound")
        lower = upper = None
        precisions = []
        if start != OPEN:
            lower, _, p = _point(start, field, text)
            precisions.append(p)
        if end != OPEN:
            _, upper, p = _point(end, field, text)
            precisions.append(p)
        if lower is not None and upper is not None and upper < lower:
            raise InvalidValue(field, text, "the upper bound is before the lower bound")
        # An interval is as precise as its coarser end.
        order = list(Precision)
        precision = min(precisions, key=order.index)
        return cls(raw, lower, upper, precision)

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.lower is None or self.upper is None

    def overlaps(self, lower: date, upper: date) -> bool:
        """True when some day this may mean lies in [lower, upper]."""
        return overlap(self.lower, self.upper, lower, upper)

    def within(self, lower: date, upper: date) -> bool:
        """True when every day this may mean lies in [lower, upper]."""
        return within(self.lower, self.upper, lower, upper)


def overlap(lower: date | None, upper: date | None, first: date | None, last: date | None) -> bool:
    """Whether the days [lower, upper] and [first, last] share one; None is an open end."""
    return (lower or date.min) <= (last or date.max) and (first or date.min) <= (upper or date.max)


def within(lower: date | None, upper: date | None, first: date | None, last: date | None) -> bool:
    """Whether every day of [lower, upper] lies in [first, last]: an open end of the first
    span reaches beyond any bound, so it is never within one."""
    return (
        lower is not None and upper is not None
        and (first or date.min) <= lower and upper <= (last or date.max)
    )


# A ledger repeats the same few thousand dates; a When is immutable, so parse each once.
# (Errors are not cached: lru_cache keeps only returned values.)
_parse = functools.lru_cache(maxsize=1 << 16)(When._parse)


def parse_window(text: str, field: str) -> tuple[date, date]:
    """The days a query bound or period covers: any When, or a quarter like `2023q2`."""
    m = _QUARTER.fullmatch(text.strip()) if isinstance(text, str) else None
    if m:
        year, quarter = int(m[1]), int(m[2])
        first_month = 3 * quarter - 2
        last_month = first_month + 2
        return (
            date(year, first_month, 1),
            date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )
    when = When.parse(text, field)
    if when.is_open:
        raise InvalidValue(field, text, "a window needs both bounds")
    assert when.lower is not None and when.upper is not None
    return when.lower, when.upper


def window_bounds(lower: str | None, upper: str | None, period: str | None = None) -> tuple[date, date]:
    """The days from `lower` to `upper` (each at any precision, both inclusive), or a period."""
    if period and (lower or upper):
        raise InvalidValue("period", period, "give either --period or --from/--to, not both")
    first, last = parse_window(period, "period") if period else (date.min, date.max)
    if lower:
        first = parse_window(lower, "from")[0]
    if upper:
        last = parse_window(upper, "to")[1]
    if last < first:
        raise InvalidValue("to", upper, f"the window ends before it starts ({lower})")
    return first, last


def bounds(when: When) -> tuple[date, date]:
    """The days a date may mean, an open end read at its known end: what "nearby dates"
    compares when looking for two reports of one item."""
    lower = when.lower or when.upper
    upper = when.upper or when.lower
    assert lower is not None and upper is not None
    return lower, upper


def span_class(when: When) -> int:
    """The group of dates by how many days they may mean (1, 2-3, 4-7, ... days): a date
    of class c overlaps [lower, upper] only if its first day (of `bounds`) lies in
    [lower - reach(c), upper]. The in-memory index (ledger/matching.py) and the view's
    (projections/reads.py) both find nearby dates by it."""
    lower, upper = bounds(when)
    return (upper.toordinal() - lower.toordinal()).bit_length()


def reach(cls: int) -> int:
    """The most days past its first that a date of span class `cls` may mean."""
    return (1 << cls) - 1

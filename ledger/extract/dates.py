"""Date expressions of a Chinese report, read with their precision into EDTF."""

from __future__ import annotations

import re
from dataclasses import dataclass

from events import When

_RANGE = r"(?:至|到|—|－|-|~|～)"
_EXPRESSION = re.compile(
    r"(?P<until>截至|截止)?"
    r"(?:(?P<y>(?:19|20)\d{2})年度?|(?P<rel>今年|去年|明年|前年))?"
    rf"(?:{_RANGE}(?P<yy>(?:19|20)\d{{2}})年)?"
    rf"(?:(?<!\d)(?P<ma>\d{{1,2}}){_RANGE}(?P<mb>\d{{1,2}})月)?"
    r"(?:(?<!\d)(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号])?"
    rf"(?:{_RANGE}(?:(?P<y2>(?:19|20)\d{{2}})年)?(?:(?P<m2>\d{{1,2}})月)?(?:(?P<d2>\d{{1,2}})[日号])?"
    r"|(?P<list>(?:、\d{1,2}月)+))?)?"
    r"(?P<half>上半年|下半年|全年|年底|年末|底|末)?"
    r"(?P<recent>近期)?"
    r"(?P<since>以来)?"
)
# 底 and 末 end a date (2023年底, 6月底) but mean nothing alone; these stand alone.
_ALONE = ("上半年", "下半年", "全年", "年底")
# A year in a name, 中国农业产业化交易会(2023·上海) or 2023“江南吃货节”: the date of a
# sentence only when it has no other.
_NAMED_YEAR = re.compile(r"(?<![\d年])((?:19|20)\d{2})(?=[·“\"])")
_SEPARATOR = re.compile(r"[，,。；;！？]")
_RELATIVE = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}


@dataclass(frozen=True, slots=True)
class Mention:
    """A date expression at [start, end) of a passage; a list (6月、11月) has several dates."""

    start: int
    end: int
    dates: tuple[When, ...]
    rule: str
    from_context: bool = False
    weak: bool = False

    @property
    def when(self) -> When:
        return self.dates[0]


@dataclass(frozen=True, slots=True)
class Context:
    """What a date without its year is read against: the year last named, and the last date."""

    published: When
    year: int | None = None
    last: When | None = None

    def after(self, mention: Mention) -> Context:
        year = self.year
        if not mention.weak and mention.when.lower is not None and not mention.from_context:
            year = max(d.lower.year for d in mention.dates if d.lower)  # type: ignore[union-attr]
        return Context(self.published, year, mention.dates[-1])


def lower_text(when: When) -> str:
    return when.text.partition("/")[0] if "/" in when.text else when.text


def upper_text(when: When) -> str:
    return when.text.partition("/")[2] if "/" in when.text else when.text


def undated(published: When) -> When:
    """The date of a fact the source gives no date for: no later than its publication."""
    return When.parse(f"../{upper_text(published)}")


def _point(year: int, month: str | None = None, day: str | None = None) -> str:
    text = f"{year:04d}"
    if month:
        text += f"-{int(month):02d}"
        if day:
            text += f"-{int(day):02d}"
    return text


def _span(start: str, end: str) -> str:
    return start if start == end else f"{start}/{end}"


def find(text: str, context: Context) -> tuple[list[Mention], Context]:
    """Every date expression of `text`, in order, and the context after the last one."""
    mentions: list[Mention] = []
    for m in _EXPRESSION.finditer(text):
        if not (m["y"] or m["rel"] or m["m"] or m["ma"] or m["half"] in _ALONE or m["recent"]):
            continue
        mention = _read(m, text, context, mentions)
        if mention is None:
            continue
        mentions.append(mention)
        context = context.after(mention)
    taken = [(x.start, x.end) for x in mentions]
    for m in _NAMED_YEAR.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            mentions.append(Mention(m.start(), m.end(), (When.parse(m[1]),), "a year in a name", weak=True))
    mentions.sort(key=lambda x: x.start)
    return mentions, context


def _read(m: re.Match[str], text: str, context: Context, before: list[Mention]) -> Mention | None:
    from_context = False
    half = m["half"]
    if m["recent"] and not (m["y"] or m["m"] or m["ma"]):
        # 近期 (recently): after the last date named, and no later than the publication.
        start = lower_text(context.last) if context.last and context.last.lower else None
        end = upper_text(context.published)
        date = f"{start}/{end}" if start and start != end else f"../{end}"
        return Mention(m.start(), m.end(), (When.parse(date),), "近期: from the last date named to the publication", True)
    if m["y"]:
        year = int(m["y"])
    elif m["rel"]:
        year = context.published.lower.year + _RELATIVE[m["rel"]]  # type: ignore[union-attr]
        from_context = True
    else:
        if context.year is None:
            year = context.published.lower.year  # type: ignore[union-attr]
        else:
            year = context.year
        from_context = True
        # 全年 restating a year named in the same clause (2023年该中心全年) is not a second date.
        if half == "全年" and before and not _SEPARATOR.search(text, before[-1].end, m.start()):
            return None
    dates, rule = _dates(m, year, half)
    if m["since"]:
        dates = tuple(When.parse(f"{lower_text(d)}/..") for d in dates)
        rule += ", 以来: open-ended"
    if m["until"]:
        dates = tuple(When.parse(f"../{upper_text(d)}") for d in dates)
        rule = "截至 " + rule
    if from_context:
        rule += ", year from " + ("the publication" if m["rel"] or context.year is None else "the context")
    return Mention(m.start(), m.end(), dates, rule, from_context)


def _dates(m: re.Match[str], year: int, half: str | None) -> tuple[tuple[When, ...], str]:
    month, day = m["m"], m["d"]
    if m["ma"]:  # 1—6月
        return (When.parse(f"{_point(year, m['ma'])}/{_point(year, m['mb'])}"),), "a range of months"
    if m["yy"] and not month:
        return (When.parse(_span(str(year), m["yy"])),), "a range of years"
    if m["list"]:
        months = [month, *re.findall(r"\d{1,2}", m["list"])]
        return tuple(When.parse(_point(year, x)) for x in months), "a list of months"
    if m["m2"] or m["d2"] or m["y2"]:
        end_year = int(m["y2"]) if m["y2"] else year
        end_month = m["m2"] or month
        end_day = m["d2"] if (m["d2"] and day) else None
        start = _point(year, month, day if end_day else None)
        return (When.parse(_span(start, _point(end_year, end_month, end_day))),), "a range with 至"
    if month:
        return (When.parse(_point(year, month, day)),), "年月日" if day else "年月"
    if half in ("上半年", "下半年"):
        first, last = ("01", "06") if half == "上半年" else ("07", "12")
        return (When.parse(f"{year}-{first}/{year}-{last}"),), half
    if half in ("年底", "年末", "底", "末"):
        return (When.parse(f"{year}-12"),), "年底: December"
    return (When.parse(str(year)),), "全年" if half == "全年" else "年"

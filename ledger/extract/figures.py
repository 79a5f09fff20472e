"""The figures of a clause: where each amount is, which metric it counts, its exact value.

The value, unit and qualifier are the amount parser's (`events.parse_amount`), so a drafted
figure reads exactly as the same text given to `append --measure`. This module only says
where an amount is and what it counts, from the words around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from events import METRICS, InvalidValue, Kind, Measure, parse_amount

_NUMBER = re.compile(r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+")
# 签约 and 最近 end in a qualifier's character without being one.
_PREFIX = re.compile(r"(?:大约|将近|超过|逾|(?<![签合预节制])约|(?<![最将接])近)$")
# The longest amount after a number: 30多亿元, 12万平方米, 50家以上.
_LONGEST = 7
# A figure after 其中 is a part of the one before it (约16万平方米, 其中地上约14万平方米):
# recorded, it would be counted twice.
_PART = re.compile(r"其中")

_MONEY = re.compile(r"^[多余]?(?:万亿|亿|万|千)?[多余]?元")
_AREA = re.compile(r"^[多余]?(?:万|千)?[多余]?平方(?:公里|米)")
_PERSONS = re.compile(r"^[多余]?(?:万|千)?[多余]?(?:名|人|位)")


@dataclass(frozen=True, slots=True)
class Figure:
    start: int
    end: int
    measure: Measure


def _counter(after: str, counters: str) -> bool:
    return bool(re.match(rf"[多余]?(?:万|千)?[多余]?(?:{counters})", after))


def metric_for(before: str, after: str, kind: Kind | None) -> str | None:
    """The metric an amount counts, from the words before it, the words after it and the kind."""
    if _MONEY.match(after):
        if "销售额" in before:
            return "sales"
        if "成交额" in before:
            return "intended_deal_value"
        if "订单" in before:
            return "order_value"
        if kind is Kind.PROJECT_MILESTONE:
            return "total_investment"
        if re.search(r"投资|签约|签订|项目", before + after):
            return "signed_investment"
        return None
    if _AREA.match(after):
        return "area" if "公里" in after[:6] or "占地" in before else "floor_area"
    if _PERSONS.match(after):
        if "专家" in after:
            return "experts"
        if "干部" in after:
            return "cadres_seconded"
        if re.search(r"工作人员|员工", after) or re.search(r"招录|招聘", before):
            return "staff_hired"
        if re.search(r"培训|跟岗|教师|学员", before + after) or kind is Kind.TRAINING:
            return "people_trained"
        return None
    if _counter(after, "个"):
        if "岗位" in before:
            return "jobs_offered"
        if "订单" in before:
            return "orders"
        if "项目" in before + after:
            return "projects_listed" if re.search(r"收集|项目册|清单|编制|储备", before) else "projects_signed"
        return None
    if _counter(after, "家"):
        if "企业" in after:
            return "companies_participating"
        if "单位" in after:
            return "organisations"
        if re.search(r"景区|基地|场馆|门店", after):
            return "sites"
        return None
    if _counter(after, "所") and "学校" in after:
        return "schools"
    if _counter(after, "项") and "需求" in before:
        return "requirements_published"
    if _counter(after, "种|大") and re.search(r"产品|特产", after):
        return "products_shown"
    if _counter(after, "批") and re.search(r"选派|干部", before + after):
        return "batches"
    if _counter(after, "辆") and "年产" in before:
        return "production_capacity"
    return None


def find(text: str, start: int, end: int, kind: Kind | None, skip: list[tuple[int, int]]) -> list[Figure]:
    """The figures in text[start:end], leaving out the numbers inside the ranges `skip` (dates)."""
    figures: list[Figure] = []
    for m in _NUMBER.finditer(text, start, end):
        a, b = m.start(), m.end()
        if any(s <= a < e for s, e in skip) or (figures and a < figures[-1].end):
            continue
        if text[a - 1:a] == "第" or m.group(0) == "一":  # an ordinal, or 一 as "a" (一批, 一次)
            continue
        before, after = text[start:a], text[b:min(end, b + 16)]
        if _PART.search(before):
            continue
        metric = metric_for(before, after, kind)
        if metric is None:
            continue
        prefix = _PREFIX.search(before[-3:])
        first = a - (len(prefix.group(0)) if prefix else 0)
        figure = _longest(text, first, b, end, metric)
        if figure:
            figures.append(figure)
    return figures


def _longest(text: str, first: int, number_end: int, end: int, metric: str) -> Figure | None:
    for stop in range(min(end, number_end + _LONGEST), number_end, -1):
        amount = text[first:stop]
        try:
            value, unit, qualifier = parse_amount(amount, METRICS[metric])
        except InvalidValue:
            continue
        return Figure(first, stop, Measure(metric, value, unit, qualifier, amount))
    return None

"""What kind of item a clause reports, from the words it uses; and whether it is a plan."""

from __future__ import annotations

import re

from events import Kind, When
from events.when import Precision

# In order: the first kind whose words a clause has is its kind (a 培训合作框架协议 is an
# agreement, not a training; a 展销中心 unveiled is an unveiling).
_WORDS: tuple[tuple[Kind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(words))
    for kind, words in (
        (Kind.JOB_FAIR, r"招聘会|招聘活动"),
        (Kind.TRADE_FAIR, r"对接会|交易会|博览会|展销会|展会|馆日"),
        (Kind.COMPANY_INCORPORATED, r"成立.{0,24}公司|工商注册"),
        (Kind.PARK_UNVEILED, r"揭牌|挂牌"),
        (Kind.AGREEMENT_SIGNED, r"(?:签订|签署|缔结).{0,30}(?:协议|备忘录)|合作意向|框架协议"),
        (Kind.PROJECT_SIGNED, r"签约|签订项目|落户|落地|引进.{0,10}项目"),
        (Kind.PROJECT_MILESTONE, r"开工|竣工|下线|投产|加快建设|开始.{0,8}建设"),
        (Kind.SECONDMENT, r"跟班学习|挂职"),
        (Kind.TRAINING, r"培训|跟岗"),
        (Kind.MEETING, r"座谈会|大会|会谈|会议|交流会|推进会"),
        (Kind.DELEGATION_VISIT, r"代表团|考察|组团|带队|率队|走访|互访|来淮|赴.{1,8}对接"),
        (Kind.PROMOTION, r"推介|宣传|展销"),
        (Kind.EXCHANGE, r"交流|观摩|互学"),
    )
)
# 将 and 计划 announce a plan; 将近 is a qualifier and 计划总投资 a project's stated investment.
_PLANNED = re.compile(r"将(?!近)|计划(?!总投资|投资)")
# Words of a figure reported for a whole period rather than for one event.
_PERIOD = re.compile(r"累计|全年|共(?:计|有)?(?=[\d零〇一二两三四五六七八九十百千约近超逾])")
# A repeated event told once: 先后两次组团来淮.
_TIMES = re.compile(r"(?<![\d十百千])(?:先后)?(两|二|三|四|五|2|3|4|5)次")
_COUNT = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5}


def kind_of(clause: str) -> tuple[Kind, str] | None:
    """The kind a clause reports and the words that say so, or None."""
    for kind, words in _WORDS:
        m = words.search(clause)
        if m:
            return kind, m.group(0)
    return None


def words_end(clause: str, kind: Kind) -> int:
    """Where the words naming `kind` end in the clause (the clause's end if they are not in it)."""
    for k, words in _WORDS:
        if k is kind:
            m = words.search(clause)
            return m.end() if m else len(clause)
    return len(clause)


def planned(text: str) -> bool:
    return bool(_PLANNED.search(text))


def is_period(text: str, when: When, has_figures: bool) -> bool:
    """A figure over a year, a half-year or 'since': a period report, not one event."""
    if when.lower is None:
        return False
    spans_period = when.upper is None or when.precision is Precision.YEAR or (
        (when.lower.year, when.lower.month) != (when.upper.year, when.upper.month)
    )
    return has_figures and spans_period and bool(_PERIOD.search(text))


def times(text: str) -> int:
    """How many events a clause tells at once (先后两次 is 2), 1 if it does not say."""
    m = _TIMES.search(text)
    if not m:
        return 1
    return _COUNT.get(m[1]) or int(m[1])

"""Synthetic events in the import format (JSON lines), and the same events as a ledger journal.

Everything is written line by line from a seeded generator, so a million events never sit
in memory and the same seed gives the same file.
"""

from __future__ import annotations

import calendar
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from events import METRICS, Kind, When

SEED = 20240101
FIRST_YEAR, LAST_YEAR = 2000, 2030

SCOPES = [
    "闵行区", "淮南市", "闵行区·淮南市", "莘庄工业区", "淮南高新区", "淮南经开区", "华漕镇", "浦江镇",
    "谢家集区", "田家庵区", "大通区", "八公山区", "潘集区", "凤台县", "寿县", "毛集实验区", "七宝镇",
    "梅陇镇", "颛桥镇", "马桥镇", "吴泾镇", "虹桥镇", "莘庄镇", "江川路街道", "古美路街道", "新虹街道",
    "紫竹高新区", "闵行经开区", "淮南市文旅局", "闵行区教育学院",
]

# Which metrics each kind reports; kinds not listed mostly report none.
KIND_METRICS: dict[Kind, tuple[str, ...]] = {
    Kind.PROJECT_SIGNED: ("signed_investment", "projects_signed", "production_capacity"),
    Kind.PROJECT_MILESTONE: ("total_investment", "floor_area"),
    Kind.PARK_UNVEILED: ("area", "sites", "floor_area"),
    Kind.AGREEMENT_SIGNED: ("organisations",),
    Kind.COMPANY_INCORPORATED: ("signed_investment",),
    Kind.JOB_FAIR: ("jobs_offered", "companies_participating", "staff_hired"),
    Kind.TRAINING: ("people_trained", "batches"),
    Kind.SECONDMENT: ("cadres_seconded", "batches"),
    Kind.TRADE_FAIR: ("sales", "deal_value", "companies_participating", "products_shown"),
    Kind.PROMOTION: ("deal_value", "orders", "products_shown"),
    Kind.EXCHANGE: ("experts", "schools"),
    Kind.MEETING: ("organisations", "requirements_published"),
    Kind.DELEGATION_VISIT: ("organisations",),
    Kind.OTHER: ("projects_listed", "sites", "requirements_published"),
}

# How often each kind occurs (period reports are rare: a few per thousand).
KIND_WEIGHTS: dict[Kind, float] = {
    Kind.DELEGATION_VISIT: 20, Kind.MEETING: 14, Kind.PROJECT_SIGNED: 12, Kind.AGREEMENT_SIGNED: 6,
    Kind.PROJECT_MILESTONE: 5, Kind.PARK_UNVEILED: 2, Kind.COMPANY_INCORPORATED: 3, Kind.JOB_FAIR: 5,
    Kind.TRAINING: 8, Kind.SECONDMENT: 4, Kind.TRADE_FAIR: 5, Kind.PROMOTION: 5, Kind.EXCHANGE: 6,
    Kind.OTHER: 4, Kind.PERIOD_REPORT: 0.3,
}

# The range of a figure, by unit: CNY in whole yuan, the rest as counts or square metres.
VALUE_RANGES: dict[str, tuple[int, int, int]] = {  # low, high, step
    "CNY": (1, 5000, 10**6),
    "persons": (1, 2000, 1),
    "projects": (1, 60, 1),
    "orders": (1, 500, 1),
    "batches": (1, 12, 1),
    "jobs": (10, 5000, 1),
    "companies": (2, 300, 1),
    "organisations": (2, 80, 1),
    "schools": (1, 40, 1),
    "sites": (1, 20, 1),
    "products": (10, 3000, 1),
    "requirements": (1, 200, 1),
    "m2": (1, 20000, 100),
    "vehicles_per_year": (1, 300, 1000),
}

QUALIFIERS = [("exact", 60), ("approx", 15), ("more_than", 12), ("at_least", 8), ("nearly", 5)]
_PREFIX = {"exact": "", "approx": "约", "nearly": "近", "more_than": "超过", "at_least": ""}
_SUFFIX = {"at_least": "以上"}

ACTIONS = {
    Kind.PARK_UNVEILED: "合作园区揭牌", Kind.DELEGATION_VISIT: "考察交流", Kind.MEETING: "召开推进会",
    Kind.AGREEMENT_SIGNED: "签订合作协议", Kind.PROJECT_SIGNED: "项目签约落地", Kind.PROJECT_MILESTONE: "项目开工建设",
    Kind.COMPANY_INCORPORATED: "合资公司注册成立", Kind.JOB_FAIR: "举办专场招聘会", Kind.TRAINING: "举办专题培训班",
    Kind.SECONDMENT: "选派干部跟班学习", Kind.TRADE_FAIR: "参加产销对接会", Kind.PROMOTION: "开展产品推介",
    Kind.EXCHANGE: "开展教育交流", Kind.PERIOD_REPORT: "年度合作成效", Kind.OTHER: "推进产业合作",
}


def _pick(rng: random.Random, pairs: list[tuple[Any, float]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _day(rng: random.Random, year: int, month: int) -> int:
    return rng.randint(1, calendar.monthrange(year, month)[1])


def random_date(rng: random.Random) -> tuple[str, list[str]]:
    """An EDTF date of a random precision between 2000 and 2030, and the flags it implies."""
    year, month = rng.randint(FIRST_YEAR, LAST_YEAR), rng.randint(1, 12)
    roll = rng.random()
    if roll < 0.60:
        return f"{year}-{month:02d}-{_day(rng, year, month):02d}", []
    if roll < 0.85:
        return f"{year}-{month:02d}", (["year_from_context"] if rng.random() < 0.05 else [])
    if roll < 0.88:
        return f"{year}", []
    if roll < 0.94:  # a few days, e.g. a three-day fair
        first = _day(rng, year, month)
        last = min(first + rng.randint(1, 4), calendar.monthrange(year, month)[1])
        return f"{year}-{month:02d}-{first:02d}/{year}-{month:02d}-{last:02d}", []
    if roll < 0.996:  # a few months
        last = min(month + rng.randint(1, 5), 12)
        return f"{year}-{month:02d}/{year}-{last:02d}", []
    if roll < 0.997:
        return f"{year}/..", []
    return f"../{year}-{month:02d}", ["undated"]


def random_measure(rng: random.Random, metric: str) -> dict[str, str]:
    unit = METRICS[metric].unit
    low, high, step = VALUE_RANGES[unit]
    value = rng.randint(low, high) * step
    qualifier = _pick(rng, QUALIFIERS)  # type: ignore[arg-type]
    text = f"{_PREFIX[qualifier]}{value}{_SUFFIX.get(qualifier, '')} {unit}"
    return {"metric": metric, "value": str(value), "unit": unit, "qualifier": qualifier, "text": text}


def random_item(rng: random.Random, n: int) -> dict[str, Any]:
    kind = _pick(rng, list(KIND_WEIGHTS.items()))
    scope = rng.choice(SCOPES)
    other = rng.choice(SCOPES)
    if kind is Kind.PERIOD_REPORT:
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        date, flags = (f"{year}" if rng.random() < 0.7 else f"{year}-01/{year}-06"), []
        measures = [random_measure(rng, "projects_signed"), random_measure(rng, "signed_investment")]
    else:
        date, flags = random_date(rng)
        metrics = KIND_METRICS[kind]
        count = rng.choices([0, 1, 2, 3], weights=[35, 40, 18, 7])[0] if kind in (
            Kind.DELEGATION_VISIT, Kind.MEETING) else rng.choices([0, 1, 2, 3], weights=[10, 50, 30, 10])[0]
        measures = [random_measure(rng, m) for m in rng.sample(metrics, min(count, len(metrics)))]
    if rng.random() < 0.03:
        flags = [*flags, "planned"]
    title = f"{scope}与{other}{ACTIONS[kind]}(第{n % 97 + 1}次)"
    quote = (
        f"据悉,{scope}相关负责人与{other}有关部门{ACTIONS[kind]},双方围绕产业协作、园区共建、人才交流等"
        f"方面深入交流,并就下一步合作达成共识。" + "".join(m["text"] for m in measures)
    )
    return {
        "id": f"bench-{n:08d}",
        "kind": kind.value,
        "date": date,
        "title": title,
        "scope": scope,
        "actors": [scope, other] if other != scope else [scope],
        "places": [other],
        "measures": measures,
        "source": {"document": f"bench-source-{n // 50:06d}", "quote": quote, "published": date.split("/")[-1]
                   if not date.endswith("..") else date.split("/")[0]},
        "flags": sorted(flags),
        "note": "A synthetic benchmark item." if rng.random() < 0.1 else "",
    }


def items(count: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for n in range(count):
        yield random_item(rng, n)


def write_jsonl(path: Path, count: int, seed: int = SEED) -> Path:
    """Write `count` synthetic items to `path`, one JSON object a line."""
    with path.open("w", encoding="utf-8") as out:
        for item in items(count, seed):
            out.write(json.dumps(item, ensure_ascii=False))
            out.write("\n")
    return path


def write_journal(jsonl: Path, journal: Path) -> Path:
    """The same items as a ledger-cli/hledger journal: a transaction each, dated by its first day.

    Each item posts 1 "items" to Items:<kind> and each measure to Measures:<metric>, all
    balanced by one amountless Equity posting; an item with no first day (`../2024-03`)
    is dated by its last.
    """
    with jsonl.open(encoding="utf-8") as lines, journal.open("w", encoding="utf-8") as out:
        for line in lines:
            item = json.loads(line)
            when = When.parse(item["date"])
            day = when.lower or when.upper
            assert day is not None
            out.write(f"{day.isoformat()} {item['title']}\n")
            out.write(f"    Items:{item['kind']}  1 \"items\"\n")
            for m in item["measures"]:
                out.write(f"    Measures:{m['metric']}  {m['value']} \"{m['unit']}\"\n")
            out.write("    Equity\n\n")
    return journal

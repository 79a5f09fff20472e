"""The seed dataset: ledger/data/article.jsonl, the events of the source article.

These tests hold the dataset to its source: every line is a valid item that
round-trips exactly, every quote is in the article, every figure reads back from
its text, every date the article mentions is quoted by some event, and a
hand-checked sample of events has exactly the values read off the article.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from events import METRICS, Flag, Item, Qualifier, Source, When, parse_amount
from events.names import BOTH, normalize

try:  # the ledger package may have no __init__ (then it is a namespace package)
    import ledger

    _DATA = Path(ledger.__file__).parent / "data" if getattr(ledger, "__file__", None) else None
except ImportError:  # pragma: no cover
    _DATA = None
DATA = _DATA or Path(__file__).resolve().parents[1] / "ledger" / "data"

DOCUMENT = "hnrb-minhang-huainan-2024"
PUBLISHED = "2024-01/2024-03"
KEYS = ["id", "kind", "date", "title", "scope", "actors", "places", "measures", "source", "flags", "note"]
PUBLICATION_END = date(2024, 3, 31)


def _lines() -> list[dict]:
    text = (DATA / "article.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


LINES = _lines()
ARTICLE = (DATA / "article.txt").read_text(encoding="utf-8")
BY_ID = {d["id"]: d for d in LINES}


def _squeeze(text: str) -> tuple[str, list[int]]:
    """`text` without white space, and for each kept character its index in `text`."""
    kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(ch for _, ch in kept), [i for i, _ in kept]


ARTICLE_SQUEEZED, ARTICLE_INDEX = _squeeze(ARTICLE)


def quote_spans(quote: str) -> list[tuple[int, int]]:
    """Every span [start, end) of the article the quote's first piece stands for, white
    space ignored; none unless every piece of the quote is in the article."""
    pieces = Source("doc", quote).pieces
    if not pieces or not all(_piece_spans(p) for p in pieces[1:]):
        return []
    return _piece_spans(pieces[0])


def _piece_spans(quote: str) -> list[tuple[int, int]]:
    needle, _ = _squeeze(quote)
    spans, start = [], ARTICLE_SQUEEZED.find(needle)
    while needle and start >= 0:
        spans.append((ARTICLE_INDEX[start], ARTICLE_INDEX[start + len(needle) - 1] + 1))
        start = ARTICLE_SQUEEZED.find(needle, start + 1)
    return spans


# --- every line is a valid item ------------------------------------------------------


def test_the_article_copy_is_the_source_article():
    # The project's shared folder stands beside the checkout (and beside CI's clone).
    source = Path(__file__).resolve().parents[2] / "shared" / "source" / "article.txt"
    if not source.exists():
        pytest.skip("the shared source article is not on this machine")
    assert (DATA / "article.txt").read_bytes() == source.read_bytes()


def test_the_dataset_is_not_empty_and_each_line_is_one_json_object():
    raw = (DATA / "article.jsonl").read_text(encoding="utf-8")
    assert raw.endswith("\n")
    for number, line in enumerate(raw.splitlines(), 1):
        assert line.strip(), f"line {number} is blank"
        assert isinstance(json.loads(line), dict), f"line {number}"
        # written with ensure_ascii=False: Chinese as itself, not \\u escapes
        assert "\\u" not in line, f"line {number} has escaped characters"
    assert LINES


@pytest.mark.parametrize("data", LINES, ids=[d["id"] for d in LINES])
def test_every_line_loads_and_round_trips_exactly(data):
    assert list(data) == KEYS
    assert Item.from_dict(data).to_dict() == data


def test_ids_are_unique_stable_slugs_that_start_with_the_year():
    ids = [d["id"] for d in LINES]
    assert len(ids) == len(set(ids))
    for d in LINES:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", d["id"]), d["id"]
        when = When.parse(d["date"])
        if "undated" in d["flags"]:
            assert d["id"].startswith("undated-"), d["id"]
        else:
            assert when.lower is not None, d["id"]
            assert d["id"].startswith(f"{when.lower.year}-"), d["id"]


def test_every_line_names_the_article_as_its_source():
    for d in LINES:
        assert d["source"]["document"] == DOCUMENT, d["id"]
        assert d["source"]["published"] == PUBLISHED, d["id"]


def test_names_are_written_normalized():
    for d in LINES:
        for name in [d["scope"], *d["actors"], *d["places"]]:
            assert normalize(name) == name, (d["id"], name)
        assert d["scope"], d["id"]


def test_the_lines_are_in_article_order():
    starts = [min(s for s, _ in quote_spans(d["source"]["quote"])) for d in LINES]
    assert starts == sorted(starts)


# --- quotes and figures --------------------------------------------------------------


@pytest.mark.parametrize("data", LINES, ids=[d["id"] for d in LINES])
def test_every_quote_is_in_the_article(data):
    quote = data["source"]["quote"]
    assert quote, data["id"]
    assert quote_spans(quote), f"{data['id']}: quote not in the article: {quote}"


def test_quotes_are_verbatim_on_one_line_except_where_the_article_breaks_a_word():
    # The article breaks 淮南牛肉|汤 over two lines inside the 2023-12 fair's sentence;
    # that one quote joins the break. Every other quote's pieces are verbatim as they
    # stand: one piece, or two around a photo caption (the 2023-04-25 delegation).
    joined = {d["id"] for d in LINES if not all(p in ARTICLE for p in Source("doc", d["source"]["quote"]).pieces)}
    assert joined == {"2023-12-trade-matchmaking-fair"}
    in_pieces = {d["id"] for d in LINES if len(Source("doc", d["source"]["quote"]).pieces) > 1}
    assert in_pieces == {"2023-04-25-minhang-delegation-huainan"}


def test_the_delegation_of_april_25_says_who_came():
    quote = BY_ID["2023-04-25-minhang-delegation-huainan"]["source"]["quote"]
    assert quote.startswith("2023年4月25日至26日,闵行区…相关负责人率该区投资促进中心")
    assert quote.endswith("组成代表团来淮考察")


@pytest.mark.parametrize("data", [d for d in LINES if d["measures"]], ids=lambda d: d["id"])
def test_every_measure_reads_back_from_its_text_in_the_quote(data):
    for m in data["measures"]:
        assert m["text"], (data["id"], m)
        assert m["text"] in data["source"]["quote"], (data["id"], m["text"])
        value, unit, qualifier = parse_amount(m["text"], METRICS[m["metric"]])
        assert (value, unit, qualifier) == (Decimal(m["value"]), m["unit"], Qualifier(m["qualifier"])), (
            data["id"], m,
        )


# An amount in the article: a number with its counter word (dates have none).
AMOUNT = re.compile(
    r"(?P<pre>约|近|超过|逾)?(?P<core>\d+(?:\.\d+)?(?:多|余)?(?:万亿|亿|万|千)?(?:多|余)?"
    r"(?:平方公里|平方米|元|名|人|位|个|家|项|批|所|种|辆|次|场|件|户|单)(?:以上|多|余)?)"
)
# Amounts deliberately not recorded as a measure, each with its reason.
NOT_RECORDED = {
    # the second mention of the park's cooperation area: recorded once, on the unveiling
    ("约5平方公里", "选定约5平方公里"),
    # the above-ground part of the 约16万平方米: a second floor_area would be counted twice
    ("约14万平方米", "地上建筑面积约14万平方米"),
}


def amounts_in(text: str) -> list[tuple[int, int, str]]:
    """Each amount's span and text; a 约 that ends a word (签约48个) is not its prefix."""
    found = []
    for m in AMOUNT.finditer(text):
        start = m.start()
        if m["pre"] == "约" and text[start - 1:start] in ("签", "大", "节", "预", "合"):
            start = m.start("core")
        found.append((start, m.end(), text[start:m.end()]))
    return found


def test_the_amount_scanner_finds_amounts_and_not_dates():
    found = [t for _, _, t in amounts_in("2023年签约48个上海项目共461.51亿元,近200名,1700余个,约5平方公里,6批54名")]
    assert found == ["48个", "461.51亿元", "近200名", "1700余个", "约5平方公里", "6批", "54名"]
    assert amounts_in("2023年4月14日至16日,第八届,“3361”教育名师") == []


def test_every_amount_in_the_article_is_a_measure_of_an_event_quoting_it():
    covered = []
    for d in LINES:
        texts = {m["text"] for m in d["measures"]}
        covered += [(s, e, texts) for s, e in quote_spans(d["source"]["quote"])]
    missing = []
    for start, end, text in amounts_in(ARTICLE):
        context = ARTICLE[max(0, start - 8):end]
        if any(text == t and c in ARTICLE[max(0, start - 12):end] for t, c in NOT_RECORDED):
            continue
        if not any(s <= start and end <= e and text in texts for s, e, texts in covered):
            missing.append(f"{text} at {start}: …{context}")
    assert not missing, "amounts no event records:\n" + "\n".join(missing)


# --- every date the article mentions is quoted by some event -------------------------

# A year (also inside names such as "(2023·上海)" or "2023“江南吃货节”": the year dates
# the fair, so an event must quote it), optionally with month, day, a day range (至)
# and 以来; or a month without its year ("4月," "、11月"), which takes its year from
# the context. Relative words (近年来, 近期, 全年, 每年) are not dates; 第八届 is not a date.
YEAR_DATE = r"(?<!\d)(?:19|20)\d{2}(?!\d)(?:年(?:\d{1,2}月(?:\d{1,2}日)?(?:至(?:\d{1,2}月)?\d{1,2}日)?)?(?:以来)?)?"
BARE_MONTH = r"(?<![\d年])\d{1,2}月(?:\d{1,2}日)?(?:至(?:\d{1,2}月)?\d{1,2}日)?"
DATE_MENTION = re.compile(f"{YEAR_DATE}|{BARE_MONTH}")


def date_mentions(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in DATE_MENTION.finditer(text)]


def test_the_date_scanner_finds_every_kind_of_date_mention():
    def found(text):
        return [t for _, _, t in date_mentions(text)]

    assert found("2023年6月、11月,淮南高新区") == ["2023年6月", "11月"]
    assert found("2023年3月,……;4月,淮南市名师工作室") == ["2023年3月", "4月"]
    assert found("2023年4月14日至16日,淮南市") == ["2023年4月14日至16日"]
    assert found("2023年2月18日,在第二届") == ["2023年2月18日"]
    assert found("2021年以来,淮南市级选派6批54名") == ["2021年以来"]
    assert found("2024年,两地将") == ["2024年"]
    assert found("中国农业产业化交易会(2023·上海)") == ["2023"]
    assert found("举办的2023“江南吃货节”") == ["2023"]
    assert found("第八届中国创新挑战赛,“3361”教育名师,近年来,近期,全年,投资月签") == []


def test_the_coverage_check_can_fail():
    spans = [(0, 10)]
    text = "2023年6月、11月,x"
    uncovered = [t for s, e, t in date_mentions(text) if not any(a <= s and e <= b for a, b in spans)]
    assert uncovered == ["11月"]


def test_every_date_mention_in_the_article_is_quoted_by_an_event():
    spans = [span for d in LINES for span in quote_spans(d["source"]["quote"])]
    missing = [
        f"{text} at {start}: …{ARTICLE[max(0, start - 10):end + 10]}…"
        for start, end, text in date_mentions(ARTICLE)
        if not any(s <= start and end <= e for s, e in spans)
    ]
    assert not missing, "date mentions no event quotes:\n" + "\n".join(missing)


def test_every_event_with_a_date_in_its_sentence_quotes_it():
    # An event dated from the text carries its date expression in the quote; the
    # exceptions are the flagged ones (undated, year from context) and 近期.
    for d in LINES:
        if {"undated", "year_from_context"} & set(d["flags"]):
            continue
        if d["id"] == "2023-12-park-company-staff-hired":  # 近期, after the 2023-12 incorporation
            continue
        assert date_mentions(d["source"]["quote"]), d["id"]


# --- flags: plans, undated facts, years from context ---------------------------------


def test_plans_carry_the_planned_flag_and_are_dated_2024_or_undated():
    plans = [d for d in LINES if "planned" in d["flags"]]
    assert plans
    for d in plans:
        if "undated" in d["flags"]:  # a target stated without a date (全力打造...)
            assert When.parse(d["date"]).upper <= PUBLICATION_END, d["id"]
        else:
            assert d["date"] == "2024", d["id"]
        assert "将" in d["source"]["quote"] or "打造" in d["source"]["quote"], d["id"]
    for d in LINES:  # every 2024 event is a plan: the article reports nothing done in 2024
        if d["date"].startswith("2024"):
            assert "planned" in d["flags"], d["id"]
        assert Item.from_dict(d).planned == ("planned" in d["flags"])


def test_undated_facts_are_bounded_by_the_publication_and_say_so():
    undated = [d for d in LINES if "undated" in d["flags"]]
    assert undated
    for d in undated:
        when = When.parse(d["date"])
        assert when.lower is None and when.upper is not None, d["id"]
        assert when.upper <= PUBLICATION_END, d["id"]
        assert "no date" in d["note"], d["id"]


def test_no_event_is_dated_after_the_publication_unless_planned():
    for d in LINES:
        when = When.parse(d["date"])
        if "planned" not in d["flags"] and when.lower is not None:
            assert when.lower <= PUBLICATION_END, d["id"]


def test_years_from_context_are_flagged_and_explained():
    flagged = [d for d in LINES if "year_from_context" in d["flags"]]
    assert flagged
    for d in flagged:
        assert "context" in d["note"], d["id"]
    # the month written without its year in "2023年3月,……;4月,淮南市名师工作室"
    assert "year_from_context" in BY_ID["2023-04-master-teachers-training"]["flags"]


def test_since_year_facts_are_open_ended():
    for d in LINES:
        quote = d["source"]["quote"]
        since = re.search(r"((?:19|20)\d{2})年以来", quote)
        if since and d["kind"] in {"period_report", "exchange", "promotion", "agreement_signed"}:
            assert d["date"] == f"{since.group(1)}/..", d["id"]


def test_period_reports_have_figures_and_a_period():
    reports = [d for d in LINES if d["kind"] == "period_report"]
    assert reports
    for d in reports:
        assert d["measures"], d["id"]
        assert "/" in d["date"] or re.fullmatch(r"\d{4}", d["date"]), d["id"]


def test_both_sides_scope_is_the_names_constant():
    assert BOTH == "闵行区·淮南市"
    assert BY_ID["2023-06-13-job-fair"]["scope"] == BOTH


# --- a hand-checked sample: every value read off the article -------------------------

CNY, M2 = "CNY", "m2"
EXACT, APPROX, NEARLY, MORE = "exact", "approx", "nearly", "more_than"
SAMPLE = [
    # id, date, kind, scope, flags, measures (metric, value, unit, qualifier)
    ("2023-02-18-sci-park-unveiled", "2023-02-18", "park_unveiled", "闵行区·淮南市", [],
     [("area", "5000000", M2, APPROX)]),
    ("2023-04-14-huainan-delegation-shanghai", "2023-04-14/2023-04-16", "delegation_visit", "淮南市", [], []),
    ("2023-04-14-pairing-symposium", "2023-04-14", "meeting", "闵行区·淮南市", [], []),
    ("2023-04-25-minhang-delegation-huainan", "2023-04-25/2023-04-26", "delegation_visit", "闵行区", [], []),
    ("2023-06-hitech-zone-visit-minhang", "2023-06", "delegation_visit", "淮南高新区", [], []),
    ("2023-11-hitech-zone-visit-minhang", "2023-11", "delegation_visit", "淮南高新区", [], []),
    ("2023-12-park-company-incorporated", "2023-12", "company_incorporated", "闵行区·淮南市", [], []),
    ("2023-12-park-company-staff-hired", "2023-12/2024-03", "other", "闵行区·淮南市", [],
     [("staff_hired", "3", "persons", EXACT)]),
    ("2022-04-yingzhong-project-signed", "2022-04", "project_signed", "淮南高新区", [],
     [("signed_investment", "2000000000", CNY, EXACT)]),
    ("2023-05-yingzhong-completion-accepted", "2023-05", "project_milestone", "淮南高新区", [], []),
    ("2023-03-kaiwo-construction-start", "2023-03", "project_milestone", "淮南高新区", [],
     [("total_investment", "5500000000", CNY, EXACT)]),
    ("2023-10-28-kaiwo-roll-off", "2023-10-28", "project_milestone", "淮南高新区", [], []),
    ("undated-nev-120k-project-signed", "../2024-03", "project_signed", "淮南高新区", ["undated"],
     [("signed_investment", "5000000000", CNY, EXACT),
      ("production_capacity", "120000", "vehicles_per_year", EXACT)]),
    ("undated-deli-ev-project", "../2024-03", "project_signed", "淮南高新区", ["undated"],
     [("signed_investment", "5000000000", CNY, EXACT),
      ("production_capacity", "100000", "vehicles_per_year", EXACT)]),
    ("2023-huainan-shanghai-projects-report", "2023", "period_report", "淮南市", [],
     [("projects_signed", "48", "projects", EXACT), ("signed_investment", "46151000000", CNY, EXACT)]),
    ("2023-hitech-zone-projects-report", "2023", "period_report", "淮南高新区", ["year_from_context"],
     [("projects_signed", "20", "projects", EXACT), ("signed_investment", "23455000000", CNY, EXACT)]),
    ("2023-01-13-sales-centre-opened", "2023-01-13", "other", "淮南名特优农产品上海展销中心", [],
     [("floor_area", "600", M2, EXACT), ("products_shown", "5", "products", EXACT)]),
    ("2023-sales-centre-annual-sales", "2023", "period_report", "淮南名特优农产品上海展销中心", [],
     [("sales", "69120000", CNY, EXACT)]),
    ("2023-12-trade-matchmaking-fair", "2023-12", "trade_fair", "闵行区·淮南市", [],
     [("companies_participating", "29", "companies", EXACT), ("products_shown", "200", "products", NEARLY),
      ("intended_deal_value", "32000000", CNY, EXACT)]),
    ("2023-agri-expo-pavilion-day", "2023", "trade_fair", "闵行区·淮南市", [],
     [("orders", "21", "orders", EXACT), ("order_value", "4000000", CNY, EXACT)]),
    ("undated-agri-projects-signed", "../2024-03", "project_signed", "闵行区·淮南市", ["undated"],
     [("projects_signed", "26", "projects", EXACT), ("signed_investment", "3000000000", CNY, MORE)]),
    ("2023-minhang-tourism-visit-1", "2023", "delegation_visit", "闵行区", [], []),
    ("2023-minhang-tourism-visit-2", "2023", "delegation_visit", "闵行区", [], []),
    ("2023-04-master-teachers-training", "2023-04", "training", "淮南市", ["year_from_context"], []),
    ("2023-teachers-trained-report", "2023/..", "period_report", "淮南市", [],
     [("people_trained", "200", "persons", NEARLY)]),
    ("2023-04-teachers-job-shadowing", "2023-04", "training", "淮南市", [],
     [("people_trained", "5", "persons", EXACT)]),
    ("2023-school-pairings", "2023/..", "exchange", "淮南市", [], [("schools", "4", "schools", EXACT)]),
    ("2023-06-13-job-fair", "2023-06-13", "job_fair", "闵行区·淮南市", [],
     [("companies_participating", "50", "companies", EXACT), ("companies_participating", "40", "companies", EXACT),
      ("jobs_offered", "1700", "jobs", MORE)]),
    ("2021-city-cadres-seconded", "2021/..", "secondment", "淮南市", [],
     [("cadres_seconded", "54", "persons", EXACT), ("batches", "6", "batches", EXACT)]),
    ("2021-county-cadres-seconded", "2021/..", "secondment", "淮南市", [],
     [("cadres_seconded", "114", "persons", EXACT)]),
    ("undated-units-cooperation-agreements", "../2024-03", "agreement_signed", "闵行区·淮南市", ["undated"],
     [("organisations", "23", "organisations", EXACT)]),
    ("undated-industrial-carrier-target", "../2024-03", "other", "淮南高新区", ["planned", "undated"],
     [("floor_area", "1700000", M2, EXACT)]),
    ("2024-plan-scenic-spot-sales", "2024", "promotion", "淮南市", ["planned"], [("sites", "8", "sites", EXACT)]),
    ("2024-plan-all-round-cooperation", "2024", "other", "闵行区·淮南市", ["planned"], []),
]


@pytest.mark.parametrize("expected", SAMPLE, ids=[row[0] for row in SAMPLE])
def test_hand_checked_events(expected):
    id_, date_, kind, scope, flags, measures = expected
    assert id_ in BY_ID, id_
    d = BY_ID[id_]
    assert (d["date"], d["kind"], d["scope"], d["flags"]) == (date_, kind, scope, flags)
    got = [(m["metric"], m["value"], m["unit"], m["qualifier"]) for m in d["measures"]]
    assert got == measures


def test_the_two_tourism_visits_and_the_two_hitech_visits_are_told_apart():
    for first, second in [
        ("2023-minhang-tourism-visit-1", "2023-minhang-tourism-visit-2"),
        ("2023-06-hitech-zone-visit-minhang", "2023-11-hitech-zone-visit-minhang"),
    ]:
        a, b = BY_ID[first], BY_ID[second]
        assert a["source"]["quote"] == b["source"]["quote"]
        assert "第一次" in a["title"] and "第二次" in b["title"]


def test_a_figure_is_not_recorded_twice_for_one_project():
    # 英众: the 20亿元 is on the 2022-04 signing only; 开沃: the 55亿元 on its start only.
    investments = [
        (d["id"], m["metric"]) for d in LINES for m in d["measures"]
        if m["metric"] in {"signed_investment", "total_investment"}
        and ("英众" in d["title"] or "开沃" in d["title"])
    ]
    assert investments == [
        ("2022-04-yingzhong-project-signed", "signed_investment"),
        ("2023-03-kaiwo-construction-start", "total_investment"),
    ]


def test_flags_are_known():
    known = {f.value for f in Flag}
    for d in LINES:
        assert set(d["flags"]) <= known, d["id"]


# --- what a careful reader found (issue 22), each fixed ---------------------------------


def test_the_job_fair_title_drops_the_sources_garble_and_the_quote_keeps_it():
    fair = BY_ID["2023-06-13-job-fair"]
    assert "闵行闵行" not in fair["title"] and "闵行闵行" in fair["source"]["quote"]


def test_the_park_company_names_no_place_the_article_does_not_state():
    company = BY_ID["2023-12-park-company-incorporated"]
    assert company["places"] == [] and "the place is not stated" in company["note"]


def test_an_intent_is_not_recorded_as_a_signed_agreement():
    intent = BY_ID["undated-etdz-huacao-pairing-intent"]
    assert "意向" in intent["source"]["quote"] and intent["kind"] == "other"


def test_the_cadre_notes_say_one_thing():
    for item_id in ("2021-city-cadres-seconded", "2021-county-cadres-seconded"):
        note = BY_ID[item_id]["note"]
        assert BY_ID[item_id]["kind"] == "secondment"
        assert "Kind secondment rather than period_report" in note and ": period_report," not in note


def test_the_hr_platform_title_claims_only_what_its_quote_says():
    item = BY_ID["2023-hr-platform-sharing"]
    assert item["title"] == "依托人力资源信息服务平台互相发布招聘企业和人才信息"
    assert "人力资源信息服务平台" in item["source"]["quote"] and "发布招聘企业和人才信息" in item["source"]["quote"]


@pytest.mark.parametrize(("item_id", "phrase"), [
    ("undated-hitech-zone-zhejiang-team", "驻浙东地区招商工作组"),
    ("undated-minhang-incubation-base-unveiled", "分别挂牌闵行·淮南科创孵化基地"),
    ("undated-quarterly-joint-promotion", "每个季度,双方共同开展一次招商推介活动"),
    ("undated-minhang-investment-team", "组建闵行招商工作队"),
    ("undated-elderly-care-skills-contest", "养老护理职业技能竞赛"),
    ("undated-famous-doctors-studio", "名医工作室"),
    ("undated-annual-delegation-visits", "每年两地党政代表团分别开展互访"),
    ("undated-liaison-office", "协调联络办公室"),
])
def test_facts_the_article_states_have_an_item(item_id, phrase):
    assert phrase in BY_ID[item_id]["source"]["quote"]


def test_every_population_the_article_states_is_recorded():
    populations = {
        (d["id"], m["metric"]): m["population"] for d in LINES for m in d["measures"] if m["population"]
    }
    assert populations == {
        ("undated-nev-120k-project-signed", "signed_investment"): "沪苏浙项目",
        ("undated-nev-120k-project-signed", "production_capacity"): "沪苏浙项目",
        ("undated-nev-drive-thermal-project-signed", "signed_investment"): "沪苏浙项目",
        ("2023-hitech-zone-projects-report", "projects_signed"): "沪苏浙项目",
        ("2023-hitech-zone-projects-report", "signed_investment"): "沪苏浙项目",
        ("2023-huainan-shanghai-projects-report", "projects_signed"): "上海项目",
        ("2023-huainan-shanghai-projects-report", "signed_investment"): "上海项目",
        ("undated-agri-projects-signed", "projects_signed"): "农业项目",
        ("undated-agri-projects-signed", "signed_investment"): "农业项目",
    }

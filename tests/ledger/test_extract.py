"""Drafting items from a document: the recall of hand-made gold datasets, and the drafts' form.

Recall, as measured here.

A gold item is recovered by a draft with the same date bounds that has its kind or a quote
overlapping its quote (each draft recovers one item at most: a maximum matching). A gold
figure is recovered when a draft of the same date bounds, whose quote overlaps the item's,
carries the same metric, value, unit and qualifier.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from events import Item, When
from ledger.extract import Draft, draft


def read_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _squeeze(text: str) -> tuple[str, list[int]]:
    kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(ch for _, ch in kept), [i for i, _ in kept]


def gold_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Where a gold quote stands in the text, white space ignored (the gold joins broken lines)."""
    squeezed, index = _squeeze(text)
    needle, _ = _squeeze(quote)
    spans, at = [], squeezed.find(needle)
    while needle and at >= 0:
        spans.append((index[at], index[at + len(needle) - 1] + 1))
        at = squeezed.find(needle, at + 1)
    return spans


def _overlap(a: list[tuple[int, int]] | tuple[tuple[int, int], ...], b: list[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _bounds(when: When) -> tuple:
    return when.lower, when.upper


@dataclass(frozen=True)
class Recall:
    items: int
    items_found: int
    figures: int
    figures_found: int
    missed_items: tuple[str, ...]
    missed_figures: tuple[str, ...]

    @property
    def item_recall(self) -> float:
        return self.items_found / self.items

    @property
    def figure_recall(self) -> float:
        return self.figures_found / self.figures

    def report(self, name: str) -> str:
        return (
            f"{name}: dated items recovered {self.items_found}/{self.items} ({self.item_recall:.1%}), "
            f"figures recovered exactly {self.figures_found}/{self.figures} ({self.figure_recall:.1%})"
        )


def recall(text: str, gold: list[dict], drafts: list[Draft]) -> Recall:
    dated = [g for g in gold if "undated" not in g["flags"]]

    def fits(g: dict, d: Draft) -> bool:
        if _bounds(d.item.when) != _bounds(When.parse(g["date"])):
            return False
        return d.item.kind.value == g["kind"] or _overlap(d.spans, gold_spans(text, g["source"]["quote"]))

    candidates = [[i for i, d in enumerate(drafts) if fits(g, d)] for g in dated]
    owner: dict[int, int] = {}

    def assign(g: int, seen: set[int]) -> bool:  # Kuhn's augmenting path
        for i in candidates[g]:
            if i not in seen:
                seen.add(i)
                if i not in owner or assign(owner[i], seen):
                    owner[i] = g
                    return True
        return False

    matched = {g for g in range(len(dated)) if assign(g, set())}
    missed_items = tuple(dated[g]["id"] for g in range(len(dated)) if g not in matched)

    figures, found, missed_figures = 0, 0, []
    for g in gold:
        spans = gold_spans(text, g["source"]["quote"])
        bounds = _bounds(When.parse(g["date"]))
        near = [d for d in drafts if _bounds(d.item.when) == bounds and _overlap(d.spans, spans)]
        drafted = {(m.metric, str(m.value), m.unit, m.qualifier.value) for d in near for m in d.item.measures}
        for m in g["measures"]:
            figures += 1
            if (m["metric"], m["value"], m["unit"], m["qualifier"]) in drafted:
                found += 1
            else:
                missed_figures.append(f"{g['id']}: {m['metric']} {m['text']}")
    return Recall(len(dated), len(matched), figures, found, missed_items, tuple(missed_figures))


ROOT = Path(__file__).resolve().parents[2]
ARTICLE = (ROOT / "ledger" / "data" / "article.txt").read_text(encoding="utf-8")
GOLD = read_gold(ROOT / "ledger" / "data" / "article.jsonl")
DOCUMENT = "hnrb-minhang-huainan-2024"
PUBLISHED = When.parse("2024-01/2024-03")
DRAFTS = draft(ARTICLE, DOCUMENT, PUBLISHED)
KEYS = ["kind", "date", "title", "scope", "actors", "places", "measures", "source", "flags", "note", "draft"]


def _by_quote(start: str) -> list[dict]:
    return [d.to_dict() for d in DRAFTS if d.item.source.quote.startswith(start)]


def test_drafts_of_the_article_recover_its_dated_items_and_figures():
    result = recall(ARTICLE, GOLD, DRAFTS)
    print("\n" + result.report("seeded article"))
    assert (result.items, result.figures) == (43, 40)
    assert result.item_recall >= 0.90, result.missed_items
    assert result.figure_recall >= 0.95, result.missed_figures


def test_every_draft_is_an_import_line_with_why_it_was_drafted():
    for d in DRAFTS:
        data = d.to_dict()
        assert list(data) == KEYS
        line = {k: v for k, v in data.items() if k != "draft"}
        assert Item.from_dict(line).to_dict() == {"id": d.item.id, **line}
        assert data["draft"]["rule"].startswith("date: ")
        assert 0 < data["draft"]["confidence"] <= 1
        assert data["source"] == {"document": DOCUMENT, "quote": d.item.source.quote, "published": "2024-01/2024-03"}


def test_every_quote_is_verbatim_pieces_of_the_text():
    for d in DRAFTS:
        assert d.item.source.quote == "…".join(ARTICLE[s:e] for s, e in d.spans)
        if len(d.spans) == 1:
            assert d.item.source.quote in ARTICLE
    # Two sentences of the article are broken across lines (a photo caption, a page break).
    broken = [d.item.when.text for d in DRAFTS if len(d.spans) > 1]
    assert broken == ["2023-04-25/2023-04-26", "2023-12"]


def test_a_day_with_its_figure_from_the_next_sentence():
    (park,) = [d for d in _by_quote("2023年2月18日") if d["kind"] == "park_unveiled"]
    assert park["date"] == "2023-02-18"
    assert park["measures"] == [
        {"metric": "area", "value": "5000000", "unit": "m2", "qualifier": "approx", "text": "约5平方公里",
         "population": ""}
    ]
    gold = next(g for g in GOLD if g["id"] == "2023-02-18-sci-park-unveiled")
    assert park["source"]["quote"] == gold["source"]["quote"]
    assert park["flags"] == []


def test_a_whole_year_without_its_year_takes_the_year_of_the_context():
    (report,) = _by_quote("全年引进")
    assert (report["date"], report["kind"], report["flags"]) == ("2023", "period_report", ["year_from_context"])
    assert [(m["metric"], m["value"]) for m in report["measures"]] == [
        ("projects_signed", "20"), ("signed_investment", "23455000000"),
    ]
    assert report["source"]["quote"] == "全年引进沪苏浙项目20个,计划总投资234.55亿元"


def test_a_month_without_its_year_and_a_list_of_months():
    (april,) = _by_quote("4月,淮南市名师工作室")
    assert (april["date"], april["kind"], april["flags"]) == ("2023-04", "training", ["year_from_context"])
    visits = _by_quote("2023年6月、11月")
    assert [(v["date"], v["kind"]) for v in visits] == [("2023-06", "delegation_visit"), ("2023-11", "delegation_visit")]


def test_recently_since_and_right_after():
    (hires,) = _by_quote("并于近期")
    assert (hires["date"], hires["measures"][0]["metric"], hires["measures"][0]["value"]) == ("2023-12/2024-03", "staff_hired", "3")
    city, county = _by_quote("2021年以来")
    assert (city["date"], county["date"]) == ("2021/..", "2021/..")
    assert [(m["metric"], m["value"]) for m in city["measures"]] == [("batches", "6"), ("cadres_seconded", "54")]
    assert [(m["metric"], m["value"]) for m in county["measures"]] == [("cadres_seconded", "114")]
    (building,) = _by_quote("随即")
    assert (building["date"], building["kind"]) == ("2022-04/2023-05", "project_milestone")


def test_plans_are_flagged_and_a_planned_investment_is_not_a_plan():
    plans = [d.to_dict() for d in DRAFTS if d.item.when.text == "2024"]
    assert plans and all(p["flags"] == ["planned"] for p in plans)
    (deli,) = _by_quote("促成了计划总投资50亿元")
    assert deli["flags"] == ["undated"]
    assert deli["date"] == "../2024-03"


def test_a_figure_that_is_part_of_the_one_before_is_not_drafted():
    (carrier,) = _by_quote("前期以高新区科技信息产业园")
    assert [(m["metric"], m["value"]) for m in carrier["measures"]] == [("floor_area", "160000")]


# --- the second report, written from other public sources after the rules were -------------

SECOND = (ROOT / "tests" / "data" / "second-report.txt").read_text(encoding="utf-8")
SECOND_GOLD = read_gold(ROOT / "tests" / "data" / "second-report.jsonl")
SECOND_DRAFTS = draft(SECOND, "second-report", When.parse("2023-02-20"))


def test_the_second_reports_gold_is_verbatim_and_loads():
    for g in SECOND_GOLD:
        assert Item.from_dict(g).to_dict() == g
        assert g["source"]["quote"] in SECOND, g["id"]


def test_drafts_of_the_second_report_recover_its_dated_items_and_figures():
    result = recall(SECOND, SECOND_GOLD, SECOND_DRAFTS)
    print("\n" + result.report("second report"))
    assert (result.items, result.figures) == (14, 6)
    assert result.item_recall >= 0.90, result.missed_items
    assert result.figure_recall >= 0.95, result.missed_figures


def test_a_sentence_at_the_conference_takes_the_conferences_date():
    (park,) = [d.to_dict() for d in SECOND_DRAFTS if d.item.kind.value == "park_unveiled" and "科创" in d.item.title]
    assert (park["date"], park["flags"]) == ("2023-02-18", ["year_from_context"])
    assert park["draft"]["rule"].startswith("date: date of the event before (会上)")
    assert [(m["metric"], m["value"], m["qualifier"]) for m in park["measures"]] == [("area", "5000000", "approx")]


def test_this_year_and_the_first_half_are_read_against_the_publication_and_the_context():
    def date_of(start: str) -> str:
        (d,) = [d for d in SECOND_DRAFTS if d.item.source.quote.startswith(start)]
        return d.item.when.text

    assert date_of("今年1月13日") == "2023-01-13"
    assert date_of("同样在上半年") == "2022-01/2022-06"
    assert date_of("2月23日至24日") == "2022-02-23/2022-02-24"
    assert date_of("2月18日") == "2023-02-18"

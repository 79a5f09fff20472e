"""Probable duplicates across the seeded article and the second report."""

import json
from pathlib import Path

from events import Item
from ledger.matching import THRESHOLD, DateIndex, candidates, score

ROOT = Path(__file__).resolve().parents[2]


def _items(path: Path) -> list[Item]:
    return [Item.from_dict(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


FIRST = _items(ROOT / "ledger" / "data" / "article.jsonl")
SECOND = _items(ROOT / "tests" / "data" / "second-report.jsonl")
# The three facts the second report repeats: its item of each is the article's id after "r2-".
TWINS = {"2022-04-yingzhong-project-signed", "2023-01-13-sales-centre-opened", "2023-02-18-sci-park-unveiled"}
PAIRS = {(f"r2-{twin}", twin) for twin in TWINS}


def test_the_repeated_facts_score_above_the_threshold_and_no_other_pair_does():
    probable = {(b.id, a.id) for b in SECOND for a in FIRST if score(b, a)[0] >= THRESHOLD}
    assert probable == PAIRS


def test_a_score_says_why():
    by_id = {i.id: i for i in FIRST}
    (second_park,) = [i for i in SECOND if i.id == "r2-2023-02-18-sci-park-unveiled"]
    value, why = score(second_park, by_id["2023-02-18-sci-park-unveiled"])
    assert value == 0.888
    assert why == (
        "similar title (100%)",
        "same kind (park_unveiled)",
        "same date (2023-02-18)",
        "shared names (淮南高新区)",
        "equal figures (area 5000000)",
    )


def test_the_same_investment_in_another_project_is_not_a_duplicate():
    (zhongzhe,) = [i for i in SECOND if i.id == "r2-2022-h1-zhongzhe-project-signed"]
    (yingzhong,) = [i for i in FIRST if i.id == "2022-04-yingzhong-project-signed"]
    value, why = score(zhongzhe, yingzhong)
    assert value == 0.425
    assert "equal figures (signed_investment 2000000000)" in why


def test_dates_that_do_not_overlap_are_never_duplicates():
    (park,) = [i for i in FIRST if i.id == "2023-02-18-sci-park-unveiled"]
    moved = park.with_changes(id="moved", when=park.when.parse("2023-03-01"))
    assert score(park, moved) == (0.0, ("dates do not overlap",))


def test_the_candidate_search_finds_the_twins_among_nearby_dates():
    found = candidates(SECOND, DateIndex(FIRST))
    assert sorted(m.items for m in found) == sorted(PAIRS)
    assert [m.score for m in found] == [1.0, 0.925, 0.888]
    assert found[0].to_dict() == {
        "items": ["r2-2022-04-yingzhong-project-signed", "2022-04-yingzhong-project-signed"],
        "score": 1.0,
        "why": [
            "similar title (100%)", "same kind (project_signed)", "same date (2022-04)",
            "shared names (淮南高新区)", "equal figures (signed_investment 2000000000)",
        ],
    }

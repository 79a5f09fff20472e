"""Date expressions and figures read from short report sentences, each with its precision."""

import pytest

from events import When
from ledger.extract import draft

PUBLISHED = When.parse("2023-02-20")


def _drafts(text: str) -> list[dict]:
    return [d.to_dict() for d in draft(text, "doc", PUBLISHED)]


@pytest.mark.parametrize(
    ("text", "date", "flags"),
    [
        ("2022年上半年,两地签约项目5个。", "2022-01/2022-06", []),
        ("2022年下半年,两地签约项目5个。", "2022-07/2022-12", []),
        ("2022年底,淮南市举办招聘会。", "2022-12", []),
        ("2022年9月15日至10月2日,淮南市举办推介会。", "2022-09-15/2022-10-02", []),
        ("2022年1—6月,淮南市举办推介会。", "2022-01/2022-06", []),
        ("2021年至2023年,两地举办推介会。", "2021/2023", []),
        ("今年1月13日,淮南市举办推介会。", "2023-01-13", ["year_from_context"]),
        ("去年5月,淮南市举办推介会。", "2022-05", ["year_from_context"]),
        ("截至2022年6月底,淮南市签约项目12个。", "../2022-06", []),
        ("淮南市举办推介会。", "../2023-02-20", ["undated"]),
    ],
)
def test_date_expressions_keep_their_precision(text, date, flags):
    (only,) = _drafts(text)
    assert (only["date"], only["flags"]) == (date, flags)


def test_figures_in_chinese_numerals_are_exact():
    (fair,) = _drafts("2023年5月,两地举办招聘会,三十余家企业提供岗位两千个。")
    assert [(m["metric"], m["value"], m["qualifier"], m["text"]) for m in fair["measures"]] == [
        ("companies_participating", "30", "more_than", "三十余家"),
        ("jobs_offered", "2000", "exact", "两千个"),
    ]
    assert (fair["kind"], fair["scope"], fair["actors"]) == ("job_fair", "闵行区·淮南市", ["闵行区", "淮南市"])


def test_ordinals_and_one_as_an_article_are_not_figures():
    (signing,) = _drafts("2023年5月,第三届大会上一批项目签约。")
    assert signing["measures"] == []


def test_a_year_in_a_name_dates_a_sentence_with_no_other_date():
    (fair,) = _drafts("在中国农业产业化交易会(2023·上海)达成订单21个共400万元。")
    assert (fair["date"], fair["kind"]) == ("2023", "trade_fair")
    assert [(m["metric"], m["value"]) for m in fair["measures"]] == [("orders", "21"), ("order_value", "4000000")]

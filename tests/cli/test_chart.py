"""`chart`: cumulative totals drawn per scope, with their basis and qualifier, in PNG or SVG."""

import os
import re
import struct
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

pytest.importorskip("matplotlib")

from cli import chart  # noqa: E402
from events import Qualifier  # noqa: E402
from projections.totals import Total  # noqa: E402

# signed_investment by quarter as of 2024-04-01, as `totals --cumulative` gives it.
ROWS = [
    Total("signed_investment", "淮南市", "", Decimal("46151000000"), "CNY", Qualifier.EXACT, "reported", group="2023q4"),
    Total("signed_investment", "淮南高新区", "", Decimal("2000000000"), "CNY", Qualifier.EXACT, "itemized", group="2022q2"),
    Total("signed_investment", "淮南高新区", "", Decimal("25455000000"), "CNY", Qualifier.EXACT, "reported+itemized",
          group="2023q4"),
    Total("signed_investment", "闵行区·淮南市", "", Decimal("3000000000"), "CNY", Qualifier.MORE_THAN, "itemized",
          group="2024q1"),
]


def svg_texts(path) -> list[str]:  # type: ignore[no-untyped-def]
    root = ET.parse(path).getroot()
    return ["".join(e.itertext()).strip() for e in root.iter() if e.tag.endswith("}text")]


@pytest.fixture
def cjk() -> str:
    font = chart.cjk_font()
    if font is None:
        if os.environ.get("CI"):
            pytest.fail("no CJK font, and CI needs one (apt-get install fonts-noto-cjk)")
        pytest.skip("no CJK font installed")
    return font


def _draw(rows, metric, by, out):
    with out.open("wb") as f:
        return chart.draw(rows, metric, by, f, out.suffix[1:])


def test_the_chart_command_writes_a_png_of_1200_by_700(sqlite_cli, tmp_path):
    out = tmp_path / "x.png"
    sqlite_cli.ok("chart", "--metric", "signed_investment", "--by", "quarter", "--as-of", "2024-04-01",
                  "--out", str(out))
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1200, 700)


def test_the_svg_names_axes_scopes_bases_and_final_totals(cjk, tmp_path):
    out = tmp_path / "x.svg"
    assert _draw(ROWS, "signed_investment", "quarter", out) == []
    texts = svg_texts(out)
    assert "signed_investment (亿元 = 100,000,000 CNY)" in texts
    assert "quarter (a total steps up at the end of the period its items certainly happened by)" in texts
    assert [t for t in texts if re.fullmatch(r"\d{4}q\d", t)] == [
        "2022q1", "2022q2", "2022q3", "2022q4", "2023q1", "2023q2", "2023q3", "2023q4", "2024q1",
    ]
    assert [t for t in texts if re.fullmatch(r"\d{4}", t)] == ["2022", "2023", "2024"]
    assert {"淮南市 (Huainan)", "淮南高新区 (Huainan Hi-tech Zone)", "闵行区·淮南市 (Minhang+Huainan)"} <= set(texts)
    assert {"reported (a period report)", "itemized (sum of dated items)", "reported + itemized"} <= set(texts)
    assert {"46,151,000,000 CNY", "25,455,000,000 CNY", "more than 3,000,000,000 CNY"} <= set(texts)
    # The y axis counts 亿元: the largest total, 461.51亿, is under the top tick of 500.
    assert [t for t in texts if t.isdigit() and len(t) == 3][-1] == "500"
    assert f"'{cjk}'" in out.read_text(encoding="utf-8")


def test_without_a_cjk_font_labels_are_latin_and_a_warning_says_so(monkeypatch, tmp_path):
    monkeypatch.setattr(chart, "cjk_font", lambda: None)
    out = tmp_path / "x.svg"
    rows = [*ROWS, Total("signed_investment", "某区", "", Decimal("100000000"), "CNY", Qualifier.APPROX, "itemized",
                         group="2023q2")]
    assert _draw(rows, "signed_investment", "quarter", out) == [
        "no CJK font found (install fonts-noto-cjk); labels in Latin"
    ]
    texts = svg_texts(out)
    assert {"Huainan", "Huainan Hi-tech Zone", "Minhang+Huainan", chart.latin("某区")} <= set(texts)
    assert "signed_investment (100 million CNY)" in texts
    assert "about 100,000,000 CNY" in texts
    assert not [t for t in texts if re.search(r"[\u3000-\u9fff]", t)]


def test_latin_names_come_from_the_map_then_the_ascii_letters_then_an_id():
    assert chart.latin("莘庄工业区") == "Xinzhuang Industrial Zone"
    assert chart.latin("Pudong 浦东") == "Pudong"
    assert re.fullmatch(r"scope-[0-9a-f]{6}", chart.latin("某区"))
    assert chart.latin("某区") == chart.latin("某区")


def test_counts_are_drawn_on_whole_numbers(cjk, tmp_path):
    rows = [
        Total("delegation_visits", "淮南市", "", Decimal(1), "events", Qualifier.EXACT, "itemized", group="2023-04"),
        Total("delegation_visits", "淮南市", "", Decimal(2), "events", Qualifier.EXACT, "itemized", group="2023-12"),
    ]
    out = tmp_path / "visits.svg"
    assert _draw(rows, "delegation_visits", "month", out) == []
    texts = svg_texts(out)
    assert "delegation_visits (events)" in texts
    assert "2 events" in texts
    assert not [t for t in texts if re.fullmatch(r"\d\.\d", t)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--metric", "investment", "--out", "x.png"), "coop-ledger: metric: 'investment': unknown metric (known: "),
        (("--metric", "signed_investment", "--out", "x.pdf"),
         "coop-ledger: out: 'x.pdf': the file must end in .png or .svg"),
        (("--metric", "signed_investment", "--by", "week", "--out", "x.png"),
         "coop-ledger: by: 'week': use one of scope, population, kind, month, quarter, year"),
    ],
)
def test_a_bad_metric_out_or_by_is_one_line_and_exit_2(sqlite_cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    run = sqlite_cli("chart", *args)
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [run.stderr.strip()]
    assert run.stderr.startswith(message)
    assert list(tmp_path.iterdir()) == []

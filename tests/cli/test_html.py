"""`export --format html`: one page with every item, nothing from the network, drawn by a browser."""

import json
import os
import shutil
import struct
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

# --from 2023-04 --to 2023-04 --kind delegation_visit: the three visits dated only "2023"
# may fall in April (shown, marked ~), then the two April visits; sorted by first day.
APRIL_VISITS = [
    ("2023-minhang-tourism-visit-1", "overlaps"),
    ("2023-minhang-tourism-visit-2", "overlaps"),
    ("2023-huainan-tourism-visit-minhang", "overlaps"),
    ("2023-04-14-huainan-delegation-shanghai", "within"),
    ("2023-04-25-minhang-delegation-huainan", "within"),
]
CHROMIUM = "/usr/bin/chromium"


class Page(HTMLParser):
    """What a reader without JavaScript gets: table rows by id, every attribute, styles, scripts."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: dict[str, str] = {}
        self.certainty: dict[str, str] = {}
        self.attributes: list[tuple[str, str, str]] = []
        self.blocks: list[tuple[str, dict[str, str], str]] = []
        self.drawn: Counter[str] = Counter()
        self.text: list[str] = []
        self._row: str | None = None
        self._block: tuple[str, dict[str, str]] | None = None
        self._svg = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.attributes += [(tag, k, v) for k, v in found.items()]
        if tag == "tr" and "data-id" in found:
            self._row = found["data-id"]
            self.rows[self._row] = ""
            self.certainty[self._row] = found["data-certainty"]
        if tag in ("style", "script"):
            self._block = (tag, found)
        self._svg += tag == "svg"
        if self._svg and "data-id" in found:
            self.drawn[found["data-id"]] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None
        if tag in ("style", "script"):
            self._block = None
        self._svg -= tag == "svg"

    def handle_data(self, data: str) -> None:
        if self._block:
            self.blocks.append((*self._block, data))
        else:
            self.text.append(data)
        if self._row:
            self.rows[self._row] += data

    def data(self) -> dict:  # type: ignore[type-arg]
        return json.loads(next(text for tag, attrs, text in self.blocks if attrs.get("id") == "ledger-data"))


def export(cli, path: Path, *args: str) -> Page:  # type: ignore[no-untyped-def]
    cli.ok("export", "--format", "html", "--out", str(path), *args)
    return Page(path.read_text(encoding="utf-8"))


def stored(cli) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    return [json.loads(line) for line in cli.ok("export").stdout.splitlines()]


def test_every_item_is_in_the_page_with_its_date_and_quote(sqlite_cli, tmp_path):
    items = stored(sqlite_cli)
    page = export(sqlite_cli, tmp_path / "ledger.html")
    assert len(items) == 65
    assert sorted(page.rows) == sorted(i["id"] for i in items)
    for item in items:
        row = page.rows[item["id"]]
        assert item["date"] in row
        assert item["title"] in row
        assert item["source"]["quote"] in row
        assert item["source"]["document"] in row
    assert [i["id"] for i in page.data()["items"]] == list(page.rows)
    assert "all dates · 65 items" in page.text


def test_a_row_shows_each_measure_with_its_qualifier_value_unit_and_text(sqlite_cli, tmp_path):
    page = export(sqlite_cli, tmp_path / "ledger.html")
    row = page.rows["2023-06-13-job-fair"]
    assert "2023-06-13" in row
    assert "jobs_offered: more than 1,700 jobs (1700余个)" in row
    assert "companies_participating: 50 companies (50家)" in row
    drawn = {i["id"]: i for i in page.data()["items"]}["undated-agri-projects-signed"]
    assert (drawn["date"], drawn["lower"], drawn["upper"]) == ("../2024-03", None, "2024-03-31")
    assert drawn["measure_lines"] == [
        "projects_signed: 26 projects (26个)",
        "signed_investment: more than 3,000,000,000 CNY (30多亿元)",
    ]


def test_nothing_in_the_page_loads_from_the_network(sqlite_cli, tmp_path):
    page = export(sqlite_cli, tmp_path / "ledger.html")
    tags = {tag for tag, _, _ in page.attributes}
    assert not tags & {"link", "img", "iframe", "object", "embed", "base"}
    for tag, name, value in page.attributes:
        if name in ("src", "href", "action", "srcset", "poster", "data"):
            assert value.startswith(("#", "data:")), (tag, name, value)
        assert "http" not in value.lower(), (tag, name, value)
    styles = [text for tag, _, text in page.blocks if tag == "style"]
    assert styles
    for css in styles:
        assert "@import" not in css and "url(" not in css
    scripts = [attrs for tag, attrs, _ in page.blocks if tag == "script"]
    assert all("src" not in attrs for attrs in scripts)
    policy = [v for tag, name, v in page.attributes if tag == "meta" and name == "content" and "default-src" in v]
    assert policy == ["default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"]


def test_a_title_cannot_end_the_data_block(sqlite_cli, tmp_path):
    sqlite_cli.ok("append", "--kind", "meeting", "--date", "2023-05-02", "--title", "</script><b>x</b> <!--",
                  "--actor", "闵行区", "--quote", "a </script> quote", "--id", "odd-title")
    page = export(sqlite_cli, tmp_path / "ledger.html", "--from", "2023-05-02", "--to", "2023-05-02",
                  "--kind", "meeting")
    assert page.rows == {"odd-title": "2023-05-02meeting</script><b>x</b> <!--odd-titlea </script> quoteuser"}
    assert [i["title"] for i in page.data()["items"]] == ["</script><b>x</b> <!--"]


def test_from_to_and_kind_choose_the_items(sqlite_cli, tmp_path):
    page = export(sqlite_cli, tmp_path / "april.html", "--from", "2023-04", "--to", "2023-04",
                  "--kind", "delegation_visit")
    assert list(page.certainty.items()) == APRIL_VISITS
    assert page.data()["window"] == ["2023-04-01", "2023-04-30"]
    assert "2023-04 – 2023-04 · kinds: delegation_visit · 5 items" in page.text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--kind", "visit"), "coop-ledger: kind: 'visit': unknown kind (known: park_unveiled, "),
        (("--from", "2023-13"), "coop-ledger: from: '2023-13': month 13 does not exist"),
        (("--to", "2021/.."), "coop-ledger: to: '2021/..': a window needs both bounds"),
        (("--from", "2024", "--to", "2023"), "coop-ledger: to: '2023': the window ends before it starts (2024)"),
    ],
)
def test_a_bad_window_or_kind_is_one_line_and_exit_2(sqlite_cli, tmp_path, args, message):
    sqlite_cli.ok("init")  # seeded first, so its notice is not on stderr here
    out = tmp_path / "x.html"
    run = sqlite_cli("export", "--format", "html", "--out", str(out), *args)
    assert run.exit_code == 2
    assert len(run.stderr.splitlines()) == 1
    assert run.stderr.startswith(message)
    assert not out.exists()


def _chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--window-size=1400,900", "--virtual-time-budget=2000",
        "--enable-logging=stderr", "--v=0", *args, page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture
def chromium() -> str:
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing, and CI needs the browser test (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed")
    return CHROMIUM


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def test_a_browser_draws_every_item_without_errors(chromium, sqlite_cli, tmp_path):
    page_path = tmp_path / "ledger.html"
    export(sqlite_cli, page_path)
    ids = [i["id"] for i in stored(sqlite_cli)]

    dom = _chromium(page_path, tmp_path / "profile-dom", "--dump-dom")
    assert _console(dom.stderr) == []
    drawn = Page(dom.stdout)
    assert drawn.drawn == Counter(ids)
    assert "65 of 65 items in view" in drawn.text
    assert {"2021", "2022", "2023", "2024"} <= set(drawn.text)

    png = tmp_path / "ledger.png"
    shot = _chromium(page_path, tmp_path / "profile-shot", f"--screenshot={png}")
    assert _console(shot.stderr) == []
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1400, 900)
    image = pytest.importorskip("matplotlib.image").imread(png)
    pixels = {tuple(p) for p in (image[..., :3] * 255).round().astype(int).reshape(-1, 3)}
    assert len(pixels) > 100
    # Solid fills of the drawn items: park_unveiled's point, delegation_visit's edges.
    assert {(0x2E, 0x7D, 0x32), (0x15, 0x65, 0xC0)} <= pixels


def test_a_browser_draws_the_chosen_window_only(chromium, sqlite_cli, tmp_path):
    page_path = tmp_path / "april.html"
    export(sqlite_cli, page_path, "--from", "2023-04", "--to", "2023-04", "--kind", "delegation_visit")
    dom = _chromium(page_path, tmp_path / "profile", "--dump-dom")
    assert _console(dom.stderr) == []
    drawn = Page(dom.stdout)
    assert drawn.drawn == Counter(i for i, _ in APRIL_VISITS)
    assert "5 of 5 items in view" in drawn.text
    # Zoomed to one month: days are numbered along the bottom.
    assert [str(d) for d in range(1, 31)] == [t for t in drawn.text if t.isdigit() and len(t) <= 2]

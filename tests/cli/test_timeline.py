"""The article's timeline through the CLI, as a user reads it."""

import json
import subprocess
import sys

import pytest

from wcwidth import wcswidth

APRIL_2023 = [
    "2023-04-master-teachers-training",
    "2023-04-teachers-job-shadowing",
    "2023-04-14-huainan-delegation-shanghai",
    "2023-04-14-pairing-symposium",
    "2023-04-25-minhang-delegation-huainan",
]


def test_april_2023_strict_is_the_five_items_dated_inside_it(cli):
    rows = cli.ok("timeline", "--from", "2023-04", "--to", "2023-04", "--strict", "--format", "json").json()
    assert [r["id"] for r in rows] == APRIL_2023
    assert {r["certainty"] for r in rows} == {"within"}
    visit = rows[2]
    assert visit["date"] == "2023-04-14/2023-04-16"
    assert visit["actors"] == ["淮南市"]
    assert "2023年4月14日至16日" in visit["source"]["quote"]


def test_by_default_imprecise_items_overlapping_the_window_are_shown_and_marked(cli):
    rows = cli.ok("timeline", "--from", "2023-04", "--to", "2023-04", "--format", "json").json()
    by_id = {r["id"]: r for r in rows}
    assert by_id["2023-huainan-shanghai-projects-report"]["certainty"] == "overlaps"
    assert by_id["2021-city-cadres-seconded"]["certainty"] == "overlaps"
    assert by_id["2023-04-14-pairing-symposium"]["certainty"] == "within"
    assert "2023-05-yingzhong-phase1-completed" not in by_id
    # Sorted by lower bound: 2021, ..., the April days; the open starts (undated) last,
    # never first as if they were the earliest.
    lowers = [r["date"].split("/")[0] for r in rows]
    assert lowers[0] == "2021"
    first_open = lowers.index("..")
    assert set(lowers[first_open:]) == {".."} and first_open == len(rows) - 22
    assert [r["id"] for r in rows if r["certainty"] == "within"] == APRIL_2023


def test_the_table_aligns_chinese_text(cli):
    out = cli.ok("timeline", "--period", "2023-04", "--strict").stdout
    lines = out.splitlines()
    header, rule, *body = lines[: 2 + len(APRIL_2023)]
    assert header.split() == ["date", "kind", "title", "measures", "id"]
    widths = {wcswidth(line.rstrip()) for line in [rule, *body]}
    # Every row ends its id column at the same display column as the rule.
    assert max(widths) == wcswidth(rule)
    title_col = rule.split("  ")
    assert body[3].startswith("2023-04-14 ")
    assert "闵行区·淮南市结对合作座谈会" in body[3]
    assert lines[-1] == "5 items"
    assert len(title_col) == 5


def test_period_shorthands_match_explicit_windows(cli):
    q2 = cli.ok("timeline", "--period", "2023q2", "--format", "json").json()
    explicit = cli.ok("timeline", "--from", "2023-04", "--to", "2023-06", "--format", "json").json()
    assert [r["id"] for r in q2] == [r["id"] for r in explicit]
    year = cli.ok("timeline", "--period", "2023", "--strict", "--format", "json").json()
    assert all(r["date"].startswith("2023") for r in year)
    assert "2022-04-yingzhong-signed" not in {r["id"] for r in year}


def test_kind_filter_and_other_formats(cli):
    visits = cli.ok("timeline", "--period", "2023", "--strict", "--kind", "delegation_visit", "-f", "json").json()
    assert {r["kind"] for r in visits} == {"delegation_visit"}
    assert len(visits) == 8
    csv = cli.ok("timeline", "--period", "2023-04", "--strict", "-f", "csv").stdout.splitlines()
    assert csv[0] == "id,kind,date,certainty,title,scope,actors,places,measures,quote,document,flags,recorded_at"
    assert csv[2].startswith("2023-04-teachers-job-shadowing,training,2023-04,within,")
    assert "people_trained=5 persons exact" in csv[2]
    markdown = cli.ok("timeline", "--period", "2023-04", "--strict", "-f", "markdown").stdout.splitlines()
    assert markdown[0].startswith("| date") and markdown[1].startswith("|--")


def test_json_rows_carry_the_export_schema_plus_sources_and_certainty(cli):
    row = cli.ok("timeline", "--period", "2023-02", "--strict", "-f", "json").json()[0]
    assert list(row) == [
        "id", "kind", "date", "title", "scope", "actors", "places", "measures", "source", "flags", "note",
        "sources", "recorded_at", "certainty",
    ]
    assert row["sources"] == [{"item": row["id"], **row["source"]}]
    assert row["measures"] == [
        {"metric": "area", "value": "5000000", "unit": "m2", "qualifier": "approx", "text": "约5平方公里",
         "population": ""}
    ]


def test_python_dash_m_cli_is_the_same_program(sqlite_db):
    done = subprocess.run(
        [sys.executable, "-m", "cli", "--db", sqlite_db, "timeline", "--period", "2023-02-18", "--strict", "-f", "json"],
        capture_output=True, text=True, check=True,
    )
    assert [r["id"] for r in json.loads(done.stdout)] == ["2023-02-18-sci-park-unveiled"]
    assert "seeded it with the article and its 65 items" in done.stderr


def test_the_sql_timeline_prints_what_the_in_memory_fold_prints(cli):
    """The read model answers in SQL and prints stored JSON; --as-known-at folds events in
    memory and encodes each row: every format and filter must come out the same."""
    later = "2100-01-01T00:00:00Z"
    cases = [
        ("--period", "2023-04"),
        ("--period", "2023-04", "--strict"),
        ("--from", "2021", "--to", "2023-06", "--kind", "secondment", "--kind", "training"),
        ("--to", "2022-12-31"),
        (),
    ]
    for args in cases:
        for fmt in ("json", "csv", "table"):
            fast = cli.ok("timeline", *args, "--format", fmt).stdout
            folded = cli.ok("timeline", *args, "--format", fmt, "--as-known-at", later).stdout
            assert fast == folded, (args, fmt)
    assert len(cli.ok("timeline", "--format", "json").json()) == 65


def test_json_bytes_go_out_as_stored_and_escaped_where_stdout_is_not_utf8(sqlite_db):
    """`-f json` writes the rows' stored UTF-8 as it is; a stdout in another encoding gets
    what it can hold and JSON escapes for the rest: the same rows, read back."""
    base = [sys.executable, "-m", "cli", "--db", sqlite_db, "-q", "timeline", "--period", "2023-04", "--strict", "-f", "json"]
    utf8 = subprocess.run(base, capture_output=True, env={"PYTHONIOENCODING": "utf-8", "PATH": ""}, check=True)
    rows = json.loads(utf8.stdout.decode("utf-8"))
    assert [r["id"] for r in rows] == APRIL_2023
    assert utf8.stdout.startswith(b"[\n{") and utf8.stdout.endswith(b"}\n]\n")
    assert "淮南市".encode() in utf8.stdout
    latin = subprocess.run(base, capture_output=True, env={"PYTHONIOENCODING": "latin-1", "PATH": ""}, check=True)
    assert b"\\u6dee\\u5357\\u5e02" in latin.stdout  # 淮南市
    assert json.loads(latin.stdout.decode("latin-1")) == rows


def test_the_table_puts_undated_items_in_a_section_of_their_own(cli):
    out = cli.ok("timeline", "--period", "2023-04").stdout
    dated, undated = out.split("\n\nno earlier bound (undated: at the latest the date shown):\n")
    assert "../2024-03" not in dated and "2023-04-14" in dated
    body = [line for line in undated.splitlines()[2:] if line.startswith("../")]
    assert len(body) == 22 and all(line.split()[0] == "../2024-03" for line in body)


@pytest.mark.parametrize("width", [80, 100, 120])
def test_the_table_fits_the_width_and_json_keeps_everything(cli, width):
    out = cli.ok("timeline", "--period", "2023-04", "--width", str(width)).stdout

    assert max(wcswidth(line) for line in out.splitlines() if not line.startswith("~")) <= width
    assert "…" in out
    # The id keeps both ends, so rows stay apart; JSON and piped tables keep full rows.
    import re

    assert re.search(r" undated\S*…\S*contest$", out, re.MULTILINE)
    full = cli.ok("timeline", "--period", "2023-04").stdout
    assert "undated-elderly-care-skills-contest" in full and "…" not in full.replace("……", "")

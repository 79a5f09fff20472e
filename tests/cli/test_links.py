"""A second report of the same items: extract, import, duplicates, link, and totals that count each once."""

import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
SECOND = DATA / "second-report.txt"
PARK = "2023-02-18-sci-park-unveiled"
YINGZHONG = "2022-04-yingzhong-project-signed"


@pytest.fixture
def two_reports(cli, tmp_path):  # type: ignore[no-untyped-def]
    """The seeded article and the second report's drafts, imported as a reviewer would."""
    cli.ok("source", "add", str(SECOND), "--id", "second-report", "--title", "园区共建迈入新阶段",
           "--published", "2023-02-20")
    drafts = tmp_path / "drafts.jsonl"
    run = cli.ok("extract", "second-report", "--out", str(drafts))
    assert run.stderr.splitlines()[0].split() == ["#", "date", "kind", "confidence", "figures", "title", "flags"]
    assert run.stderr.endswith(f"coop-ledger: 14 drafts written to {drafts}; 6 of confidence under 0.70. "
                               "Review them, then `coop-ledger import` the file.\n")
    lines = [json.loads(line) for line in drafts.read_text(encoding="utf-8").splitlines()]
    assert all(set(line["draft"]) == {"rule", "confidence"} for line in lines)
    imported = cli.ok("import", str(drafts))
    return cli, imported


def _other(pairs, known):  # type: ignore[no-untyped-def]
    """The second report's item in each pair with an article item."""
    return {a if b == known else b for a, b in pairs if known in (a, b)}.pop()


def test_an_import_warns_of_items_other_sources_reported(two_reports):
    cli, imported = two_reports
    lines = imported.stderr.splitlines()
    assert lines[0] == "coop-ledger: imported 14 items, 0 already recorded"
    warned = [line for line in lines[1:] if line.startswith("coop-ledger: warning: ")]
    assert len(warned) == 2 == len(lines) - 1
    assert f"is probably {PARK}, reported by another source (score 0.901: similar title (92%)" in warned[0]
    assert f"is probably {YINGZHONG}, reported by another source (score 0.773:" in warned[1]


def test_duplicates_lists_each_probable_pair_once_with_its_score_and_why(two_reports):
    cli, _ = two_reports
    found = cli.ok("duplicates", "-f", "json").json()
    assert [(m["score"], m["items"][0]) for m in found] == [(0.901, PARK), (0.773, YINGZHONG)]
    assert found[1]["why"] == [
        "similar title (81%)", "same kind (project_signed)", "same date (2022-04)", "shared names (淮南高新区)",
        "equal figures (signed_investment 2000000000)",
    ]
    exported = {json.loads(line)["id"]: json.loads(line) for line in cli.ok("export").stdout.splitlines()}
    assert {exported[m["items"][1]]["source"]["document"] for m in found} == {"second-report"}


def test_linked_items_are_one_row_with_both_sources_and_count_once(two_reports):
    cli, _ = two_reports
    pairs = [m["items"] for m in cli.ok("duplicates", "-f", "json").json()]
    park = _other(pairs, PARK)
    parks = lambda: [(t["scope"], t["value"]) for t in cli.ok(  # noqa: E731
        "totals", "--metric", "parks_unveiled", "--as-of", "2023-12-31", "-f", "json").json()]
    assert ("闵行区·淮南市", "3") in parks()  # counted twice before the link
    run = cli.ok("link", park, "--same-as", PARK, "--reason", "两篇报道同一揭牌")
    assert run.stderr == f"coop-ledger: {park} and {PARK} are one item\n"
    assert ("闵行区·淮南市", "2") in parks()

    rows = cli.ok("timeline", "--period", "2023-02-18", "--strict", "-f", "json").json()
    [row] = [r for r in rows if r["kind"] == "park_unveiled"]
    assert row["id"] == PARK and row["date"] == "2023-02-18"
    assert [(s["item"], s["document"]) for s in row["sources"]] == [
        (PARK, "hnrb-minhang-huainan-2024"), (park, "second-report")]
    assert row["sources"][1]["quote"] in SECOND.read_text(encoding="utf-8")
    assert [m["items"][0] for m in cli.ok("duplicates", "-f", "json").json()] == [YINGZHONG]
    table = cli.ok("timeline", "--period", "2023-02-18", "--strict").stdout
    assert f"{PARK} (+1 source)\n" in table

    cli.ok("unlink", park, "--from", PARK, "--reason", "再查")
    assert ("闵行区·淮南市", "3") in parks()
    assert len([r for r in cli.ok("timeline", "--period", "2023-02-18", "--strict", "-f", "json").json()
                if r["kind"] == "park_unveiled"]) == 2
    cli.ok("link", park, "--same-as", PARK, "--reason", "确认是同一揭牌")  # a link made again
    assert ("闵行区·淮南市", "2") in parks()
    assert cli.ok("verify").stdout.startswith("ok: ")
    cli.ok("replay")
    assert ("闵行区·淮南市", "2") in parks()


def test_a_linked_investment_counts_once_and_the_precise_date_is_shown(two_reports):
    cli, _ = two_reports
    pairs = [m["items"] for m in cli.ok("duplicates", "-f", "json").json()]
    other = _other(pairs, YINGZHONG)

    def invested():  # type: ignore[no-untyped-def]
        found = cli.ok("totals", "--metric", "signed_investment", "--as-of", "2022-12-31", "-f", "json").json()
        return sum(int(t["value"]) for t in found if t["value"] and not t["population"])

    before = invested()
    cli.ok("link", YINGZHONG, "--same-as", other, "--reason", "同一项目")
    assert before - invested() == 2_000_000_000
    # A group shows the most precise date its sources give: a month-dated report of a day
    # stands behind the day.
    cli.ok("append", "--kind", "park_unveiled", "--date", "2023-02", "--title", "科创产业园揭牌", "--id", "month-park",
           "--source", "third-report")
    cli.ok("link", "month-park", "--same-as", PARK, "--reason", "同一揭牌")
    [row] = [r for r in cli.ok("timeline", "--period", "2023-02", "-f", "json").json() if r["id"] == PARK]
    assert row["date"] == "2023-02-18"
    assert [s["item"] for s in row["sources"]] == [PARK, "month-park"]


def test_check_lists_where_linked_sources_disagree(cli):
    cli.ok("append", "--kind", "park_unveiled", "--date", "2023-02", "--title", "科创产业园揭牌", "--id", "other-park",
           "--source", "third-report", "--measure", "area=6平方公里")
    cli.ok("link", "other-park", "--same-as", PARK, "--reason", "同一揭牌")
    run = cli("check")
    assert run.exit_code == 1
    assert run.stdout == (
        f"sources: {PARK} and other-park give area as approx 5000000 and exact 6000000; counted: approx 5000000\n"
        f"sources: {PARK} and other-park give the dates 2023-02-18 and 2023-02; shown: 2023-02-18\n"
    )


@pytest.mark.parametrize(("args", "message"), [
    (("link", PARK, "--same-as", PARK, "--reason", "r"), f"same-as: '{PARK}': is the item itself"),
    (("link", PARK, "--same-as", "nope", "--reason", "r"), "id: 'nope': no such item in the ledger"),
    (("link", PARK, "--same-as", YINGZHONG, "--reason", " "), "reason: ' ': must not be empty"),
    (("unlink", PARK, "--from", YINGZHONG, "--reason", "r"), f"id: '{PARK}': is not linked to '{YINGZHONG}'"),
])
def test_bad_links_are_one_line_and_write_nothing(cli, args, message):
    cli.ok("init")
    events = cli.ok("verify").stdout.split()[1]
    run = cli(*args)
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", f"coop-ledger: {message}\n")
    assert cli.ok("verify").stdout.split()[1] == events


def test_a_link_twice_or_to_a_retracted_item_is_refused(cli):
    cli.ok("link", PARK, "--same-as", YINGZHONG, "--reason", "试")
    run = cli("link", YINGZHONG, "--same-as", PARK, "--reason", "again")
    assert (run.exit_code, run.stderr) == (2, f"coop-ledger: id: '{YINGZHONG}': is one item with '{PARK}' already\n")
    cli.ok("retract", "2023-06-13-job-fair", "--reason", "r")
    run = cli("link", "2023-06-13-job-fair", "--same-as", PARK, "--reason", "r")
    assert (run.exit_code, run.stderr) == (
        2, "coop-ledger: id: '2023-06-13-job-fair': the item is retracted; it cannot be linked\n")


def test_as_known_at_before_a_link_counts_both(cli):
    appended = cli.ok("append", "--kind", "park_unveiled", "--date", "2023-02-18", "--title", "闵行·淮南科创产业园揭牌",
                      "--id", "p2", "--scope", "闵行区·淮南市", "--source", "third-report")
    assert appended.stdout == "p2\n"
    assert appended.stderr.splitlines()[-1] == (
        f"coop-ledger: warning: p2 is probably {PARK}, reported by another source (score 0.700: similar title (100%); "
        "same kind (park_unveiled); same date (2023-02-18)); "
        f"`coop-ledger link p2 --same-as {PARK} --reason ...` counts them once")
    exported = cli.ok("export").stdout.splitlines()
    before_link = json.loads(exported[-1])["recorded_at"]
    cli.ok("link", "p2", "--same-as", PARK, "--reason", "同一揭牌")
    args = ("totals", "--metric", "parks_unveiled", "--as-of", "2023-12-31", "-f", "json")
    now = {t["scope"]: t["value"] for t in cli.ok(*args).json()}
    then = {t["scope"]: t["value"] for t in cli.ok(*args, "--as-known-at", before_link).json()}
    assert int(then["闵行区·淮南市"]) == int(now["闵行区·淮南市"]) + 1


def test_extract_writes_to_stdout_and_duplicates_says_when_there_are_none(cli):
    assert cli.ok("duplicates").stdout == "no probable duplicates\n"
    assert cli.ok("duplicates", "-f", "json").json() == []
    cli.ok("source", "add", str(SECOND), "--id", "second-report", "--title", "园区共建迈入新阶段",
           "--published", "2023-02-20")
    run = cli.ok("extract", "second-report")
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(lines) == 14 and "id" not in lines[0]
    assert lines[0]["source"] == {"document": "second-report", "quote": "2月18日,第二届淮南转型发展大会在淮南召开",
                                  "published": "2023-02-20"}
    assert "coop-ledger: 14 drafts written to stdout;" in run.stderr


def _signing(cli, item_id, date, document, *extra):  # type: ignore[no-untyped-def]
    cli.ok("append", "--kind", "project_signed", "--date", date, "--title", "英众项目签约", "--actor", "淮南市",
           "--source", document, "--id", item_id, *extra)


def _totals(cli, *args):  # type: ignore[no-untyped-def]
    return {(t["metric"], t["scope"]): t["value"] for t in cli.ok("totals", "-f", "json", *args).json()}


def test_totals_of_every_metric_count_a_group_once(empty_cli):
    cli = empty_cli
    _signing(cli, "a1", "2023-02-18", "docA", "--measure", "signed_investment=20亿元")
    _signing(cli, "b1", "2023-02", "docB", "--measure", "signed_investment=20亿元")
    cli.ok("link", "a1", "--same-as", "b1", "--reason", "同一签约")
    for args in ((), ("--by", "month")):
        found = cli.ok("totals", "--as-of", "2023-12-31", "-f", "json", *args).json()
        assert [(t["metric"], t["value"]) for t in found if t["value"]] == [
            ("signed_investment", "2000000000"), ("signings", "1")]


def test_a_group_holds_through_a_retracted_member(empty_cli):
    cli = empty_cli
    _signing(cli, "a1", "2023-02-18", "docA", "--measure", "signed_investment=20亿元")
    _signing(cli, "b1", "2023-02", "docB", "--measure", "signed_investment=20亿元")
    _signing(cli, "c1", "2023", "docC", "--measure", "signed_investment=21亿元")
    cli.ok("link", "a1", "--same-as", "b1", "--reason", "同一签约")
    cli.ok("link", "b1", "--same-as", "c1", "--reason", "同一签约")
    cli.ok("retract", "b1", "--reason", "误录")
    assert _totals(cli, "--as-of", "2023-12-31")[("signed_investment", "淮南市")] == "2000000000"
    assert _totals(cli, "--as-of", "2023-12-31")[("signings", "淮南市")] == "1"


def test_a_planned_member_never_stands_for_a_group_that_happened(empty_cli):
    cli = empty_cli
    _signing(cli, "p1", "2023-02-18", "docA", "--measure", "signed_investment=20亿元", "--flag", "planned")
    _signing(cli, "q1", "2023-02", "docB", "--measure", "signed_investment=20亿元")
    cli.ok("link", "p1", "--same-as", "q1", "--reason", "计划后来签了")
    assert _totals(cli, "--as-of", "2023-12-31")[("signed_investment", "淮南市")] == "2000000000"
    [row] = cli.ok("timeline", "--period", "2023", "-f", "json").json()
    assert (row["id"], row["flags"]) == ("q1", [])


def test_a_group_is_one_event_of_its_first_members_kind(empty_cli):
    cli = empty_cli
    _signing(cli, "k1", "2023-02-18", "docA")
    cli.ok("append", "--kind", "delegation_visit", "--date", "2023-02-18", "--title", "考察并签约", "--actor", "淮南市",
           "--source", "docB", "--id", "k2")
    cli.ok("link", "k2", "--same-as", "k1", "--reason", "同一活动")
    found = _totals(cli, "--as-of", "2023-12-31")
    assert found[("signings", "淮南市")] == "1"
    assert ("delegation_visits", "淮南市") not in found


def test_a_figure_of_a_less_precise_source_counts_at_the_groups_date(empty_cli):
    cli = empty_cli
    _signing(cli, "a1", "2023-02-18", "docA")
    _signing(cli, "c1", "2023", "docC", "--measure", "signed_investment=21亿元")
    assert ("signed_investment", "淮南市") not in {k for k, v in _totals(cli, "--as-of", "2023-06-30").items() if v}
    cli.ok("link", "a1", "--same-as", "c1", "--reason", "同一签约")
    assert _totals(cli, "--as-of", "2023-06-30")[("signed_investment", "淮南市")] == "2100000000"
    by_month = cli.ok("totals", "--as-of", "2023-12-31", "--by", "month", "--metric", "signed_investment",
                      "-f", "json").json()
    assert [(t["month"], t["value"]) for t in by_month if t["value"]] == [("2023-02", "2100000000")]


def test_check_compares_each_source_with_the_figure_counted(empty_cli):
    cli = empty_cli
    _signing(cli, "a1", "2023-02-18", "docA")
    _signing(cli, "b1", "2023-02", "docB", "--measure", "signed_investment=20亿元")
    _signing(cli, "c1", "2023", "docC", "--measure", "signed_investment=21亿元")
    cli.ok("link", "a1", "--same-as", "c1", "--reason", "同一签约")
    cli.ok("link", "b1", "--same-as", "c1", "--reason", "同一签约")
    lines = cli("check").stdout.splitlines()
    assert ("sources: b1 and c1 give signed_investment as exact 2000000000 and exact 2100000000; "
            "counted: exact 2000000000") in lines


def test_a_link_between_items_one_already_is_refused(empty_cli):
    cli = empty_cli
    for item_id, date, document in (("a1", "2023-02-18", "docA"), ("b1", "2023-02", "docB"), ("c1", "2023", "docC")):
        _signing(cli, item_id, date, document)
    cli.ok("link", "a1", "--same-as", "b1", "--reason", "r")
    cli.ok("link", "b1", "--same-as", "c1", "--reason", "r")
    run = cli("link", "a1", "--same-as", "c1", "--reason", "r")
    assert (run.exit_code, run.stderr) == (2, "coop-ledger: id: 'a1': is one item with 'c1' already\n")
    assert cli.ok("unlink", "b1", "--from", "c1", "--reason", "r").stderr == "coop-ledger: b1 and c1 are two items again\n"
    assert [r["id"] for r in cli.ok("timeline", "-f", "json").json()] == ["c1", "a1"]  # c1 is of 2023, a1 with b1

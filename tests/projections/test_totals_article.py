"""The article's totals, computed by hand from its events, as a reporter would quote them.

An account is (metric, scope, population): figures add up only within one, a report
stands for its own population, and a total with no certain figure yet has no value.
"""

import pytest

BOTH = "闵行区·淮南市"
ZONE = "淮南高新区"
SHANGHAI, HU_SU_ZHE, FARM = "上海项目", "沪苏浙项目", "农业项目"
UNDATED_HU_SU_ZHE = ["undated-nev-120k-project-signed", "undated-nev-drive-thermal-project-signed"]
CITY_REPORT, ZONE_REPORT = "2023-huainan-shanghai-projects-report", "2023-hitech-zone-projects-report"
YINGZHONG, DELI, FARM_SIGNINGS = "2022-04-yingzhong-project-signed", "undated-deli-ev-project", "undated-agri-projects-signed"


def _totals(cli, as_of, *metrics):
    args = ["totals", "--as-of", as_of, "-f", "json"]
    for m in metrics:
        args += ["--metric", m]
    return {(t["metric"], t["scope"], t["population"]): t for t in cli.ok(*args).json()}


def _part(basis, value, items, qualifier="exact"):
    return {"basis": basis, "value": value, "qualifier": qualifier, "items": items}


def _check(rows, account, value, unit, qualifier, basis, events, beside=(), pending=(), parts=None):
    row = rows[account]
    got = {k: row[k] for k in ("value", "unit", "qualifier", "basis", "events", "beside", "pending")}
    assert got == {"value": value, "unit": unit, "qualifier": qualifier, "basis": basis, "events": list(events),
                   "beside": list(beside), "pending": list(pending)}, account
    if parts is not None:
        assert row["parts"] == parts, account


def test_end_of_2022(cli):
    rows = _totals(cli, "2022-12-31", "signed_investment", "cadres_seconded", "people_trained", "jobs_offered")
    _check(rows, ("signed_investment", ZONE, ""), "2000000000", "CNY", "exact", "itemized", [YINGZHONG],
           pending=[DELI], parts=[_part("itemized", "2000000000", [YINGZHONG])])
    # Nothing of these is certain yet: no bare 0 that would read as "none".
    _check(rows, ("signed_investment", ZONE, HU_SU_ZHE), None, "CNY", "exact", "pending", [], pending=UNDATED_HU_SU_ZHE,
           parts=[])
    _check(rows, ("signed_investment", BOTH, FARM), None, "CNY", "exact", "pending", [], pending=[FARM_SIGNINGS])
    _check(rows, ("cadres_seconded", "淮南市", ""), None, "persons", "exact", "pending", [],
           pending=["2021-city-cadres-seconded", "2021-county-cadres-seconded"])
    assert len(rows) == 4


def test_mid_2023(cli):
    rows = _totals(cli, "2023-06-30", "signed_investment", "people_trained", "jobs_offered",
                   "companies_participating", "delegation_visits")
    _check(rows, ("signed_investment", "淮南市", SHANGHAI), None, "CNY", "exact", "pending", [], pending=[CITY_REPORT])
    _check(rows, ("signed_investment", ZONE, HU_SU_ZHE), None, "CNY", "exact", "pending", [],
           pending=[ZONE_REPORT, *UNDATED_HU_SU_ZHE])
    _check(rows, ("signed_investment", ZONE, ""), "2000000000", "CNY", "exact", "itemized", [YINGZHONG], pending=[DELI])
    _check(rows, ("people_trained", "淮南市", ""), "5", "persons", "exact", "itemized",
           ["2023-04-teachers-job-shadowing"], pending=["2023-teachers-trained-report"])
    _check(rows, ("jobs_offered", BOTH, ""), "1700", "jobs", "more_than", "itemized", ["2023-06-13-job-fair"])
    # One fair's 50 and 40 companies are 90 companies at that fair.
    _check(rows, ("companies_participating", BOTH, ""), "90", "companies", "exact", "itemized", ["2023-06-13-job-fair"])
    _check(rows, ("delegation_visits", "淮南市", ""), "1", "events", "exact", "itemized",
           ["2023-04-14-huainan-delegation-shanghai"], pending=["2023-huainan-tourism-visit-minhang"])


def test_end_of_2023(cli):
    rows = _totals(cli, "2023-12-31", "signed_investment", "projects_signed", "people_trained", "intended_deal_value",
                   "order_value", "companies_participating", "sales", "cadres_seconded")
    _check(rows, ("signed_investment", "淮南市", SHANGHAI), "46151000000", "CNY", "exact", "reported", [CITY_REPORT],
           parts=[_part("reported", "46151000000", [CITY_REPORT])])
    # The zone's 沪苏浙 report stands alone: 英众's 20亿 names no population and is its own line.
    _check(rows, ("signed_investment", ZONE, HU_SU_ZHE), "23455000000", "CNY", "exact", "reported", [ZONE_REPORT],
           beside=UNDATED_HU_SU_ZHE, parts=[_part("reported", "23455000000", [ZONE_REPORT])])
    _check(rows, ("signed_investment", ZONE, ""), "2000000000", "CNY", "exact", "itemized", [YINGZHONG], pending=[DELI])
    _check(rows, ("projects_signed", "淮南市", SHANGHAI), "48", "projects", "exact", "reported", [CITY_REPORT])
    _check(rows, ("projects_signed", ZONE, HU_SU_ZHE), "20", "projects", "exact", "reported", [ZONE_REPORT])
    _check(rows, ("projects_signed", BOTH, FARM), None, "projects", "exact", "pending", [], pending=[FARM_SIGNINGS])
    _check(rows, ("people_trained", "淮南市", ""), "5", "persons", "exact", "itemized",
           ["2023-04-teachers-job-shadowing"], pending=["2023-teachers-trained-report"])
    # Intended deals and orders are two metrics, never one sum.
    _check(rows, ("intended_deal_value", BOTH, ""), "32000000", "CNY", "exact", "itemized",
           ["2023-12-trade-matchmaking-fair"])
    _check(rows, ("order_value", BOTH, ""), "4000000", "CNY", "exact", "itemized", ["2023-agri-expo-pavilion-day"])
    # Companies at two fairs are appearances, not 119 companies: listed, not added.
    _check(rows, ("companies_participating", BOTH, ""), None, "companies", "exact", "not added",
           ["2023-06-13-job-fair", "2023-12-trade-matchmaking-fair"],
           parts=[_part("itemized", "90", ["2023-06-13-job-fair"]), _part("itemized", "29", ["2023-12-trade-matchmaking-fair"])])
    _check(rows, ("sales", "淮南名特优农产品上海展销中心", ""), "69120000", "CNY", "exact", "reported",
           ["2023-sales-centre-annual-sales"])
    _check(rows, ("cadres_seconded", "淮南市", ""), None, "persons", "exact", "pending", [],
           pending=["2021-city-cadres-seconded", "2021-county-cadres-seconded"])


def test_after_publication(cli):
    rows = _totals(cli, "2024-04-01", "signed_investment", "projects_signed", "people_trained", "cadres_seconded",
                   "parks_unveiled")
    _check(rows, ("cadres_seconded", "淮南市", ""), "168", "persons", "exact", "itemized",
           ["2021-city-cadres-seconded", "2021-county-cadres-seconded"],
           parts=[_part("itemized", "168", ["2021-city-cadres-seconded", "2021-county-cadres-seconded"])])
    _check(rows, ("people_trained", "淮南市", ""), "200", "persons", "nearly", "reported",
           ["2023-teachers-trained-report"], beside=["2023-04-teachers-job-shadowing"])
    _check(rows, ("signed_investment", BOTH, FARM), "3000000000", "CNY", "more_than", "itemized", [FARM_SIGNINGS])
    _check(rows, ("signed_investment", ZONE, HU_SU_ZHE), "23455000000", "CNY", "exact", "reported", [ZONE_REPORT],
           beside=UNDATED_HU_SU_ZHE)
    _check(rows, ("signed_investment", ZONE, ""), "7000000000", "CNY", "exact", "itemized", [YINGZHONG, DELI],
           parts=[_part("itemized", "7000000000", [YINGZHONG, DELI])])
    _check(rows, ("projects_signed", BOTH, FARM), "26", "projects", "exact", "itemized", [FARM_SIGNINGS])
    # The park (2023-02-18), the Huainan incubation base (2023-03), and the Minhang one (undated).
    _check(rows, ("parks_unveiled", BOTH, ""), "3", "events", "exact", "itemized",
           ["2023-02-18-sci-park-unveiled", "2023-03-incubation-base-unveiled",
            "undated-minhang-incubation-base-unveiled"])


def test_plans_never_count(cli):
    rows = _totals(cli, "2030-12-31", "sites")
    # The 8 scenic spots are a 2024 plan; only the 4 elderly-care bases happened.
    assert {k: v["value"] for k, v in rows.items()} == {("sites", BOTH, ""): "4"}


def test_running_totals_by_year(cli):
    rows = cli.ok("totals", "--as-of", "2024-04-01", "--metric", "signed_investment", "--by", "year",
                  "--cumulative", "-f", "json").json()
    zone = [(r["population"], r["year"], r["value"], r["basis"]) for r in rows if r["scope"] == ZONE]
    assert zone == [
        ("", "2022", "2000000000", "itemized"), ("", "2024", "7000000000", "itemized"),
        (HU_SU_ZHE, "2023", "23455000000", "reported"),
    ]


def test_totals_by_population(cli):
    rows = cli.ok("totals", "--as-of", "2023-12-31", "--metric", "projects_signed", "--by", "population",
                  "-f", "json").json()
    assert [(r["scope"], r["population"], r["value"]) for r in rows] == [
        ("淮南市", SHANGHAI, "48"), (ZONE, HU_SU_ZHE, "20"), (BOTH, FARM, None),
    ]


def test_counts_by_kind_and_quarter(cli):
    rows = cli.ok("totals", "--as-of", "2023-12-31", "--metric", "delegation_visits", "--by", "quarter", "-f", "json").json()
    minhang = [(r["quarter"], r["value"]) for r in rows if r["scope"] == "闵行区"]
    assert minhang == [("2023q2", "1"), ("2023q4", "2")]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_the_table_footnotes_pending_beside_and_appearances(cli, fmt):
    out = cli.ok("totals", "--as-of", "2023-12-31", "--metric", "signed_investment",
                 "--metric", "companies_participating", "-f", fmt).stdout
    assert out.splitlines()[0] == "as of 2023-12-31"
    assert "46,151,000,000" in out
    assert ("signed_investment / 淮南高新区 / 沪苏浙项目: shown beside the report, not added: "
            + ", ".join(UNDATED_HU_SU_ZHE)) in out
    assert "signed_investment / 闵行区·淮南市 / 农业项目: pending (date not yet certain): undated-agri-projects-signed" in out
    assert ("companies_participating / 闵行区·淮南市: appearances, not distinct things: not added: "
            "2023-06-13-job-fair, 2023-12-trade-matchmaking-fair") in out
    farm = next(line for line in out.splitlines() if "农业项目" in line and not line.startswith("["))
    import re

    assert re.search(r"–[\s|]*CNY", farm)  # no value yet, not a 0 that reads as "none"

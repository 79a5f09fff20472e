"""The article's totals, computed by hand from its events, as of four days."""

import pytest

UNDATED_ZONE = ["undated-deli-ev-project", "undated-nev-120k-project-signed", "undated-nev-drive-thermal-project-signed"]
BOTH = "闵行区·淮南市"


def _totals(cli, as_of, *metrics):
    args = ["totals", "--as-of", as_of, "-f", "json"]
    for m in metrics:
        args += ["--metric", m]
    return {(t["metric"], t["scope"]): t for t in cli.ok(*args).json()}


def _row(value, unit, qualifier, basis, events, beside=(), pending=(), metric=None, scope=None):
    return {"metric": metric, "scope": scope, "value": value, "unit": unit, "qualifier": qualifier, "basis": basis,
            "events": list(events), "beside": list(beside), "pending": list(pending)}


def _check(rows, metric, scope, *args, **kwargs):
    assert rows[(metric, scope)] == _row(*args, **kwargs, metric=metric, scope=scope)


def test_end_of_2022(cli):
    rows = _totals(cli, "2022-12-31", "signed_investment", "cadres_seconded", "people_trained", "jobs_offered")
    _check(rows, "signed_investment", "淮南高新区", "2000000000", "CNY", "exact", "itemized",
           ["2022-04-yingzhong-project-signed"], pending=UNDATED_ZONE)
    _check(rows, "signed_investment", BOTH, "0", "CNY", "exact", "itemized", [], pending=["undated-agri-projects-signed"])
    _check(rows, "cadres_seconded", "淮南市", "0", "persons", "exact", "itemized", [],
           pending=["2021-city-cadres-seconded", "2021-county-cadres-seconded"])
    assert set(rows) == {("signed_investment", "淮南高新区"), ("signed_investment", BOTH), ("cadres_seconded", "淮南市")}


def test_mid_2023(cli):
    rows = _totals(cli, "2023-06-30", "signed_investment", "people_trained", "jobs_offered",
                   "companies_participating", "delegation_visits")
    _check(rows, "signed_investment", "淮南市", "0", "CNY", "exact", "itemized", [],
           pending=["2023-huainan-shanghai-projects-report"])
    _check(rows, "signed_investment", "淮南高新区", "2000000000", "CNY", "exact", "itemized",
           ["2022-04-yingzhong-project-signed"], pending=["2023-hitech-zone-projects-report", *UNDATED_ZONE])
    _check(rows, "people_trained", "淮南市", "5", "persons", "exact", "itemized",
           ["2023-04-teachers-job-shadowing"], pending=["2023-teachers-trained-report"])
    _check(rows, "jobs_offered", BOTH, "1700", "jobs", "more_than", "itemized", ["2023-06-13-job-fair"])
    _check(rows, "companies_participating", BOTH, "90", "companies", "exact", "itemized", ["2023-06-13-job-fair"])
    _check(rows, "delegation_visits", "淮南市", "1", "events", "exact", "itemized",
           ["2023-04-14-huainan-delegation-shanghai"], pending=["2023-huainan-tourism-visit-minhang"])


def test_end_of_2023(cli):
    rows = _totals(cli, "2023-12-31", "signed_investment", "projects_signed", "people_trained", "deal_value",
                   "companies_participating", "sales", "cadres_seconded")
    _check(rows, "signed_investment", "淮南市", "46151000000", "CNY", "exact", "reported",
           ["2023-huainan-shanghai-projects-report"])
    _check(rows, "signed_investment", "淮南高新区", "25455000000", "CNY", "exact", "reported+itemized",
           ["2022-04-yingzhong-project-signed", "2023-hitech-zone-projects-report"], beside=UNDATED_ZONE)
    _check(rows, "projects_signed", "淮南市", "48", "projects", "exact", "reported", ["2023-huainan-shanghai-projects-report"])
    _check(rows, "projects_signed", "淮南高新区", "20", "projects", "exact", "reported", ["2023-hitech-zone-projects-report"])
    _check(rows, "people_trained", "淮南市", "5", "persons", "exact", "itemized",
           ["2023-04-teachers-job-shadowing"], pending=["2023-teachers-trained-report"])
    _check(rows, "deal_value", BOTH, "36000000", "CNY", "exact", "itemized",
           ["2023-12-trade-matchmaking-fair", "2023-agri-expo-pavilion-day"])
    _check(rows, "companies_participating", BOTH, "119", "companies", "exact", "itemized",
           ["2023-06-13-job-fair", "2023-12-trade-matchmaking-fair"])
    _check(rows, "sales", "淮南名特优农产品上海展销中心", "69120000", "CNY", "exact", "reported",
           ["2023-sales-centre-annual-sales"])
    _check(rows, "cadres_seconded", "淮南市", "0", "persons", "exact", "itemized", [],
           pending=["2021-city-cadres-seconded", "2021-county-cadres-seconded"])


def test_after_publication(cli):
    rows = _totals(cli, "2024-04-01", "signed_investment", "projects_signed", "people_trained", "cadres_seconded")
    _check(rows, "cadres_seconded", "淮南市", "168", "persons", "exact", "itemized",
           ["2021-city-cadres-seconded", "2021-county-cadres-seconded"])
    _check(rows, "people_trained", "淮南市", "200", "persons", "nearly", "reported",
           ["2023-teachers-trained-report"], beside=["2023-04-teachers-job-shadowing"])
    _check(rows, "signed_investment", BOTH, "3000000000", "CNY", "more_than", "itemized", ["undated-agri-projects-signed"])
    _check(rows, "signed_investment", "淮南高新区", "25455000000", "CNY", "exact", "reported+itemized",
           ["2022-04-yingzhong-project-signed", "2023-hitech-zone-projects-report"], beside=UNDATED_ZONE)
    _check(rows, "projects_signed", BOTH, "26", "projects", "exact", "itemized", ["undated-agri-projects-signed"])


def test_plans_never_count(cli):
    rows = _totals(cli, "2030-12-31", "sites")
    # The 8 scenic spots are a 2024 plan; only the 4 elderly-care bases happened.
    assert {k: v["value"] for k, v in rows.items()} == {("sites", BOTH): "4"}


def test_running_totals_by_year(cli):
    rows = cli.ok("totals", "--as-of", "2024-04-01", "--metric", "signed_investment", "--by", "year",
                  "--cumulative", "-f", "json").json()
    zone = [(r["year"], r["value"], r["basis"]) for r in rows if r["scope"] == "淮南高新区"]
    assert zone == [("2022", "2000000000", "itemized"), ("2023", "25455000000", "reported+itemized")]


def test_counts_by_kind_and_quarter(cli):
    rows = cli.ok("totals", "--as-of", "2023-12-31", "--metric", "delegation_visits", "--by", "quarter", "-f", "json").json()
    minhang = [(r["quarter"], r["value"]) for r in rows if r["scope"] == "闵行区"]
    assert minhang == [("2023q2", "1"), ("2023q4", "2")]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_the_table_footnotes_pending_and_beside(cli, fmt):
    out = cli.ok("totals", "--as-of", "2023-12-31", "--metric", "signed_investment", "-f", fmt).stdout
    assert out.splitlines()[0] == "as of 2023-12-31"
    assert "46,151,000,000" in out
    assert "signed_investment / 淮南高新区: shown beside the report, not added: " + ", ".join(UNDATED_ZONE) in out
    assert "signed_investment / 闵行区·淮南市: pending (date not yet certain): undated-agri-projects-signed" in out

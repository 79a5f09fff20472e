"""Valid data never breaks a command: thousands of period reports in one account."""

import json
from datetime import date, timedelta

REPORTS = 5000
FIRST = date(2010, 1, 1)  # report i covers the day FIRST + i: one a day, none overlapping


def _reports(path):
    with path.open("w", encoding="utf-8") as f:
        for i in range(REPORTS):
            day = FIRST + timedelta(days=i)
            f.write(json.dumps({
                "id": f"report-{i:04d}", "kind": "period_report", "date": day.isoformat(),
                "title": f"{day.isoformat()} 培训日报", "scope": "淮南市",
                "measures": [{"metric": "people_trained", "value": "3", "unit": "persons",
                              "qualifier": "exact", "text": "培训3人"}],
                "source": {"document": "daily", "quote": ""},
            }, ensure_ascii=False) + "\n")


def _row(cli, *args):
    rows = cli.ok("totals", "--metric", "people_trained", "-f", "json", *args).json()
    assert [(r["metric"], r["scope"]) for r in rows] == [("people_trained", "淮南市")] * len(rows)
    return rows


def test_totals_of_5000_reports_in_one_account(cli, tmp_path):
    cli.ok("init", "--no-seed")
    path = tmp_path / "reports.jsonl"
    _reports(path)
    run = cli.ok("import", str(path))
    assert run.stderr == f"coop-ledger: imported {REPORTS} items, 0 already recorded\n"

    # Every report counts, 3 persons each: 5,000 x 3.
    [row] = _row(cli, "--as-of", "2030-01-01")
    assert (row["value"], row["unit"], row["qualifier"], row["basis"]) == ("15000", "persons", "exact", "reported")
    assert len(row["events"]) == REPORTS and row["beside"] == [] and row["pending"] == []

    # As of the last day of report 2,499 (2016-11-04), the first 2,500 count: 7,500.
    assert FIRST + timedelta(days=2499) == date(2016, 11, 4)
    [row] = _row(cli, "--as-of", "2016-11-04")
    assert row["value"] == "7500" and row["events"][0] == "report-0000" and row["events"][-1] == "report-2499"

    # By year: 2010 has 365 days of reports (1,095 persons); 2012, a leap year, 366 (1,098).
    years = {r["year"]: r["value"] for r in _row(cli, "--as-of", "2030-01-01", "--by", "year")}
    assert (years["2010"], years["2012"], len(years)) == ("1095", "1098", 14)
    assert sum(int(v) for v in years.values()) == 15000

"""Inputs that were tracebacks: each is one line naming the option and its value, exit 2."""

import pytest


@pytest.mark.parametrize("moment", ["2026-01-01T00:00+99:00", "0001-01-01T00:00+01:00", "9999-12-31T23:59-14:00"])
@pytest.mark.parametrize("command", ["timeline", "totals", "export"])
def test_a_moment_no_utc_clock_can_hold_is_one_line(cli, command, moment):
    run = cli(command, "--as-known-at", moment)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"coop-ledger: as-known-at: {moment!r}: not a timestamp (e.g. 2026-01-05T10:00:00Z)\n"


def test_the_last_day_a_clock_can_hold_is_a_moment(cli):
    cli.ok("init")
    assert cli.ok("timeline", "--as-known-at", "9999-12-31").stdout.endswith("\n65 items\n")
    assert cli.ok("timeline", "--as-known-at", "2026-01-01T00:00+23:59").exit_code == 0


def test_a_chart_as_of_a_day_before_every_figure_is_one_line(cli, tmp_path):
    cli.ok("init")
    out = tmp_path / "chart.png"
    run = cli("chart", "--metric", "signed_investment", "--as-of", "0001-01-01", "--out", str(out))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == "coop-ledger: metric: 'signed_investment': nothing to draw for this metric and scope\n"
    assert not out.exists()


def test_a_chart_with_pending_items_draws_the_certain_ones(cli, tmp_path):
    """As of mid-2023 淮南市 has only a pending signing; the chart draws the other scopes."""
    cli.ok("init")
    out = tmp_path / "chart.png"
    run = cli("chart", "--metric", "signed_investment", "--as-of", "2023-06-30", "--out", str(out))
    assert run.exit_code == 0, run.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

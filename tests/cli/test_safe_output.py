"""Output that cannot act: no control characters on a terminal, no formulas in a
spreadsheet, no table syntax from a cell in markdown, and a failed stdout is one line."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from cli.output import render_csv, render_table

ROOT = Path(__file__).resolve().parents[2]


def test_a_table_cell_shows_control_characters_as_escapes():
    text = render_table(["title", "id"], [["a\x1b[2Jb\r\nc\x85d\x00", "x"]], "table")
    assert text.splitlines()[2] == "a\\x1b[2Jb\\r\\nc\\x85d\\x00  x"
    assert "\x1b" not in text and "\r" not in text


def test_markdown_escapes_pipes_backslashes_and_html():
    text = render_table(["title"], [["a|b\\c<script>"]], "markdown")
    assert text.splitlines()[2] == "| a\\|b\\\\c\\<script> |"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+1+cmd", "'+1+cmd"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "\\t=1"),
        ("\r=1", "\\r=1"),
        ("＝1+1", "'＝1+1"),
        ("-5", "-5"),
        ("+3.25", "+3.25"),
        ("2023-04-14", "2023-04-14"),
        ("闵行区", "闵行区"),
    ],
)
def test_a_csv_cell_that_would_start_a_formula_is_prefixed_and_a_number_is_not_and_controls_are_escaped(cell, written):
    rows = list(csv.reader(io.StringIO(render_csv([{"cell": cell}]), newline="")))
    assert rows == [["cell"], [written]]


def test_timeline_csv_and_markdown_of_hostile_text(empty_cli):
    cli = empty_cli
    cli.ok("append", "--kind", "meeting", "--date", "2024-01-05", "--title", "=HYPERLINK(\"http://x\",\"点\")",
           "--scope", "@SUM(A1)", "--quote", "-2+3+cmd|' /C calc'!A0", "--id", "hostile")
    rows = list(csv.DictReader(io.StringIO(cli.ok("timeline", "-f", "csv").stdout)))
    assert [(r["id"], r["title"], r["scope"], r["quote"]) for r in rows] == [
        ("hostile", "'=HYPERLINK(\"http://x\",\"点\")", "'@SUM(A1)", "'-2+3+cmd|' /C calc'!A0"),
    ]
    cli.ok("append", "--kind", "meeting", "--date", "2024-01-06", "--title", "左|右 <b>", "--id", "piped")
    markdown = cli.ok("timeline", "-f", "markdown").stdout.splitlines()
    assert markdown[3] == (
        "| 2024-01-06 | meeting | 左\\|右 \\<b>                 |            | piped   |"
    )


def _run(*args, stdout):
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )


@pytest.mark.parametrize("command", [("timeline",), ("timeline", "-f", "json"), ("export",), ("verify",)])
def test_output_to_a_full_disk_is_one_line_and_exit_2(sqlite_cli, command):
    sqlite_cli.ok("init")
    with open("/dev/full", "w") as full:
        run = _run("--db", sqlite_cli.db, *command, stdout=full)
    assert (run.returncode, run.stderr) == (2, "coop-ledger: stdout: cannot write (No space left on device)\n")


def test_output_to_a_closed_pipe_is_one_line_and_exit_2(sqlite_cli):
    sqlite_cli.ok("init")
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "--db", sqlite_cli.db, "export"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    process.stdout.close()
    assert (process.wait(), process.stderr.read()) == (2, "coop-ledger: stdout: cannot write (Broken pipe)\n")

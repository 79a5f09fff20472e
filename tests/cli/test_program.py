"""The program itself: version, help, completion, no colour off a terminal."""

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_version():
    done = _run("--version")
    assert (done.returncode, done.stdout) == (0, f"coop-ledger {version('coop-ledger')}\n")


def test_help_lists_every_command():
    done = _run("--help")
    assert done.returncode == 0
    for command in ["init", "append", "timeline", "totals", "import", "export", "replay", "correct", "retract",
                    "history", "verify", "chart"]:
        assert f"  {command} " in done.stdout
    assert "--install-completion" in done.stdout


def test_help_loads_neither_the_event_store_nor_pydantic():
    """Start-up time is import time: --help must not pay for the store (or for a typer
    that imports pydantic, which pyproject keeps out)."""
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['coop-ledger', '--help']\n"
        "try:\n    runpy.run_module('cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'eventsourcing', 'ledger', 'pydantic', 'sqlite3'}),"
        " file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_no_colour_escape_codes_when_piped_or_with_no_color(tmp_path):
    db = str(tmp_path / "l.sqlite")
    for env in ({}, {"NO_COLOR": "1", "FORCE_COLOR": ""}):
        done = _run("--db", db, "timeline", "--period", "2023-04", env=env)
        assert done.returncode == 0
        assert "\x1b[" not in done.stdout + done.stderr


def test_the_full_round_trip_from_the_readme(tmp_path):
    """Append, query a range, export, import into a fresh store and compare."""
    first, second = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    item_id = _run("--db", first, "append", "--kind", "training", "--date", "2024-05", "--title", "数字化培训",
                   "--measure", "people_trained=约60名").stdout.strip()
    assert _run("--db", first, "timeline", "--period", "2024-05", "--strict", "-f", "csv").stdout.splitlines()[1].startswith(
        f"{item_id},training,2024-05,within,数字化培训,")
    exported = tmp_path / "export.jsonl"
    exported.write_text(_run("--db", first, "export").stdout, encoding="utf-8")
    assert _run("--db", second, "init", "--no-seed").returncode == 0
    assert _run("--db", second, "import", str(exported)).stderr == "coop-ledger: imported 66 items, 0 already recorded\n"
    strip = lambda text: [line.split(', "recorded_at"')[0] for line in text.splitlines()]  # noqa: E731
    assert strip(_run("--db", second, "export").stdout) == strip(exported.read_text(encoding="utf-8"))

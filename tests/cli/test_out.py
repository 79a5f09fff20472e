"""--out never destroys the store, never leaves a half file, and a bad path is one line."""

import errno
from pathlib import Path

import pytest

COMMANDS = {
    "export": ("export", "--out"),
    "chart": ("chart", "--metric", "signed_investment", "--as-of", "2024-04-01", "--out"),
}


def _store_files(db):
    return {p: p.read_bytes() for p in Path(db).parent.glob(Path(db).name + "*")}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_an_out_that_is_the_store_or_its_log_is_refused(sqlite_cli, command, suffix):
    sqlite_cli.ok("init")
    before = _store_files(sqlite_cli.db)
    target = sqlite_cli.db + suffix
    if command == "chart":  # chart takes .png or .svg only: the store by another name
        target = str(Path(sqlite_cli.db).with_suffix(".png"))
        Path(target).symlink_to(sqlite_cli.db + suffix)
    run = sqlite_cli(*COMMANDS[command], target)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"coop-ledger: out: {target!r}: is the store itself (--db); writing it would destroy the ledger\n"
    assert _store_files(sqlite_cli.db) == before
    assert sqlite_cli.ok("verify").stdout.startswith("ok: 66 events intact")


@pytest.mark.parametrize("command", COMMANDS)
def test_an_out_that_is_another_sqlite_database_is_refused(cli, tmp_path, command):
    other = tmp_path / "other.svg"
    import sqlite3

    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text)")
    before = other.read_bytes()
    run = cli(*COMMANDS[command], str(other))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"coop-ledger: out: {str(other)!r}: is a SQLite database; refusing to overwrite it\n"
    assert other.read_bytes() == before


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("", "out: '': give a file name"),
        ("{tmp}", "out: '{tmp}': is a folder; give a file name"),
        ("{tmp}/missing/x.svg", "out: '{tmp}/missing/x.svg': the folder '{tmp}/missing' does not exist"),
    ],
    ids=["empty", "folder", "missing-folder"],
)
def test_a_bad_out_path_is_one_line(cli, tmp_path, command, out, message):
    out = out.format(tmp=tmp_path)
    run = cli(*COMMANDS[command], out)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == "coop-ledger: " + message.format(tmp=tmp_path) + "\n"
    assert not (tmp_path / "missing").exists()


def test_a_failed_write_leaves_the_old_file_and_no_half_file(cli, tmp_path, monkeypatch):
    cli.ok("init")
    out = tmp_path / "ledger.jsonl"
    out.write_text("the previous export\n")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("cli.outfile.os.fsync", full)
    run = cli("export", "--out", str(out))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"coop-ledger: out: {str(out)!r}: cannot write (No space left on device)\n"
    assert out.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("ledger-")) == ["ledger.jsonl"]


def test_a_chart_that_fails_part_way_leaves_no_file(sqlite_cli, tmp_path, monkeypatch):
    sqlite_cli.ok("init")
    out = tmp_path / "chart.png"

    def half(rows, metric, by, f, fmt):
        f.write(b"\x89PNG half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("cli.chart.draw", half)
    run = sqlite_cli("chart", "--metric", "signed_investment", "--as-of", "2024-04-01", "--out", str(out))
    assert run.exit_code == 2
    assert run.stderr == f"coop-ledger: out: {str(out)!r}: cannot write (No space left on device)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.sqlite", "ledger.sqlite-shm", "ledger.sqlite-wal"]


def test_an_export_keeps_the_mode_a_new_file_gets_from_the_umask(sqlite_cli, tmp_path):
    out = tmp_path / "x.jsonl"
    sqlite_cli.ok("export", "--out", str(out))
    import os

    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask
    assert out.read_text(encoding="utf-8") == sqlite_cli.ok("export").stdout
    out.chmod(0o640)
    sqlite_cli.ok("export", "--out", str(out))
    assert out.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("db", [":memory:", "", "file::memory:", "x.sqlite?mode=memory&cache=shared", "file:x.sqlite"])
def test_a_store_that_keeps_nothing_is_refused(tmp_path, monkeypatch, db):
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(app, ["--db", db, "append", "--kind", "meeting", "--date", "2024", "--title", "会"])
    assert (run.exit_code, run.stdout) == (2, "")
    reason = {
        "": "give a file path (an empty name is a temporary database, kept nowhere)",
        "file:x.sqlite": "give the SQLite file's path, not a file: URI",
    }.get(db, "a SQLite store must be a file: an in-memory one keeps nothing")
    assert run.stderr == f"coop-ledger: db: {db!r}: {reason}\n"
    assert list(tmp_path.iterdir()) == []

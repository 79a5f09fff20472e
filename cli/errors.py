"""Turning every expected failure into one line on stderr and an exit code, never a traceback."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

USAGE = 2
CONFLICT = 3
# A write to stdout that cannot go anywhere: a full disk (/dev/full), a closed pipe. A
# file a command writes itself (--out) reports its own failures with its name.
_OUTPUT_ERRORS = {errno.ENOSPC, errno.EPIPE, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _fail(message: str, code: int) -> None:
    print(f"coop-ledger: {' '.join(str(message).strip().splitlines())}", file=sys.stderr)
    sys.exit(code)


def _fail_on(e: Exception) -> None:
    """Exit with the line and code for an expected failure; return for anything else.

    The error types are imported here, not at start-up: a command that raised one has
    loaded its module already, and `--help` must not load the event store.
    """
    import sqlite3

    from eventsourcing.persistence import PersistenceError

    from events import InvalidValue
    from ledger.application import BrokenEvent, Conflict, DocumentTaken, NothingToChange, UnknownDocument, UnknownItem
    from ledger.importer import BadFile
    from ledger.store import StoreUnavailable
    from projections.runner import Stuck

    if _in_view_row(e):
        if isinstance(e, KeyError):
            reason = f"unknown value {e.args[0]!r}"
        elif isinstance(e, ArithmeticError):  # decimal's InvalidOperation: text that is no number
            reason = "a value that is no number"
        else:
            reason = " ".join(str(e).split()) or type(e).__name__
        _fail(f"db: the read model holds a row that cannot be read ({reason}): "
              "run `coop-ledger replay` to rebuild it from the events", USAGE)
    if isinstance(e, BrokenEvent):
        _fail(str(e), USAGE)
    if isinstance(e, BadFile):
        # As a compiler lists errors: one `FILE:LINE: field: message` line each.
        for line in e.lines:
            print(line, file=sys.stderr)
        sys.exit(CONFLICT if e.conflict else USAGE)
    if isinstance(e, (InvalidValue, StoreUnavailable, UnknownItem, UnknownDocument, DocumentTaken, NothingToChange, Stuck)):
        _fail(str(e), USAGE)
    if isinstance(e, Conflict):
        _fail(str(e), CONFLICT)
    if isinstance(e, (PersistenceError, sqlite3.Error)):
        # The store failed under a running command (locked too long, connection lost).
        _fail(f"db: the store failed: {e}", USAGE)
    # Typer's own usage errors (a missing option, a bad value for a typed one) come from
    # its bundled click and carry their message and exit code.
    if hasattr(e, "format_message") and hasattr(e, "exit_code"):
        _fail(e.format_message(), e.exit_code)


def _in_view_row(e: BaseException) -> bool:
    """Whether `e` was raised reading back a row of the read model's tables.

    The fold writes only rows that read back: one that does not was edited behind the
    ledger's back, whatever the error it raises (bad JSON, an unknown kind, a value that
    is no number), and a replay makes it anew from the events.
    """
    rows = sys.modules.get("projections.rows")
    if rows is None:
        return False
    readers = {getattr(getattr(rows, name, None), "__code__", None) for name in ("row_from", "figure_from")}
    tb = e.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code in readers:
            return True
        tb = tb.tb_next
    return False


class LedgerGroup(TyperGroup):
    """The command group, with the one place where errors become exit codes."""

    def main(self, args: Sequence[str] | None = None, *pos: Any, standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            code = super().main(args, *pos, standalone_mode=False, **extra)
        except (typer.Exit, typer.Abort) as e:
            _flush_stdout()
            sys.exit(getattr(e, "exit_code", 130))
        except Exception as e:
            _fail_on(e)
            raise
        _flush_stdout()
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        # Here rather than in main(): click turns a broken pipe into a silent exit 1 first.
        try:
            return super().invoke(ctx)
        except OSError as e:
            if e.errno in _OUTPUT_ERRORS and e.filename is None:
                _stdout_failed(e)
            raise


def _flush_stdout() -> None:
    """Write out what is buffered now, not at exit, where a full disk or a closed pipe would
    be a traceback of Python's own after the command had reported success."""
    try:
        sys.stdout.flush()
    except OSError as e:
        _stdout_failed(e)


def _stdout_failed(e: OSError) -> None:
    _drop_stdout()
    _fail(f"stdout: cannot write ({e.strerror or e})", USAGE)


def _drop_stdout() -> None:
    # What is still buffered would fail again at exit: send it where it can go.
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # a stdout with no descriptor (a test's capture)
        pass


def print_recorded(item_id: str) -> None:
    """Print the id of an item just recorded on stdout, after its write has committed.

    A closed pipe or a full disk then must not read as a refused write: exit 2 tells a
    script nothing was stored and to fix the input. Nor is SIGPIPE's 141 the answer, as
    for `yes | head`: that says the command was cut short, and this one had finished its
    work. So the command says on stderr (if stderr works) what is recorded and exits 0.
    """
    try:
        print(item_id, flush=True)
    except OSError as e:
        if e.errno not in _OUTPUT_ERRORS:
            raise
        _drop_stdout()
        try:
            print(f"coop-ledger: {item_id} is recorded; stdout: cannot write ({e.strerror or e})", file=sys.stderr)
        except OSError:
            pass  # nowhere left to say it: the exit code still tells the truth

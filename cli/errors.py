"""Turning every expected failure into one line on stderr and an exit code, never a traceback."""

from __future__ import annotations

import sys

import typer

USAGE = 2
CONFLICT = 3


def _line(message: str) -> str:
    return " ".join(str(message).split())


def _fail(message: str, code: int) -> None:
    print(f"coop-ledger: {_line(message)}", file=sys.stderr)
    sys.exit(code)


def run_app(app: typer.Typer) -> None:
    from events import InvalidValue
    from ledger.application import Conflict, NothingToChange, UnknownItem
    from ledger.jsonl import BadLine
    from ledger.store import StoreUnavailable

    try:
        code = app(standalone_mode=False)
    except (InvalidValue, BadLine, StoreUnavailable, UnknownItem, NothingToChange) as e:
        _fail(str(e), USAGE)
    except UnicodeDecodeError as e:
        _fail(f"file: not UTF-8 text ({e.reason} at byte {e.start})", USAGE)
    except Conflict as e:
        _fail(str(e), CONFLICT)
    except (typer.Exit, typer.Abort) as e:
        sys.exit(getattr(e, "exit_code", 130))
    except BrokenPipeError:
        sys.exit(0)
    except Exception as e:
        # Typer's own usage errors (a missing option, a bad value for a typed one) come
        # from its bundled click; they carry their message and exit code.
        if hasattr(e, "format_message") and hasattr(e, "exit_code"):
            _fail(e.format_message(), e.exit_code)
        raise
    sys.exit(code if isinstance(code, int) else 0)

"""Writing a command's `--out` file: never over the store, never a half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from events import InvalidValue
from ledger.store import StoreSpec, is_sqlite_database


def checked(out: str, spec: StoreSpec) -> Path:
    """`out` as a path a command may write, refused (InvalidValue) before anything is read.

    Refused: an empty name, a folder, a missing folder, the store or one of its files, and
    any SQLite database, which is another store as likely as not.
    """
    if not out.strip():
        raise InvalidValue("out", out, "give a file name")
    path = Path(out).expanduser()
    if path.is_dir():
        raise InvalidValue("out", out, "is a folder; give a file name")
    if not path.parent.is_dir():
        raise InvalidValue("out", out, f"the folder {str(path.parent)!r} does not exist")
    if any(_same(path, f) for f in spec.files):
        raise InvalidValue("out", out, "is the store itself (--db); writing it would destroy the ledger")
    if is_sqlite_database(path):
        raise InvalidValue("out", out, "is a SQLite database; refusing to overwrite it")
    return path


def _same(path: Path, other: Path) -> bool:
    if path.exists() and other.exists():
        return os.path.samefile(path, other)
    return path.resolve() == other.resolve()


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A file to write in place of `path`: a temporary one beside it, renamed over it only
    once it is complete, so that a failed write (a full disk) leaves `path` as it was."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as e:
        raise InvalidValue("out", str(path), f"cannot write ({e.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as e:
        os.unlink(temporary)
        raise InvalidValue("out", str(path), f"cannot write ({e.strerror})") from None
    except BaseException:
        os.unlink(temporary)
        raise


def _umask() -> int:
    # The only way to read it is to set it; a file made by mkstemp is 0600 whatever it is.
    mask = os.umask(0)
    os.umask(mask)
    return mask

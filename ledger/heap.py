"""Keeping the cyclic garbage collector out of a bulk pass."""

from __future__ import annotations

import gc


def settle() -> None:
    """Put every object alive now out of the cyclic collector's reach, before a bulk pass.

    An import or a replay allocates millions of short-lived containers, and the
    collections they trigger kept walking the long-lived objects of the loaded modules,
    which live for the whole command anyway: parsing 20,000 import lines took 1.3-1.4 s
    with them collected and 0.84 s settled (the README's benchmark machine).
    Reference counting still frees everything the pass makes; only reference cycles
    among the objects settled here would stay until the process ends. So this is for a
    command's process (the CLI, the benchmark's child), not for the library's functions.
    """
    gc.freeze()

"""Keeping the cyclic garbage collector out of a bulk pass."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


_depth = 0  # settled() nests: a command's import pass contains a catch-up


@contextmanager
def settled() -> Iterator[None]:
    """Put every object alive now out of the cyclic collector's reach for a bulk pass.

    An import or a replay allocates millions of short-lived containers, and the
    collections they trigger kept walking the long-lived objects of the loaded modules,
    which outlive the pass anyway: parsing 20,000 import lines took 1.3-1.4 s with them
    collected and 0.84 s settled (the README's benchmark machine). Reference counting
    still frees what the pass makes. Afterwards the objects go back to the collector and
    one full collection frees the cycles that were garbage already or became so (a
    closed store's connections): thawed objects land in the oldest generation, which
    the collector would otherwise visit only rarely. Process-wide, so it wraps a
    command's bulk pass, never the library's functions.
    """
    global _depth
    if _depth == 0:
        gc.freeze()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.unfreeze()
            gc.collect()

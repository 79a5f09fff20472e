"""A progress bar on a terminal for long imports and replays; silent when piped or --quiet."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# Below this many events a bar would only flicker.
WORTH_SHOWING = 20_000


@contextmanager
def progress(label: str, total: int, quiet: bool) -> Iterator[Callable[[int], None] | None]:
    """Yield a callback that advances a bar by n events, or None when no bar is shown."""
    if quiet or total < WORTH_SHOWING or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.update(task, advance=n)

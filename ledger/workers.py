"""A function run in a worker process of its own, answering through a queue.

For the bulk passes that split their Python work over two cores (an import's check, the
view's rows): threads cannot, the GIL serializing them. `multiprocessing` loads only when
a worker starts, so no command pays for it at start-up.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any

_POLL = 1.0  # seconds between checks that a silent worker is still alive


class WorkerFailed(RuntimeError):
    pass


class Worker:
    """`target(*args, answers)` in a spawned process, which puts what it has to say on
    `answers`; stopped, if still running, when the `with` block ends, failed or not."""

    def __init__(self, target: Callable[..., None], *args: Any, name: str, ahead: int = 0) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")  # a clean interpreter: no connection crosses
        self.name = name
        self._answers = context.Queue(maxsize=ahead)  # `ahead` > 0 bounds what waits in it
        self._process = context.Process(target=target, args=(*args, self._answers), daemon=True, name=name)

    def __enter__(self) -> Worker:
        self._process.start()
        return self

    def get(self) -> Any:
        """The worker's next answer; raises WorkerFailed if it died without one."""
        while True:
            try:
                return self._answers.get(timeout=_POLL)
            except queue.Empty:
                if not self._process.is_alive():
                    raise WorkerFailed(f"the process {self.name} died (exit code {self._process.exitcode})") from None

    def __exit__(self, *exc: object) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()

"""The fuzz's count of the generated inputs it ran, printed at the end of the run."""

from __future__ import annotations

from collections import Counter

import pytest

FUZZED: Counter[str] = Counter()


@pytest.fixture(scope="session")
def fuzzed() -> Counter[str]:
    """Inputs run so far, by command: each fuzz test adds one per generated input."""
    return FUZZED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FUZZED:
        parts = ", ".join(f"{command} {count:,}" for command, count in sorted(FUZZED.items()))
        terminalreporter.write_line(f"fuzz: {sum(FUZZED.values()):,} generated inputs run ({parts})")

"""Issue 20's speed targets, and whether a run meets them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.measure import SizeResult

MILLION = 1_000_000
# Each target is judged at the sizes the issue states it for (100k, printed at 1M too).
STATED = (100_000, MILLION)
QUERY_SECONDS = {100_000: 0.3, MILLION: 1.0}
TIMES_FASTER = 5.0  # than ledger-cli's register and balance
IMPORT_AT_LEAST, IMPORT_AIM = 0.5, 1.0  # of the library's bulk save()
REPLAY_AT_LEAST, REPLAY_AIM = 0.3, 1.0  # of the library's read and decode
HELP_SECONDS = 0.2
PEAK_MB, PEAK_AT = 300.0, MILLION
WHOLE_AT = 200_000  # export and timeline stay under PEAK_MB there (issue 21)


@dataclass(frozen=True)
class Verdict:
    target: str
    events: str
    measured: str
    status: str


def status(met: bool | None, aim: str = "") -> str:
    if met is None:
        return "not measured"
    return ("met" + aim) if met else "**NOT met**"


def _at(results: Sequence[SizeResult], sizes: Sequence[int]) -> list[tuple[SizeResult, str]]:
    """The results a target is judged on, labelled; the largest size run when none is stated."""
    chosen = [r for r in results if r.size in sizes]
    if chosen:
        return [(r, f"{r.size:,}") for r in chosen]
    largest = max(results, key=lambda r: r.size)
    return [(largest, f"{largest.size:,} (stated for {' and '.join(f'{s:,}' for s in sizes)}: not run)")]


def _query_limit(size: int) -> float:
    """The stated limit, or at a size the issue does not name, the one of the next size up."""
    return next((s for n, s in sorted(QUERY_SECONDS.items()) if size <= n), QUERY_SECONDS[MILLION])


def _ratio(name: str, what: str, ratio: float, at_least: float, aim: float) -> tuple[str, str, str]:
    reached = "" if ratio < at_least else (f"; aim {aim}x reached" if ratio >= aim else f"; aim {aim}x not reached")
    return f"{name} >= {at_least}x {what} (aim {aim}x)", f"{ratio:.2f}x", status(ratio >= at_least, reached)


def _faster(ours: float, theirs: float | None) -> tuple[str, bool | None]:
    if theirs is None:
        return "not measured (ledger-cli not in this run)", None
    return f"{theirs / ours:.1f}x ({ours:.3f} s vs {theirs:.3f} s)", theirs / ours >= TIMES_FASTER


def judge(results: Sequence[SizeResult], help_s: float) -> list[Verdict]:
    """A row per target and size, in the order the issue lists them."""
    rows: list[Verdict] = []
    for r, where in _at(results, STATED):
        limit = _query_limit(r.size)
        for name, seconds, tool in (
            ("one-month `timeline -f json`", r.timeline_s, "ledger register"),
            ("`totals --as-of` inside a month, all metrics", r.totals_s, "ledger balance"),
        ):
            rows.append(Verdict(f"{name} <= {limit} s, whole CLI call", where, f"{seconds:.3f} s",
                                status(seconds <= limit)))
            measured, met = _faster(seconds, r.tools.get(tool))
            rows.append(Verdict(f"{name} >= {TIMES_FASTER:.0f}x faster than `{tool}`", where, measured, status(met)))
    for r, where in _at(results, STATED):
        target, measured, verdict = _ratio("import", "the events/s of the library's bulk save()", r.import_ratio,
                                           IMPORT_AT_LEAST, IMPORT_AIM)
        rows.append(Verdict(target, where, measured, verdict))
        target, measured, verdict = _ratio("replay", "the events/s of the library's read and decode", r.replay_ratio,
                                           REPLAY_AT_LEAST, REPLAY_AIM)
        rows.append(Verdict(target, where, measured, verdict))
    rows.append(Verdict(f"`coop-ledger --help` <= {HELP_SECONDS} s", "-", f"{help_s:.3f} s",
                        status(help_s <= HELP_SECONDS)))
    for r, where in _at(results, (PEAK_AT,)):
        for name, job in (("import", r.import_), ("replay", r.replay)):
            rows.append(Verdict(f"{name} peak memory < {PEAK_MB:.0f} MB", where, f"{job.peak_mb:,.0f} MB",
                                status(job.peak_mb < PEAK_MB)))
    for r, where in _at(results, (WHOLE_AT,)):
        for name, (_, peak) in r.whole.items():
            rows.append(Verdict(f"`{name}` peak memory < {PEAK_MB:.0f} MB", where, f"{peak:,.0f} MB",
                                status(peak < PEAK_MB)))
    return rows

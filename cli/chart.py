"""The chart: cumulative totals of one metric over time, one step line per scope."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from cli.output import number
from cli.views import QUALIFIER_WORDS
from projections.totals import Total

# Preferred first; any other family with "CJK" in its name will do.
CJK_FONTS = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Droid Sans Fallback", "AR PL UMing CN",
)
LATIN = {
    "闵行区": "Minhang",
    "淮南市": "Huainan",
    "淮南高新区": "Huainan Hi-tech Zone",
    "闵行区·淮南市": "Minhang+Huainan",
    "莘庄工业区": "Xinzhuang Industrial Zone",
}
NO_CJK = "no CJK font found (install fonts-noto-cjk); labels in Latin"
BASIS_MARKERS = {"reported": "s", "itemized": "o", "reported+itemized": "D"}
BASIS_WORDS = {
    "reported": "reported (a period report)",
    "itemized": "itemized (sum of dated items)",
    "reported+itemized": "reported + itemized",
}
YI = Decimal(10) ** 8  # 亿: the unit the article counts money in


def cjk_font() -> str | None:
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        preferred = next((n for n in CJK_FONTS if n in names), None)
        return preferred or next((n for n in sorted(names) if "CJK" in n), None)

    if known() is None:
        # Matplotlib's font cache predates a font installed since: look for one on disk.
        for path in font_manager.findSystemFonts():
            if re.search(r"CJK|wqy|DroidSansFallback", Path(path).name, re.IGNORECASE):
                font_manager.fontManager.addfont(path)
    return known()


def latin(scope: str) -> str:
    """A scope's Latin name: from the map, else its ASCII letters, else an id made from it."""
    if scope in LATIN:
        return LATIN[scope]
    ascii_ = unicodedata.normalize("NFKD", scope).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-") or "scope-" + hashlib.sha1(scope.encode()).hexdigest()[:6]


def _index(group: str, by: str) -> int:
    """A period label as a number, so periods between two labels can be listed."""
    year = int(group[:4])
    if by == "year":
        return year
    if by == "quarter":
        return year * 4 + int(group[5]) - 1
    return year * 12 + int(group[5:7]) - 1


def _label(n: int, by: str) -> str:
    if by == "year":
        return str(n)
    if by == "quarter":
        return f"{n // 4}q{n % 4 + 1}"
    return f"{n // 12}-{n % 12 + 1:02d}"


def draw(rows: list[Total], metric: str, by: str, out: BinaryIO, fmt: str) -> list[str]:
    """Draw `rows` (running totals per period and scope) as `fmt` (png or svg); returns warnings.

    Period i spans [i, i+1) on the x axis; a total steps up at the end of the period in
    which its items had certainly happened (the as-of rule) and holds until the next.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    warnings = []
    font = cjk_font()
    if font is None:
        warnings.append(NO_CJK)
    name = (lambda s: f"{s} ({LATIN[s]})" if s in LATIN else s) if font else latin
    in_yi = rows[0].unit == "CNY"
    scale = YI if in_yi else Decimal(1)
    unit_label = ("亿元 = 100,000,000 CNY" if font else "100 million CNY") if in_yi else rows[0].unit
    # One period before the first total, so every line is seen to step up from zero.
    first = min(_index(t.group or "", by) for t in rows) - 1
    periods = range(first, max(_index(t.group or "", by) for t in rows) + 1)
    end = len(periods)

    def at(t: Total) -> tuple[int, float]:
        # Floats only as drawing coordinates; every figure written out stays exact.
        return _index(t.group or "", by) - first + 1, float(t.value / scale)

    style = {"font.family": "sans-serif", "font.sans-serif": [font or "DejaVu Sans", "DejaVu Sans"],
             "svg.fonttype": "none", "axes.spines.top": False, "axes.spines.right": False}
    with rc_context(style):
        fig = Figure(figsize=(10, 700 / 120), dpi=120, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        # A line per account: a scope, and the population its figures count where stated.
        scopes = sorted({(t.scope, t.population) for t in rows})
        colors = {s: f"C{i}" for i, s in enumerate(scopes)}
        ends = []
        for k, scope in enumerate(scopes):
            mine = [t for t in rows if (t.scope, t.population) == scope]
            xs = [0] + [at(t)[0] for t in mine] + [end]
            ys = [0.0] + [at(t)[1] for t in mine]
            # Earlier lines wider, so lines that coincide show as nested stripes.
            width = 2 + 1.5 * (len(scopes) - 1 - k)
            label = name(scope[0]) + (f" · {scope[1] if font else latin(scope[1])}" if scope[1] else "")
            ax.step(xs, ys + ys[-1:], where="post", color=colors[scope], linewidth=width, label=label)
            for t in mine:
                ax.plot(*at(t), BASIS_MARKERS[t.basis], color=colors[scope], markersize=7, markeredgecolor="white",
                        clip_on=False)
            last = mine[-1]
            words = QUALIFIER_WORDS[last.qualifier.value]
            ends.append((ys[-1], f"{words + ' ' if words else ''}{number(last.value)} {last.unit}", colors[scope]))
        _annotate(ax, ends)

        ax.set_xlim(0, end)
        step = max(1, round(end / 12))
        ax.set_xticks([i + 0.5 for i in range(0, end, step)], [_label(periods[i], by) for i in range(0, end, step)])
        ax.grid(axis="y", color="#dddddd")
        if all(t.value == t.value.to_integral_value() for t in rows) and not in_yi:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        if by != "year":
            _years(ax, [_label(n, by)[:4] for n in periods])
        ax.set_xlabel(f"{by} (a total steps up at the end of the period its items certainly happened by)")
        ax.set_ylabel(f"{metric} ({unit_label})")
        ax.set_title(f"{metric}: cumulative by {by}, one line per scope (never summed across)", loc="left")
        bases = [b for b in BASIS_MARKERS if any(t.basis == b for t in rows)]
        marks = [Line2D([], [], color="#555555", marker=BASIS_MARKERS[b], linestyle="none", label=BASIS_WORDS[b])
                 for b in bases]
        ax.legend(handles=ax.get_legend_handles_labels()[0] + marks, loc="upper left", frameon=False)
        fig.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return warnings


def _years(ax, years: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Every other year shaded, each named above the plot, so a year reads at a glance."""
    starts = [i for i, y in enumerate(years) if i == 0 or y != years[i - 1]] + [len(years)]
    top = ax.secondary_xaxis("top")
    top.set_xticks([(a + b) / 2 for a, b in zip(starts, starts[1:])], [years[a] for a in starts[:-1]],
                   fontsize=13, fontweight="bold")
    top.tick_params(length=0)
    for a, b in zip(starts, starts[1:]):
        if a:
            ax.axvline(a, color="#999999", linewidth=0.8)
        if int(years[a]) % 2:
            ax.axvspan(a, b, color="#f2f4f7", zorder=0)


def _annotate(ax, ends: list[tuple[float, str, str]]) -> None:  # type: ignore[no-untyped-def]
    """Each line's final total, with its qualifier, right of the plot; nudged apart."""
    top = max(y for y, _, _ in ends) or 1.0
    ax.set_ylim(0, top * 1.12)
    shown: list[float] = []
    for y, text, color in sorted(ends):
        lifted = y
        while any(abs(lifted - s) < top * 0.07 for s in shown):
            lifted += top * 0.07
        shown.append(lifted)
        ax.annotate(text, (1, y), xycoords=("axes fraction", "data"), xytext=(1.01, lifted),
                    textcoords=("axes fraction", "data"), ha="left", va="center", color=color,
                    fontsize=10, fontweight="bold", annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": color, "linewidth": 0.8} if lifted != y else None)

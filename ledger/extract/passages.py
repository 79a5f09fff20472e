"""A document cut into passages, sentences, parts and clauses, each kept at its place in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Punctuation that ends a sentence; a closing quotation mark after it belongs to the sentence.
_END = "。！？!?"
_CLOSE = "”」』\"'"
_PROSE = re.compile(r"[，,。；;：:！？!?、]")
_OPENS_WITH_DAY = re.compile(r"\s*\d{4}年\d{1,2}月\d{1,2}日")
# A clause ends at a comma, a colon or an ellipsis; a coordinated predicate (并于 2023年5月
# 通过验收, 并为 ... 揭牌) is a clause of its own, since it may have its own date and kind.
_CLAUSE_BREAK = re.compile(r"[，,：:]|…+|(?=并(?:于|为|在|与))|(?=随即)")
_PART_BREAK = re.compile(r"[；;]")


@dataclass(frozen=True, slots=True)
class Passage:
    """Text read as one run: a paragraph, or a sentence broken across lines joined again.

    `offsets[i]` is where the passage's character i stands in the document, so any range of
    the passage maps back to verbatim pieces of the document.
    """

    text: str
    offsets: tuple[int, ...]

    def pieces(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """The document ranges that the passage range [start, end) is made of."""
        runs: list[tuple[int, int]] = []
        for i in range(start, end):
            at = self.offsets[i]
            if runs and runs[-1][1] == at:
                runs[-1] = (runs[-1][0], at + 1)
            else:
                runs.append((at, at + 1))
        return tuple(runs)


@dataclass(frozen=True, slots=True)
class Clause:
    start: int
    end: int
    part: int


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    clauses: tuple[Clause, ...]


def _paragraphs(document: str) -> list[tuple[int, int]]:
    """Each non-blank line of the document as a range, its white space trimmed."""
    ranges, at = [], 0
    for line in document.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = at + line.index(stripped[0])
            ranges.append((start, start + len(stripped)))
        at += len(line)
    return ranges


def _broken(document: str, span: tuple[int, int]) -> bool:
    """A paragraph of prose that stops mid-sentence (a page or a photo broke it)."""
    text = document[span[0]:span[1]]
    return bool(_PROSE.search(text)) and text[-1] not in _END + _CLOSE + "…"


def passages(document: str) -> list[Passage]:
    """The document's passages in reading order.

    A paragraph that stops mid-sentence continues in the next paragraph of prose; a photo
    caption standing between the two halves (one line opening with a full date, as captions
    do) is skipped there and read as a passage of its own.
    """
    paragraphs = _paragraphs(document)
    used: set[int] = set()
    out: list[Passage] = []
    for i, span in enumerate(paragraphs):
        if i in used:
            continue
        spans = [span]
        j = i
        while _broken(document, spans[-1]):
            j += 1
            while j < len(paragraphs) and _OPENS_WITH_DAY.match(document[paragraphs[j][0]:paragraphs[j][1]]):
                j += 1
            if j >= len(paragraphs) or not _PROSE.search(document[paragraphs[j][0]:paragraphs[j][1]]):
                break
            spans.append(paragraphs[j])
            used.add(j)
        offsets = tuple(k for s, e in spans for k in range(s, e))
        out.append(Passage("".join(document[s:e] for s, e in spans), offsets))
    return out


def sentences(text: str) -> list[Sentence]:
    """The sentences of a passage, each cut into clauses numbered by their part (；)."""
    out, start, i = [], 0, 0
    while i < len(text):
        if text[i] in _END:
            end = i + 1
            while end < len(text) and text[end] in _CLOSE:
                end += 1
            out.append(_sentence(text, start, end))
            start = i = end
            continue
        i += 1
    if start < len(text):
        out.append(_sentence(text, start, len(text)))
    return [s for s in out if s.clauses]


def _sentence(text: str, start: int, end: int) -> Sentence:
    clauses: list[Clause] = []
    part_start = start
    parts = [m.start() for m in _PART_BREAK.finditer(text, start, end)] + [end]
    for number, part_end in enumerate(parts):
        at = part_start
        for m in _CLAUSE_BREAK.finditer(text, part_start, part_end):
            _add(clauses, text, at, m.start(), number)
            at = m.end()
        _add(clauses, text, at, part_end, number)
        part_start = part_end + 1
    return Sentence(start, end, tuple(clauses))


def _add(clauses: list[Clause], text: str, start: int, end: int, part: int) -> None:
    while start < end and (text[start].isspace() or text[start] in "“‘"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _END + _CLOSE):
        end -= 1
    if end > start:
        clauses.append(Clause(start, end, part))

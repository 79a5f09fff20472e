"""Draft items from a report's text, as beancount's importers draft entries from a statement.

Each date expression governs its clause and the clauses after it up to the next date of the
same part of the sentence (parts are cut by ；); a date that stands as a clause of its own
(2023年以来, ...) opens the whole sentence. Within a date's clauses, a clause naming another
kind of event, or the same kind with figures of its own, starts another draft. A sentence
with no date of its own that goes on about the event before it (该园, 此次, 会上, 当天, 也 ...)
takes that event's date, flagged as from the context; any other is undated (no later than
the publication).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from events import Flag, Item, Kind, Source, When
from events.names import BOTH
from ledger.extract import dates, figures, kinds, names
from ledger.extract.passages import Clause, Passage, Sentence, passages, sentences

# A sentence that names its event again (该园, 此次招聘会) adds to that event's draft.
_SAME_EVENT = re.compile(r"^(?:该|此次|本次|这次)")
# A sentence set at the event before it (会上, 当天 ...) is dated by that event, even when
# it tells another thing that happened there.
_AT_EVENT = re.compile(r"^(?:会上|会议期间|大会期间|当天|当日|活动期间|签约仪式上|仪式上|现场)")
_ALSO = re.compile(r"也")
_THEN = re.compile(r"^(?:随即|随后)")
_TITLE_TRIM = re.compile(r"^(?:与此同时|同时|并于|并为|并|随即|随后|在|于)+|[，,。；;：:、…\s]+$")
_TITLE_LIMIT = 60


@dataclass(frozen=True, slots=True)
class Draft:
    """An item drafted from a document, for a person to review, and why it was drafted.

    `spans` are the ranges of the document that the quote is made of: one range, or several
    joined by … where the sentence is broken across lines in the document.
    """

    item: Item
    rule: str
    confidence: float
    spans: tuple[tuple[int, int], ...]

    def to_dict(self) -> dict[str, Any]:
        """The import format without an id, with `draft: {rule, confidence}` (import drops it)."""
        data = self.item.to_dict()
        del data["id"]
        data["draft"] = {"rule": self.rule, "confidence": self.confidence}
        return data


@dataclass
class _Segment:
    mention: dates.Mention | None
    clauses: list[Clause]
    home: Clause | None = None  # the clause the date is written in
    opened: bool = False  # dated by the clause that opens the sentence, in another part


@dataclass
class _Builder:
    passage: Passage
    segment: _Segment
    clauses: list[Clause]
    kind: Kind | None = None
    kind_words: str = ""
    kind_end: int = -1
    then: bool = False
    context: tuple[When, str, bool] | None = None  # a date from around the clause, why, and if flagged
    date: When | None = None
    figures: list[figures.Figure] = field(default_factory=list)


def draft(text: str, document: str, published: When) -> list[Draft]:
    """The drafts of every dated or counted fact of `text`, in the order of the text."""
    context = dates.Context(published)
    built: list[_Builder] = []
    for passage in passages(text):
        mentions, context = dates.find(passage.text, context)
        start_of_passage = len(built)
        for sentence in sentences(passage.text):
            own = [m for m in mentions if sentence.start <= m.start < sentence.end]
            used = [m for m in own if not m.weak] or own[:1]
            if used:
                built += _dated(passage, sentence, used, mentions)
                continue
            earlier = built[start_of_passage:] or built[-1:]
            built += _undated(passage, sentence, earlier, start_of_passage < len(built), mentions)
    return [_finish(b, text, document, published) for b in built]


def _text(passage: Passage, clause: Clause) -> str:
    return passage.text[clause.start:clause.end]


def _standalone(passage: Passage, clause: Clause, mention: dates.Mention) -> bool:
    rest = passage.text[clause.start:mention.start] + passage.text[mention.end:clause.end]
    return not rest.strip("在于自从，, ")


def _segments(passage: Passage, sentence: Sentence, used: list[dates.Mention]) -> list[_Segment]:
    segments: list[_Segment] = []
    opener: dates.Mention | None = None
    opener_home: Clause | None = None
    current: _Segment | None = None
    before: list[Clause] = []
    part = sentence.clauses[0].part

    def close_part() -> None:
        if before:
            segments.append(_Segment(opener, list(before), opener_home, opened=opener is not None))
            before.clear()

    for clause in sentence.clauses:
        if clause.part != part:
            close_part()
            part, current = clause.part, None
        here = [m for m in used if clause.start <= m.start < clause.end]
        if here:
            mention = here[0]
            if any(kinds.kind_of(_text(passage, c)) for c in before):
                # Clauses before the date that tell an event of their own are not the date's.
                close_part()
            if opener is None and _standalone(passage, clause, mention):
                opener, opener_home = mention, clause
            current = _Segment(mention, [*before, clause], clause)
            before.clear()
            segments.append(current)
        elif current is not None:
            current.clauses.append(clause)
        else:
            before.append(clause)
    close_part()
    return segments


def _split(passage: Passage, segment: _Segment, skip: list[tuple[int, int]]) -> list[_Builder]:
    """The drafts of one date's clauses: a new one at each clause naming another event."""
    builders = [_Builder(passage, segment, [])]
    for clause in segment.clauses:
        current = builders[-1]
        found = kinds.kind_of(_text(passage, clause))
        if found and current.kind is not None:
            own = figures.find(passage.text, clause.start, clause.end, found[0], skip)
            held = {f.measure.metric for f in _figures_of(current, skip)}
            again = found[0] is current.kind and any(f.measure.metric in held for f in own)
            if found[0] is not current.kind or again:
                current = _Builder(passage, segment, [], then=bool(_THEN.match(_text(passage, clause))))
                builders.append(current)
        current.clauses.append(clause)
        if found and current.kind is None:
            current.kind, current.kind_words = found
            current.kind_end = clause.start + kinds.words_end(_text(passage, clause), found[0])
    for b in builders:
        b.figures = _figures_of(b, skip)
    return builders


def _figures_of(b: _Builder, skip: list[tuple[int, int]]) -> list[figures.Figure]:
    return [f for c in b.clauses for f in figures.find(b.passage.text, c.start, c.end, b.kind, skip)]


def _dated(passage: Passage, sentence: Sentence, used: list[dates.Mention], mentions: list[dates.Mention]) -> list[_Builder]:
    skip = [(m.start, m.end) for m in mentions]
    out: list[_Builder] = []
    segments = _segments(passage, sentence, used)
    for i, segment in enumerate(segments):
        for b in _split(passage, segment, skip):
            if not (b.kind or b.figures or segment.mention):
                continue
            if b.then and segment.mention:
                later = next((s.mention for s in segments[i + 1:] if s.mention and s.mention is not segment.mention), None)
                if later is not None:
                    between = f"{dates.lower_text(segment.mention.when)}/{dates.upper_text(later.when)}"
                    b.context = (When.parse(between), "随即: between the dates around it", False)
            out += _repeated(b)
    return out


def _repeated(b: _Builder) -> list[_Builder]:
    """One draft per date of a list (6月、11月) and per time told (先后两次)."""
    listed = b.segment.mention.dates if b.segment.mention else ()
    count = max(len(listed), kinds.times(" ".join(_text(b.passage, c) for c in b.clauses)))
    if count == 1:
        return [b]
    copies = []
    for i in range(count):
        copy = _Builder(b.passage, b.segment, b.clauses, b.kind, b.kind_words, b.kind_end, b.then, b.context)
        copy.figures = b.figures
        if listed:
            copy.date = listed[min(i, len(listed) - 1)]
        copies.append(copy)
    return copies


def _undated(
    passage: Passage, sentence: Sentence, earlier: list[_Builder], same_passage: bool, mentions: list[dates.Mention]
) -> list[_Builder]:
    skip = [(m.start, m.end) for m in mentions]
    text = passage.text[sentence.start:sentence.end]
    first = _text(passage, sentence.clauses[0])
    segment = _Segment(None, list(sentence.clauses))
    drafts = [b for b in _split(passage, segment, skip) if b.kind or b.figures]
    event = earlier[-1] if earlier else None
    if event is not None and event.passage is passage and (_SAME_EVENT.match(text) or _repeats_subject(passage, sentence, event)):
        # The sentence goes on about the event before: its clauses and figures are that draft's.
        event.clauses += sentence.clauses
        event.figures += [f for b in _split(passage, segment, skip) for f in b.figures]
        return []
    marker = _AT_EVENT.match(text) or (_ALSO.search(first) if same_passage else None)
    if event is not None and marker and (same_passage or _AT_EVENT.match(text)):
        date = event.date or (event.context[0] if event.context else None) or (
            event.segment.mention.when if event.segment.mention else None
        )
        if date is not None:
            for b in drafts:
                b.context = (date, f"date of the event before ({marker.group(0)})", True)
    return drafts


def _repeats_subject(passage: Passage, sentence: Sentence, event: _Builder) -> bool:
    """The sentence opens with a name of four characters or more from the event's sentence."""
    opening = passage.text[sentence.start:sentence.start + 4]
    told = passage.text[event.clauses[0].start:event.clauses[-1].end]
    return len(opening) == 4 and not re.search(r"[\d，,。“”]", opening) and opening in told


def _date(b: _Builder, published: When) -> tuple[When, str, bool]:
    if b.context is not None:
        return b.context
    mention = b.segment.mention
    if mention is None:
        return dates.undated(published), "no date in the source: no later than the publication", False
    when = b.date or mention.when
    rule = mention.rule + (" (opening the sentence)" if b.segment.opened else "")
    return when, rule, mention.from_context


def _quote_range(b: _Builder) -> tuple[int, int]:
    """The clauses that carry the date, the kind's words and the figures, and no more."""
    mention = b.segment.mention if b.context is None else None
    points = [f.start for f in b.figures]
    if b.kind:
        points.append(b.kind_end - 1)
    if mention is not None:
        points.append(mention.start)
        if not b.kind and not b.figures:  # a date alone says nothing: keep the clause after it
            following = [c for c in b.clauses if c.start > mention.start]
            points += [following[0].start] if following else []
    clauses = [*([b.segment.home] if b.segment.home and mention else []), *b.segment.clauses, *b.clauses]
    held = [c for c in clauses if any(c.start <= p < c.end for p in points)] or b.clauses[:1]
    return min(c.start for c in held), max(c.end for c in held)


def _title(b: _Builder) -> str:
    main = next((c for c in b.clauses if c.start <= b.kind_end <= c.end), None) if b.kind else None
    if main is None and b.figures:
        main = next(c for c in b.clauses if c.start <= b.figures[0].start < c.end)
    if main is None:
        mention = b.segment.mention
        main = next((c for c in b.clauses if not (mention and c.start <= mention.start < c.end)), b.clauses[0])
    text = b.passage.text[main.start:main.end]
    mention = b.segment.mention
    if mention and main.start <= mention.start < main.end:
        text = text[:mention.start - main.start] + text[mention.end - main.start:]
    text = _TITLE_TRIM.sub("", text.strip())
    return text[:_TITLE_LIMIT] or b.passage.text[main.start:main.end][:_TITLE_LIMIT]


def _finish(b: _Builder, document_text: str, document: str, published: When) -> Draft:
    when, date_rule, from_context = _date(b, published)
    start, end = _quote_range(b)
    spans = b.passage.pieces(start, end)
    quote = "…".join(document_text[s:e] for s, e in spans)
    segment_start = min([c.start for c in b.segment.clauses] + [start])
    told = b.passage.text[segment_start:end]
    kind, kind_rule = (b.kind, f"kind: {b.kind_words}") if b.kind else (Kind.OTHER, "kind: no words name one")
    mention = b.segment.mention
    if kinds.is_period(told, when, bool(b.figures)) and not (mention and mention.weak and b.context is None):
        kind, kind_rule = Kind.PERIOD_REPORT, kind_rule + "; a figure over a period (累计, 全年, 共)"
    flags = set()
    if kinds.planned(told):
        flags.add(Flag.PLANNED)
    if from_context:
        flags.add(Flag.YEAR_FROM_CONTEXT)
    if b.segment.mention is None and b.context is None:
        flags.add(Flag.UNDATED)
    # Who and where may be named after the quote's last figure (项目落户淮南高新区); 两地 and
    # 双方 make the scope both sides only where the quote says so.
    actors, places, _ = names.names(b.passage.text[min(c.start for c in b.clauses):max(end, b.clauses[-1].end)])
    _, _, both = names.names(b.passage.text[start:end])
    if both:
        actors = [*BOTH.split("·"), *(a for a in actors if a not in BOTH.split("·"))]
    scope = BOTH if both else (actors[0] if actors else places[0] if places else "")
    item = Item(
        id="",
        kind=kind,
        when=when,
        title=_title(b),
        source=Source(document=document, quote=quote, published=published),
        actors=tuple(actors),
        places=tuple(places),
        measures=tuple(f.measure for f in b.figures),
        scope=scope,
        flags=frozenset(flags),
    )
    rules = [f"date: {date_rule}", kind_rule]
    rules += [f"figure: {f.measure.text} is {f.measure.metric}" for f in b.figures]
    if Flag.PLANNED in flags:
        rules.append("planned: 将 or 计划")
    return Draft(item, "; ".join(rules), _confidence(b, kind, from_context, when), spans)


def _confidence(b: _Builder, kind: Kind, from_context: bool, when: When) -> float:
    """How much of the draft the text states outright: a person reviews the low ones first."""
    score = 0.9
    if when.lower is None:
        score = 0.4
    elif from_context or (b.segment.mention and b.segment.mention.weak):
        score = 0.6
    if kind is Kind.OTHER:
        score -= 0.2
    return round(score, 2)

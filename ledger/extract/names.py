"""The actors and places a clause names, in the ledger's names (the alias table of events.names)."""

from __future__ import annotations

import re

from events.names import ALIASES, BOTH

# Every name the table knows, longest first, so 上海市闵行区 is read before 上海 and 闵行.
_NAMES = sorted({n for a, n in ALIASES.items() if n != BOTH} | {a for a, n in ALIASES.items() if n != BOTH}, key=len, reverse=True)
_NAME = re.compile("|".join(map(re.escape, _NAMES)))
_BOTH = re.compile("|".join(re.escape(a) for a, n in ALIASES.items() if n == BOTH))
# Words after which a name is where something happens, not who does it.
_WHERE = re.compile(r"(?:在|赴|到|来|去|走进|落户|前往|于)$")
# 来淮, 在淮, 赴淮: the one-character name of Huainan, only after these verbs.
_TO_HUAINAN = re.compile(r"(?:来|在|赴|到)淮(?![南河])")
_HUAINAN = ALIASES["淮南"]


def names(text: str) -> tuple[list[str], list[str], bool]:
    """The actors and the places of `text`, and whether it speaks of both sides (两地, 双方)."""
    actors: list[str] = []
    places: list[str] = []
    previous_end, previous_was_place = -2, False
    for m in _NAME.finditer(text):
        name = ALIASES.get(m.group(0), m.group(0))
        # A name listed after a place (赴闵行区、莘庄工业区) is a place too.
        is_place = bool(_WHERE.search(text[max(0, m.start() - 2):m.start()])) or (
            previous_was_place and text[previous_end:m.start()] == "、"
        )
        target = places if is_place else actors
        if name not in target:
            target.append(name)
        previous_end, previous_was_place = m.end(), is_place
    if _TO_HUAINAN.search(text) and _HUAINAN not in places:
        places.append(_HUAINAN)
    return actors, places, bool(_BOTH.search(text))

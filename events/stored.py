"""Building value objects from what the ledger itself wrote, without validating again."""

from __future__ import annotations

from typing import Any


def built(cls: type, **fields: Any) -> Any:
    """An instance of a frozen dataclass from fields already in canonical form, unchecked.

    Only for what the ledger wrote after validating it (its store, its read model, an
    import's checked spool): there, validating again would cost most of a replay.
    """
    obj = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(obj, name, value)
    return obj

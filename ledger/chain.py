"""Tamper evidence: each stored event hashed, chained per item and across the ledger.

Each event carries `prev_hash`, the hash of the previous event of its item, inside its
stored state; the `ledger_chain` table keeps every event's hash and a running head hash
over the order of all events, written in the same transaction as the events.
"""

from __future__ import annotations

import hashlib

GENESIS = "0" * 64


def event_hash(originator_id: str, originator_version: int, topic: str, state: bytes) -> str:
    """The hash of one stored event, over exactly the bytes the store holds."""
    h = hashlib.sha256(f"{originator_id}\x1f{originator_version}\x1f{topic}\x1f".encode())
    h.update(state)
    return h.hexdigest()


def next_head(prev_head: str, hash_: str) -> str:
    return hashlib.sha256(f"{prev_head}{hash_}".encode()).hexdigest()

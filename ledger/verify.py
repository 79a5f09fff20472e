"""Re-reading the whole store to prove nobody edited, deleted or reordered an event."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from ledger.aggregate import DocumentAggregate
from ledger.application import BrokenEvent, Ledger
from ledger.chain import GENESIS, event_hash, next_head


@dataclass
class Report:
    events: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)


def verify(ledger: Ledger, kept: str | None = None) -> Report:
    """Check every event against the chain table, and the chains against each other; and
    the ledger's head hash against `kept`, a head kept elsewhere, when given."""
    recorder = ledger.recorder
    stored = {row[0]: row for row in recorder.all_stored()}  # type: ignore[attr-defined]
    chain = recorder.chain_rows()  # type: ignore[attr-defined]
    report = Report(events=len(stored))
    head = GENESIS
    item_hash: dict[tuple[str, int], str] = {}
    for notification_id, oid, version, recorded_hash, recorded_head in chain:
        where = f"event {notification_id} (aggregate {oid} version {version})"
        head = next_head(head, recorded_hash)
        if head != recorded_head:
            report.problems.append(f"reordered: the ledger head hash breaks at {where}")
            head = recorded_head
        event = stored.pop(notification_id, None)
        if event is None:
            report.problems.append(f"deleted: {where} is missing from the store")
            continue
        _, s_oid, s_version, topic, state = event
        if (s_oid, s_version) != (oid, version):
            report.problems.append(
                f"reordered: {where} holds aggregate {s_oid} version {s_version} in its place"
            )
            continue
        if not isinstance(state, bytes):
            # What the ledger reads back as an event must be bytes, even when the text
            # left by an edit hashes as they did.
            report.problems.append(f"edited: {where} holds its state as {type(state).__name__}, not bytes")
        state = _as_bytes(state)
        actual = event_hash(s_oid, s_version, topic, state)
        if actual != recorded_hash:
            report.problems.append(f"edited: {where} no longer matches its hash")
        item_hash[(oid, version)] = recorded_hash
        if topic == _REGISTERED:
            report.problems.extend(_document_problems(ledger, event, where))
        if version > 1:
            prev = _prev_hash(state)
            if prev != item_hash.get((oid, version - 1)):
                report.problems.append(f"edited: {where} does not chain to the item's previous event")
    for notification_id, s_oid, s_version, _, _ in stored.values():
        report.problems.append(
            f"inserted: event {notification_id} (aggregate {s_oid} version {s_version}) is not in the hash chain"
        )
    report.head = head
    if kept is not None and kept != head:
        report.problems.append(f"head: the ledger's head hash is {head}, not {kept} as kept")
    return report


_REGISTERED = get_topic(DocumentAggregate.Registered)


def _document_problems(ledger: Ledger, event: tuple, where: str) -> list[str]:
    """A registered document's text must still hash to the SHA-256 it was registered with
    (reading it back checks that), whatever the chain says."""
    notification_id, oid, version, topic, state = event
    stored = StoredEvent(originator_id=oid, originator_version=version, topic=topic, state=_as_bytes(state))
    try:
        ledger.mapper.to_domain_event(stored)
    except BrokenEvent as e:
        return [f"edited: {where}, a registered document, cannot be read back ({e.reason})"]
    return []


def _as_bytes(state: object) -> bytes:
    # An edit made with SQL string functions can leave text where the store keeps bytes.
    if isinstance(state, (bytes, bytearray, memoryview)):
        return bytes(state)
    return state.encode("utf-8", "surrogatepass") if isinstance(state, str) else repr(state).encode()


def _prev_hash(state: bytes) -> str | None:
    try:
        found = json.loads(state)
    except ValueError:
        return None
    return found.get("prev_hash") if isinstance(found, dict) else None

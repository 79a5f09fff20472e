from eventsourcing.persistence import JSONTranscoder

from events import Flag, Item, Kind, Measure, Qualifier, Source, When
from ledger.transcodings import register_transcodings


def test_every_value_object_round_trips_to_the_same_typed_value():
    transcoder = JSONTranscoder()
    register_transcodings(transcoder)
    item = Item(id="x", kind=Kind.TRAINING, when=When.parse("2023-04"), title="培训",
                source=Source("doc", "2023年4月培训近200名", When.parse("2024-01/2024-03")),
                measures=(Measure.parse("people_trained=近200名"),), flags=frozenset({Flag.YEAR_FROM_CONTEXT}))
    values = {"item": item, "when": item.when, "measure": item.measures[0], "source": item.source}
    decoded = transcoder.decode(transcoder.encode(values))
    assert decoded == values
    assert {k: type(v) for k, v in decoded.items()} == {k: type(v) for k, v in values.items()}
    # The enums inside the item come back as enums, not as their strings.
    assert decoded["item"].kind is Kind.TRAINING
    assert decoded["item"].measures[0].qualifier is Qualifier.NEARLY
    assert decoded["item"].flags == frozenset({Flag.YEAR_FROM_CONTEXT})


def _every_kind_of_item():
    from pathlib import Path
    import tempfile

    from benchmarks.data import write_jsonl
    from ledger.importer import check
    from ledger.seed import DATASET

    with tempfile.TemporaryDirectory() as tmp:
        items = []
        for path in (DATASET, write_jsonl(Path(tmp) / "s.jsonl", 300)):
            with check(path) as checked:
                items += list(checked.items())
    return items


def test_the_fast_stored_state_is_the_librarys_byte_for_byte(tmp_path):
    """recorded_state writes the Recorded event from the item's dict; the library's
    mapper writes it from the event: the same bytes for the article's items and 300
    synthetic ones (every kind, imprecise dates, qualifiers, flags, notes, Chinese text)."""
    from datetime import datetime, timezone

    from ledger.aggregate import ItemAggregate, aggregate_id
    from ledger.application import _ITEM_TOPIC, Ledger
    from ledger.store import resolve
    from ledger.transcodings import recorded_state

    ledger = Ledger(resolve(str(tmp_path / "l.sqlite")))
    mapper = ledger.mapper  # the library's transcoder, with the ledger's transcodings
    at = datetime(2026, 11, 27, 8, 30, 1, 123456, tzinfo=timezone.utc)
    items = _every_kind_of_item()
    assert len(items) == 357
    for item in items:
        event = ItemAggregate.Recorded(
            originator_id=aggregate_id(item.id), originator_version=1, timestamp=at,
            originator_topic=_ITEM_TOPIC, item=item, prev_hash="",
        )
        assert recorded_state(item.to_dict(), at) == mapper.to_stored_event(event).state, item.id
    ledger.close()

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

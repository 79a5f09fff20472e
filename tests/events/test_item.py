from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events import Flag, InvalidValue, Item, Kind, Measure, Qualifier, Source, When
from events.names import BOTH


def _item(**changes):
    base = dict(id="", kind="meeting", when=When.parse("2023-04-14"), title="座谈会", source=Source("doc", "quote"))
    return Item(**{**base, **changes})


def test_the_same_fact_gets_the_same_id():
    assert _item().id == _item().id
    assert _item().id != _item(title="另一个").id
    assert _item().id.startswith("i-")


def test_names_are_normalized_and_scope_defaults_to_the_first_actor():
    item = _item(actors=("闵行", "我市"), places=("闵行两地",))
    assert item.actors == ("闵行区", "淮南市")
    assert item.places == (BOTH,)
    assert item.scope == "闵行区"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "title: '  ': must not be empty"),
        ({"title": "a\x00b"}, "title: 'a\\x00b': must not contain control characters"),
        ({"kind": "picnic"}, "kind: 'picnic': unknown kind"),
        ({"id": "has space"}, "id: 'has space': use letters, digits"),
        ({"flags": ["maybe"]}, "flag: 'maybe': unknown flag"),
    ],
)
def test_an_item_cannot_exist_invalid(changes, message):
    with pytest.raises(InvalidValue) as e:
        _item(**changes)
    assert message in str(e.value)


def test_unknown_fields_in_json_are_refused():
    with pytest.raises(InvalidValue, match="field: 'colour': unknown field"):
        Item.from_dict({**_item().to_dict(), "colour": "red"})


names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")), min_size=1, max_size=12)


@given(
    kind=st.sampled_from(list(Kind)),
    day=st.dates(),
    title=names,
    actors=st.lists(names, max_size=3),
    flags=st.sets(st.sampled_from(list(Flag))),
    value=st.integers(min_value=0, max_value=10**12),
)
def test_items_round_trip_through_json(kind, day, title, actors, flags, value):
    item = Item(
        id="", kind=kind, when=When.parse(day.isoformat()), title=title, source=Source("doc", "q"),
        actors=tuple(actors), measures=(Measure.parse(f"sales={value}万元"),), flags=frozenset(flags),
    )
    assert Item.from_dict(item.to_dict()) == item


@given(
    kind=st.sampled_from(list(Kind)),
    date=st.sampled_from(["2023", "2023-04", "2023-04-14/2023-04-16", "2021/..", "../2024-03"]),
    title=names,
    actors=st.lists(names, max_size=3),
    flags=st.sets(st.sampled_from(list(Flag))),
    amounts=st.lists(st.sampled_from(["近200名", "30多亿元", "1.5万元", "2000000000 CNY", "约0.25万元"]), max_size=3),
    published=st.sampled_from(["", "2023-12-30", "2024"]),
)
def test_an_item_reads_back_from_its_json_form_as_the_same_typed_item(kind, date, title, actors, flags, amounts, published):
    """What to_dict writes (the store's form and the export's), from_dict reads back equal."""
    source = {"document": "doc", "quote": "q", **({"published": published} if published else {})}
    item = Item.from_dict({
        "kind": kind.value, "date": date, "title": f" {title} ", "source": source, "actors": actors,
        "measures": [Measure.parse(f"{'people_trained' if a.endswith('名') else 'sales'}={a}").to_dict() for a in amounts],
        "flags": [f.value for f in flags], "note": "n",
    })
    back = Item.from_dict(item.to_dict())
    assert back == item
    assert back.to_dict() == item.to_dict()
    assert [type(m.value) for m in back.measures] == [Decimal] * len(amounts)
    assert all(isinstance(m.qualifier, Qualifier) for m in back.measures)
    assert back.kind is item.kind and all(isinstance(f, Flag) for f in back.flags)
    assert isinstance(back.when, When) and (back.source.published is None) == (not published)

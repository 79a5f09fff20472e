"""The one rule for text, applied to every text field of an item wherever it sits."""

from decimal import Decimal

import pytest

from events import InvalidValue, Item, Measure
from events.text import clean_text

LINE = {
    "kind": "meeting", "date": "2024-01-05", "title": "座谈会", "scope": "淮南市", "actors": ["淮南市"],
    "places": ["淮南"], "note": "", "source": {"document": "doc", "quote": "原文"},
    "measures": [{"metric": "jobs_offered", "value": "5", "unit": "jobs", "qualifier": "exact", "text": "5个"}],
}
FIELDS = [
    ("title",), ("scope",), ("note",), ("actors", 0), ("places", 0),
    ("source", "document"), ("source", "quote"), ("measures", 0, "text"),
]


def _with(path, value):
    import copy

    data = copy.deepcopy(LINE)
    at = data
    for key in path[:-1]:
        at = at[key]
    at[path[-1]] = value
    return data


@pytest.mark.parametrize("path", FIELDS, ids=lambda p: ".".join(map(str, p)))
@pytest.mark.parametrize("bad", ["a\x1bb", "a\rb", "a\x00b", "a\ud800b", "a\x85b"], ids=["ESC", "CR", "NUL", "surrogate", "NEL"])
def test_every_text_field_refuses_control_characters_and_lone_surrogates(path, bad):
    with pytest.raises(InvalidValue) as e:
        Item.from_dict(_with(path, bad))
    assert str(e.value).endswith(f"{bad!r}: must not contain control characters or lone surrogates")


@pytest.mark.parametrize("path", FIELDS, ids=lambda p: ".".join(map(str, p)))
def test_every_text_field_is_nfc(path):
    decomposed = "e\u0301"  # e and a combining acute accent: é in NFD
    item = Item.from_dict(_with(path, decomposed))
    at = item.to_dict()
    for key in path:
        at = at[key]
    assert at == "\u00e9"


@pytest.mark.parametrize(
    ("path", "limit"),
    [(("title",), 500), (("note",), 2000), (("source", "quote"), 2000), (("actors", 0), 200), (("measures", 0, "text"), 200)],
)
def test_every_text_field_has_a_length_bound(path, limit):
    Item.from_dict(_with(path, "字" * limit))
    with pytest.raises(InvalidValue, match=f"is longer than {limit} characters"):
        Item.from_dict(_with(path, "字" * (limit + 1)))


def test_a_measure_keeps_its_text_verbatim_ends_and_all():
    assert Measure(metric="jobs_offered", value=Decimal(5), unit="jobs", text=" 5个 ").text == " 5个 "
    assert clean_text(" 5个 ", "x", required=False) == "5个"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("flags",), [["planned"]], "flag: ['planned']: unknown flag"),
        (("flags",), "planned", "flags: 'planned': must be a list"),
        (("measures", 0, "metric"), ["jobs_offered"], "metric: ['jobs_offered']: must be a string"),
        (("measures", 0, "metric"), {"a": 1}, "metric: {'a': 1}: must be a string"),
        (("measures", 0, "value"), "１０", "measures.value: '１０': the value must be a decimal string"),
        (("measures", 0, "value"), "1e40", "measure jobs_offered: '1E+40': the value must be between 0 and"),
        (("measures", 0, "text"), 5, "measure jobs_offered text: 5: must be a string"),
        (("id",), [], "id: []: use letters, digits"),
        (("id",), None, "id: None: use letters, digits"),
        (("scope",), {}, "scope: {}: must be a string"),
        (("source", "published"), None, "source.published: None: expected an EDTF date string"),
    ],
)
def test_every_json_field_has_its_type(path, value, message):
    with pytest.raises(InvalidValue) as e:
        Item.from_dict(_with(path, value))
    assert message in str(e.value)


def test_a_measure_of_ten_to_the_forty_is_refused_by_its_range():
    with pytest.raises(InvalidValue) as e:
        Measure.parse("signed_investment=1" + "0" * 40 + "元")
    assert str(e.value) == (
        "measure signed_investment: '1" + "0" * 40 + "': the value must be between 0 and 1,000,000,000,000,000,000"
    )

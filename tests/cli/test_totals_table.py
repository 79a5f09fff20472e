"""The totals table: what its notes name, and what JSON lists."""

from datetime import date
from decimal import Decimal

from cli import views
from events import Qualifier
from projections.totals import Total


def _total(pending, beside, events):
    return Total("people_trained", "淮南市", "", Decimal(5), "persons", Qualifier.EXACT, "reported+itemized",
                 events, beside, pending)


def test_a_note_names_twenty_items_and_counts_the_rest():
    pending = [f"p-{n:02d}" for n in range(23)]
    out = views.totals([_total(pending, ["b-1"], ["e-1", "e-2", "e-3", "e-4"])], "table", "scope", date(2023, 12, 31))
    first = ", ".join(pending[:20])
    assert f"[1] people_trained / 淮南市: pending (date not yet certain): {first} and 3 more (-f json lists them all)" in out
    assert "[2] people_trained / 淮南市: shown beside the report, not added: b-1\n" in out + "\n"
    # The events column is how many items the total adds up.
    [row] = [line for line in out.splitlines() if line.startswith("people_trained")]
    assert row.split() == ["people_trained", "淮南市", "5", "persons", "reported+itemized", "4", "23", "[1]", "[2]"]


def test_json_lists_every_id():
    pending = [f"p-{n:02d}" for n in range(23)]
    out = views.totals([_total(pending, [], ["e-1"])], "json", "scope", date(2023, 12, 31))
    assert all(p in out for p in pending) and '"e-1"' in out

"""The import's checked spool gives back exactly the items a plain parse of the file gives."""

from pathlib import Path

import pytest

from benchmarks.data import write_jsonl
from ledger.importer import check
from ledger.jsonl import BadLine, read_items
from ledger.seed import DATASET


@pytest.mark.parametrize("source", ["article", "synthetic"])
def test_the_spool_reads_back_what_parsing_the_file_gives(source: str, tmp_path: Path) -> None:
    path = DATASET if source == "article" else write_jsonl(tmp_path / "events.jsonl", 300)
    with path.open(encoding="utf-8") as lines:
        parsed = list(read_items(lines))
    with check(path) as checked:
        assert checked.count == len(parsed)
        spooled = list(checked.items())
        assert list(checked.items()) == spooled  # read again from the start
    assert spooled == parsed
    assert [i.to_dict() for i in spooled] == [i.to_dict() for i in parsed]


def test_a_bad_line_stops_the_check_with_its_number(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "events.jsonl", 20)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[12] = lines[12].replace('"kind": "', '"kind": "x')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BadLine, match=r"^line 13: kind: 'x"):
        check(path)


@pytest.fixture
def split(monkeypatch, tmp_path: Path) -> Path:
    """Every file checked in two halves, the second by a worker process; spools go to a
    folder of their own, to see that none is left behind."""
    import os
    import tempfile

    from ledger import importer

    spools = tmp_path / "spools"
    spools.mkdir()
    monkeypatch.setattr(importer, "SPLIT_FROM", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(tempfile, "tempdir", str(spools))
    return spools


def _with_lines(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    path = write_jsonl(tmp_path / "events.jsonl", 300)
    lines = path.read_text(encoding="utf-8").splitlines()
    change(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_file_checked_in_two_halves_spools_what_parsing_it_whole_gives(tmp_path: Path, split: Path) -> None:
    path = _with_lines(tmp_path, lambda lines: lines.insert(200, "   "))  # a blank line in the second half
    with path.open(encoding="utf-8") as lines:
        parsed = list(read_items(lines))
    with check(path) as checked:
        assert checked.count == len(parsed) == 300
        assert list(checked.items()) == parsed
        assert [i.id for i in checked.items()][149:152] == [i.id for i in parsed][149:152]
    assert list(split.iterdir()) == []


@pytest.mark.parametrize(("bad", "number"), [((250,), 250), ((10,), 10), ((10, 250), 10)])
def test_a_bad_line_in_either_half_is_named_by_its_line_in_the_file(tmp_path: Path, split: Path, bad, number) -> None:
    def spoil(lines: list[str]) -> None:
        lines.insert(100, "")  # a blank line in the first half still counts as a line
        for n in bad:
            lines[n - 1] = lines[n - 1].replace('"kind": "', '"kind": "x')

    path = _with_lines(tmp_path, spoil)
    with pytest.raises(BadLine, match=rf"^line {number}: kind: 'x"):
        check(path)
    assert list(split.iterdir()) == []


def test_bytes_that_are_not_utf8_are_named_by_their_offset_in_the_file(tmp_path: Path, split: Path) -> None:
    from ledger.importer import NotText

    path = write_jsonl(tmp_path / "events.jsonl", 300)
    data = path.read_bytes()
    offset = data.index(b'"title": "', len(data) * 3 // 4) + len(b'"title": "')
    path.write_bytes(data[:offset] + b"\xff" + data[offset + 1:])
    with pytest.raises(NotText, match=rf"^file: not UTF-8 text \(invalid start byte at byte {offset}\)$"):
        check(path)
    assert list(split.iterdir()) == []


def _rows(ledger):  # type: ignore[no-untyped-def]
    return [tuple(map(str, r)) for r in ledger.recorder.all_stored()], ledger.recorder.chain_rows()


def test_events_stored_straight_from_the_spool_are_those_record_stores(new_db) -> None:  # type: ignore[no-untyped-def]
    """The bulk path (record_checked) and the plain one (record), at the same clock:
    the same events, byte for byte, and the same hash chain; skipping alike what is
    there already or twice in a batch."""
    from datetime import datetime, timezone

    from ledger.application import Ledger
    from ledger.store import resolve

    at = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
    with check(DATASET) as checked:
        items, dicts = list(checked.items()), list(checked.dicts())
    plain, bulk = Ledger(resolve(new_db()), clock=lambda: at), Ledger(resolve(new_db()), clock=lambda: at)
    first = plain.record(items[:20])
    assert bulk.record_checked(dicts[:20]).added == dicts[:20]
    second = plain.record(items[10:] + items[:2])
    again = bulk.record_checked(dicts[10:] + dicts[:2])
    skipped = [i.id for i in items[10:20]] + [items[0].id, items[1].id]
    assert (len(again.added), again.skipped) == (len(second.added), second.skipped) == (37, skipped)
    assert again.recordings == [] and len(first.recordings) == 20
    assert _rows(bulk) == _rows(plain)
    assert bulk.load(items[30].id).item == items[30]
    plain.close()
    bulk.close()


def test_a_compressed_store_gets_its_events_through_the_library(tmp_path: Path) -> None:
    """recorded_state writes plain JSON: a store with a compressor or a cipher has the
    library encode its events instead."""
    from dataclasses import replace

    from ledger.application import Ledger
    from ledger.store import resolve

    spec = resolve(str(tmp_path / "z.sqlite"))
    ledger = Ledger(replace(spec, env={**spec.env, "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor"}))
    with check(DATASET) as checked:
        dicts = list(checked.dicts())
        items = list(checked.items())
    assert len(ledger.record_checked(dicts).added) == 57
    assert ledger.load(items[5].id).item == items[5]
    assert not ledger.recorder.all_stored()[0][4].startswith(b"{")
    ledger.close()

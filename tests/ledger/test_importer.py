"""An import checks every line before it writes any, and names every bad one."""

import json
from pathlib import Path

import pytest

from benchmarks.data import write_jsonl
from ledger.application import Ledger
from ledger.importer import MAX_PROBLEMS, BadFile, check, import_file
from ledger.jsonl import parse_line
from ledger.seed import DATASET
from ledger.store import resolve


@pytest.mark.parametrize("source", ["article", "synthetic"])
def test_the_checked_file_gives_back_what_parsing_each_line_gives(source: str, tmp_path: Path) -> None:
    path = DATASET if source == "article" else write_jsonl(tmp_path / "events.jsonl", 300)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    parsed = [parse_line(line, n) for n, line in enumerate(lines, start=1)]
    checked = check(path)
    assert checked.count == len(parsed) == (65 if source == "article" else 300)
    assert list(checked.items()) == parsed


def _broken(tmp_path: Path, changes: dict[int, str]) -> Path:
    """The synthetic file of 20 items, with some lines (numbered from 1) replaced."""
    path = write_jsonl(tmp_path / "events.jsonl", 20)
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, text in changes.items():
        lines[number - 1] = text(lines[number - 1]) if callable(text) else text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_every_bad_line_is_named_with_its_file_line_and_field(tmp_path: Path) -> None:
    def amount(line: str) -> str:
        data = json.loads(line)
        data["measures"] = [{"metric": "people_trained", "value": "x", "unit": "persons"}]
        return json.dumps(data, ensure_ascii=False)

    path = _broken(tmp_path, {
        3: lambda line: line.replace('"kind": "', '"kind": "x'),
        7: '{"kind": "meeting", "date": "2023-02-30", "title": "会"}',
        12: "{not json",
        19: amount,
    })
    with pytest.raises(BadFile) as raised:
        check(path, "in.jsonl")
    lines = raised.value.lines
    assert [line.split(": ")[0] for line in lines] == ["in.jsonl:3", "in.jsonl:7", "in.jsonl:12", "in.jsonl:19"]
    assert lines[0].startswith("in.jsonl:3: kind: 'x")
    assert lines[1] == "in.jsonl:7: date: '2023-02-30': day 30 does not exist in 2023-02"
    assert lines[2].startswith("in.jsonl:12: line: not valid JSON (")
    assert lines[3] == "in.jsonl:19: measures.value: 'x': not a decimal number"


def test_past_fifty_bad_lines_the_check_says_there_are_more(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n" * 80, encoding="utf-8")
    with pytest.raises(BadFile) as raised:
        check(path)
    assert len(raised.value.lines) == MAX_PROBLEMS + 1
    assert raised.value.lines[-1] == f"(more bad lines after these {MAX_PROBLEMS})"


def test_bytes_that_are_not_utf8_are_named_by_their_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "events.jsonl", 5)
    data = path.read_bytes().splitlines(keepends=True)
    data[3] = b'{"title": "\xff"}\n'
    path.write_bytes(b"".join(data))
    with pytest.raises(BadFile, match=r"events.jsonl:4: file: not UTF-8 text \(invalid start byte\)$"):
        check(path)


def test_a_file_with_a_bad_line_writes_nothing(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ledger = Ledger(resolve(db))
    path = _broken(tmp_path, {20: '{"kind": "meeting"}'})
    with pytest.raises(BadFile):
        import_file(ledger, path)
    assert not ledger.recorder.max_notification_id()
    assert import_file(ledger, DATASET).added == 65
    ledger.close()

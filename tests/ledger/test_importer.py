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

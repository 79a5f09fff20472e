"""Fuzzed bad input: never a traceback; exit 0, or exit 2 with one line and the store unchanged
(or 3, a conflict: an id already recorded with other content, refused the same way).

10,500 generated inputs in all, across append, import lines and the read options;
the count is printed at the end of the run (tests/cli/conftest.py).
"""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events import METRICS, Kind

ODD = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["'", '"', ";", "-", "\x00", "\n", "\u202e", "🐉", "亿", "万", "/", ".", "２", "٢"]),
    ),
    max_size=20,
)
SQL = st.sampled_from(["'; DROP TABLE stored_events; --", "1 OR 1=1", "\" OR \"\"=\"", "%s", "?", "$1"])
TEXT = st.one_of(ODD, SQL)
DATE = st.one_of(TEXT, st.sampled_from(["2023", "2023-02-29", "2024-02-29", "9999-12-31", "2023/..", "../..", "2023q2",
                                        "0001-01-01", "２０２３-０５-０１"]))
AMOUNT = st.one_of(TEXT, st.sampled_from(["1e309", "99999999999999999999999亿元", "-5名", "NaN", "近近200名", "0.0000001元",
                                          "1" + "0" * 40 + "元"]))
KNOWN_AT = st.one_of(TEXT, st.sampled_from(["2024-01-01T00:00:00+00:00", "2024-01-01T00:00+99:00", "2100-01-01",
                                            "0001-01-01T00:00Z", "9999-12-31T23:59:59Z", "now"]))
FORMAT = st.one_of(st.sampled_from(["table", "json", "csv", "markdown", "jsonl", "html"]), TEXT)


def _store_bytes(db: str) -> bytes:
    """The SQLite file and its write-ahead log, which hold everything stored (the -shm file
    is only an index into the log, which any reader may touch)."""
    return b"".join(Path(db + part).read_bytes() for part in ("", "-wal") if Path(db + part).exists())


def _check(store, args):  # type: ignore[no-untyped-def]
    before = _store_bytes(store.db)
    run = store(*args)  # any exception but SystemExit fails the test (no traceback allowed)
    assert run.exit_code in (0, 2, 3), (args, run.stderr)
    assert "Traceback" not in run.stderr
    if run.exit_code in (2, 3):
        if args[0] == "import":  # one `FILE:LINE: field: message` line per bad line
            lines = run.stderr.splitlines()
            assert lines and all(line.startswith(f"{args[1]}:") for line in lines), run.stderr
        else:
            assert run.stderr.startswith("coop-ledger: ") and run.stderr.count("\n") == 1, run.stderr
        assert _store_bytes(store.db) == before, args
    return run


@pytest.fixture
def store(sqlite_cli):  # type: ignore[no-untyped-def]
    """One store for all of a test's inputs: seeded, its read model current."""
    sqlite_cli.ok("init")
    return sqlite_cli


def options(**strategies):  # type: ignore[no-untyped-def]
    """Command-line options, each one given or left out (True: a flag given alone)."""
    flags = {f"--{name.rstrip('_').replace('_', '-')}": strategy for name, strategy in strategies.items()}
    return st.fixed_dictionaries({}, optional=flags).map(
        lambda given: [part for flag, value in given.items() for part in ((flag,) if value is True else (flag, value))]
    )


KIND = st.one_of(st.sampled_from([k.value for k in Kind]), TEXT)
METRIC = st.one_of(st.sampled_from(sorted(METRICS)), TEXT)


def fuzz(store, fuzzed, name: str, examples: int, commands) -> None:  # type: ignore[no-untyped-def]
    """Run `examples` generated command lines of `commands` against the store, and count them."""

    @settings(max_examples=examples, deadline=None, database=None)
    @given(args=commands)
    def run(args):  # type: ignore[no-untyped-def]
        fuzzed[name] += 1
        _check(store, args)

    run()
    assert fuzzed[name] >= examples


def test_append_with_fuzzed_arguments(store, fuzzed):
    more = options(measure=st.tuples(METRIC, AMOUNT).map("=".join), actor=TEXT, scope=TEXT, population=TEXT,
                   quote=TEXT, published=DATE, flag=st.one_of(st.sampled_from(["undated", "planned"]), TEXT),
                   note=TEXT, id_=TEXT)
    fuzz(store, fuzzed, "append", 2500, st.tuples(KIND, DATE, TEXT, more).map(
        lambda a: ["append", "--kind", a[0], "--date", a[1], "--title", a[2], *a[3]]))


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=6,
)
LINE = st.fixed_dictionaries(
    {"kind": st.one_of(st.just("meeting"), JSON_VALUE), "date": st.one_of(DATE, JSON_VALUE),
     "title": st.one_of(TEXT, JSON_VALUE)},
    optional={"measures": st.one_of(JSON_VALUE, st.lists(st.fixed_dictionaries(
        {"metric": st.one_of(st.just("sales"), TEXT), "value": st.one_of(AMOUNT, JSON_VALUE),
         "unit": st.one_of(st.just("CNY"), TEXT)}), max_size=2)),
        "source": JSON_VALUE, "actors": JSON_VALUE, "flags": JSON_VALUE, "id": JSON_VALUE},
)


def test_import_of_fuzzed_json_lines(store, fuzzed, tmp_path):
    path = tmp_path / "in.jsonl"

    @settings(max_examples=2500, deadline=None, database=None)
    @given(lines=st.lists(st.one_of(LINE.map(lambda d: json.dumps(d, ensure_ascii=False)), TEXT), min_size=1, max_size=4))
    def import_(lines):  # type: ignore[no-untyped-def]
        fuzzed["import"] += 1
        path.write_text("\n".join(line.replace("\n", " ") for line in lines), encoding="utf-8", errors="surrogatepass")
        _check(store, ["import", str(path)])

    import_()
    assert fuzzed["import"] >= 2500


def test_timeline_with_fuzzed_options(store, fuzzed):
    width = st.one_of(st.sampled_from(["40", "80", "39", "-1"]), TEXT)
    fuzz(store, fuzzed, "timeline", 2000, options(
        from_=DATE, to=DATE, period=DATE, strict=st.just(True), kind=KIND, format=FORMAT, as_known_at=KNOWN_AT,
        width=width).map(lambda a: ["timeline", *a]))


def test_totals_with_fuzzed_options(store, fuzzed):
    by = st.one_of(st.sampled_from(["scope", "kind", "month", "year"]), TEXT)
    fuzz(store, fuzzed, "totals", 1500, options(
        as_of=DATE, metric=METRIC, by=by, cumulative=st.just(True), format=FORMAT, as_known_at=KNOWN_AT,
    ).map(lambda a: ["totals", *a]))


def test_export_with_fuzzed_options(store, fuzzed):
    fuzz(store, fuzzed, "export", 1000, options(
        format=FORMAT, from_=DATE, to=DATE, kind=KIND, as_known_at=KNOWN_AT).map(lambda a: ["export", *a]))


def test_history_with_fuzzed_options(store, fuzzed):
    fuzz(store, fuzzed, "history", 1000, st.tuples(st.one_of(st.just("2023-06-13-job-fair"), TEXT), FORMAT).map(
        lambda a: ["history", a[0], "--format", a[1]]))

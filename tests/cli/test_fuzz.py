"""Fuzzed bad input: never a traceback; exit 0, or exit 2 with one line and the store unchanged."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import METRICS, Kind

ODD = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["'", '"', ";", "-", "\x00", "\n", "\u202e", "🐉", "亿", "万", "/", "."]),
    ),
    max_size=20,
)
SQL = st.sampled_from(["'; DROP TABLE stored_events; --", "1 OR 1=1", "\" OR \"\"=\"", "%s", "?", "$1"])
TEXT = st.one_of(ODD, SQL)
DATE = st.one_of(TEXT, st.sampled_from(["2023", "2023-02-29", "2024-02-29", "9999-12-31", "2023/..", "../..", "2023q2"]))
AMOUNT = st.one_of(TEXT, st.sampled_from(["1e309", "99999999999999999999999亿元", "-5名", "NaN", "近近200名", "0.0000001元"]))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def store(sqlite_cli):
    sqlite_cli.ok("init")
    return sqlite_cli


def _check(store, args):
    before = store.ok("export").stdout
    run = store(*args)  # any exception but SystemExit fails the test (no traceback allowed)
    assert run.exit_code in (0, 2), (args, run.stderr)
    assert "Traceback" not in run.stderr
    if run.exit_code == 2:
        if args[0] == "import":  # one `FILE:LINE: field: message` line per bad line
            lines = run.stderr.splitlines()
            assert lines and all(line.startswith(f"{args[1]}:") for line in lines), run.stderr
        else:
            assert run.stderr.startswith("coop-ledger: ") and run.stderr.count("\n") == 1
        assert store.ok("export").stdout == before
    return run


@FUZZ
@given(kind=st.one_of(st.sampled_from([k.value for k in Kind]), TEXT), date=DATE, title=TEXT,
       metric=st.one_of(st.sampled_from(sorted(METRICS)), TEXT), amount=AMOUNT, actor=TEXT)
def test_append_with_fuzzed_arguments(store, kind, date, title, metric, amount, actor):
    _check(store, ["append", "--kind", kind, "--date", date, "--title", title,
                   "--measure", f"{metric}={amount}", "--actor", actor])


@FUZZ
@given(lower=DATE, upper=DATE, kind=TEXT, fmt=st.one_of(st.sampled_from(["table", "json"]), TEXT))
def test_timeline_with_fuzzed_filters(store, lower, upper, kind, fmt):
    _check(store, ["timeline", "--from", lower, "--to", upper, "--kind", kind, "--format", fmt])


@FUZZ
@given(as_of=DATE, metric=TEXT, by=TEXT)
def test_totals_with_fuzzed_filters(store, as_of, metric, by):
    _check(store, ["totals", "--as-of", as_of, "--metric", metric, "--by", by])


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


@FUZZ
@given(lines=st.lists(st.one_of(LINE.map(lambda d: json.dumps(d, ensure_ascii=False)), TEXT), min_size=1, max_size=4))
def test_import_of_fuzzed_json_lines(store, tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("fuzz") / "in.jsonl"
    path.write_text("\n".join(line.replace("\n", " ") for line in lines), encoding="utf-8", errors="surrogatepass")
    _check(store, ["import", str(path)])

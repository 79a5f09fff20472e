"""A PostgreSQL address is read by libpq's rules: every parameter kept, the password never shown."""

import pytest
from typer.testing import CliRunner

from cli.main import app
from events import InvalidValue
from ledger.conninfo import mask, parse

postgres = pytest.mark.parametrize("backend", ["postgres"])


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("postgresql://al:p@ss@db:5432/x", "postgresql://al:***@db:5432/x"),
        ("postgresql://al:a/b@db/x", "postgresql://al:***@db/x"),
        ("postgresql://al@db/x?sslmode=require&password=s3cret&schema=s", "postgresql://al@db/x?sslmode=require&password=***&schema=s"),
        ("postgres://al:pw@db/x?PASSWORD=two", "postgres://al:***@db/x?PASSWORD=***"),
        ("host=db dbname=x password=s3cret user=al", "host=db dbname=x password=*** user=al"),
        ("host=db password = 'se cret' dbname=x", "host=db password = *** dbname=x"),
        ("postgresql://al@db/x", "postgresql://al@db/x"),
    ],
)
def test_the_password_is_masked_in_every_form(text, shown):
    assert mask(text) == shown


def test_every_libpq_parameter_is_kept_and_schema_taken_out():
    address = parse("postgresql://al:p%40ss@db:6543/coop?sslmode=verify-full&sslrootcert=/etc/ca.pem"
                    "&options=-c%20statement_timeout%3D5000&schema=ledger")
    assert (address.dbname, address.host, address.port, address.user, address.password, address.schema) == (
        "coop", "db", "6543", "al", "p@ss", "ledger",
    )
    assert address.extra == {"sslmode": "verify-full", "sslrootcert": "/etc/ca.pem", "options": "-c statement_timeout=5000"}
    keywords = parse("host=db dbname=coop user=al password='p w' sslmode=require")
    assert (keywords.password, keywords.schema, keywords.extra) == ("p w", "public", {"sslmode": "require"})


@pytest.mark.parametrize("schema", ["information_schema", "pg_catalog", "pg_toast", "pg_temp_3", "PG_anything"])
def test_a_system_schema_is_refused(schema):
    with pytest.raises(InvalidValue) as e:
        parse(f"postgresql://al:pw@db/coop?schema={schema}")
    assert str(e.value) == (
        f"db: 'postgresql://al:***@db/coop?schema={schema}': schema {schema!r} is PostgreSQL's own; "
        "name a schema of the ledger's"
    )


@pytest.mark.parametrize(
    ("url", "secret", "message"),
    [
        ("postgresql://al:p@ss@127.0.0.1:1/x", "p@ss", "db: 'postgresql://al:***@127.0.0.1:1/x': write an @ in the password as %40"),
        ("postgresql://al@127.0.0.1:1/x?password=s3cret", "s3cret", "db: 'postgresql://al@127.0.0.1:1/x?password=***': cannot open the store (connection failed"),
        ("host=127.0.0.1 port=1 dbname=x password='s3 cret'", "s3 cret", "db: 'host=127.0.0.1 port=1 dbname=x password=***': cannot open the store (connection failed"),
        ("postgresql://al@127.0.0.1:1/x?bogus=s3cret", "s3cret", "db: 'postgresql://al@127.0.0.1:1/x?bogus=s3cret': invalid URI query parameter: \"bogus\""),
    ],
)
def test_a_bad_or_unreachable_address_is_one_line_with_the_password_masked(url, secret, message):
    run = CliRunner().invoke(app, ["--db", url, "timeline"])
    assert run.exit_code == 2
    assert run.stderr.startswith(f"coop-ledger: {message}") and run.stderr.count("\n") == 1
    if "bogus" not in url:
        assert secret not in run.stderr + run.stdout


@postgres
def test_libpq_parameters_reach_the_connections_the_library_opens(db):
    from ledger.application import Ledger
    from ledger.store import resolve

    ledger = Ledger(resolve(db + "&application_name=coop-test&options=-c%20statement_timeout%3D12345"))
    with ledger.recorder.datastore.get_connection() as conn:
        row = conn.execute("SELECT current_setting('application_name') AS a, current_setting('statement_timeout') AS t").fetchone()
    ledger.close()
    assert tuple(row.values()) == ("coop-test", "12345ms")


@postgres
def test_sslmode_require_is_honoured_and_not_dropped(db):
    import psycopg

    from tests.conftest import POSTGRES_URL

    with psycopg.connect(POSTGRES_URL) as conn:
        if conn.execute("SHOW ssl").fetchone()[0] != "off":
            pytest.skip("the test server speaks SSL; this test needs one that refuses it")
    url = db + "&sslmode=require"
    run = CliRunner().invoke(app, ["--db", url, "timeline"])
    assert run.exit_code == 2
    assert run.stderr == (
        f"coop-ledger: db: {url!r}: cannot open the store (connection failed: connection to server at "
        '"127.0.0.1", port 5432 failed: server does not support SSL, but SSL was required)\n'
    )

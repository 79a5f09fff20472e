"""A PostgreSQL store's address, read by libpq's own rules (psycopg.conninfo), and masked.

Every libpq parameter a URL or a key=value string carries (sslmode, sslrootcert,
options, application_name, ...) is kept and reaches each connection; `schema` is the
one parameter of this project's, and is taken out before libpq reads the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from events import InvalidValue

# The schema is the one name that goes into SQL text rather than a parameter.
_SCHEMA = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
# Schemas PostgreSQL keeps for itself; a ledger written there would sit among the catalog.
_SYSTEM_SCHEMA = re.compile(r"information_schema|pg_.*", re.IGNORECASE)

# A URL's password runs from the user's colon to the last @ before the query: libpq
# stops at the first @, so a password holding one would otherwise show its tail.
_USERINFO = re.compile(r"(://[^:/?#@]*:)[^?#]*@")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)
_KEYWORD_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)", re.IGNORECASE)
_KEYWORDS = re.compile(r"\s*[a-z_]+\s*=")


def mask(text: str) -> str:
    """`text` with every password in it replaced by ***: in a URL's user part, in its
    `?password=`, and in a key=value string."""
    if "://" in text:
        return _QUERY_PASSWORD.sub(r"\1***", _USERINFO.sub(r"\1***@", text))
    return _KEYWORD_PASSWORD.sub(r"\1***", text)


def is_postgres(target: str) -> bool:
    """A postgresql:// URL, or a libpq key=value string (`host=db dbname=coop`)."""
    return bool(re.match(r"postgres(ql)?://", target) or _KEYWORDS.match(target))


@dataclass(frozen=True)
class Address:
    """What a connection needs: libpq's parameters by name, and the schema."""

    dbname: str
    host: str
    port: str
    user: str
    password: str
    schema: str
    # Every other libpq parameter, as libpq read it.
    extra: dict[str, str] = field(default_factory=dict)


def parse(target: str) -> Address:
    """Read `target` as libpq does; InvalidValue (with the password masked) if it cannot be."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    shown = mask(target)
    rest, schema = _without_schema(target)
    if target.startswith("postgres") and urlsplit(target).netloc.count("@") > 1:
        raise InvalidValue("db", shown, "write an @ in the password as %40")
    try:
        params = {k: str(v) for k, v in conninfo_to_dict(rest).items()}
    except ProgrammingError as e:
        raise InvalidValue("db", shown, mask(str(e).strip().splitlines()[0])) from None
    dbname, host = params.pop("dbname", ""), params.pop("host", "")
    if not dbname or not host:
        raise InvalidValue("db", shown, "a PostgreSQL store needs a host and a database name")
    if not _SCHEMA.fullmatch(schema):
        raise InvalidValue("db", shown, f"schema {schema!r} must be letters, digits and _")
    if _SYSTEM_SCHEMA.fullmatch(schema):
        raise InvalidValue("db", shown, f"schema {schema!r} is PostgreSQL's own; name a schema of the ledger's")
    return Address(
        dbname=dbname, host=host, port=params.pop("port", "5432"), user=params.pop("user", "postgres"),
        password=params.pop("password", ""), schema=schema, extra=params,
    )


def _without_schema(target: str) -> tuple[str, str]:
    """`target` without its `schema` parameter, which libpq does not know, and the schema."""
    if not target.startswith("postgres"):
        return target, "public"
    parts = urlsplit(target)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schemas = [v for k, v in query if k == "schema"]
    rest = urlencode([(k, v) for k, v in query if k != "schema"], quote_via=quote)
    return urlunsplit(parts._replace(query=rest)), schemas[-1] if schemas else "public"

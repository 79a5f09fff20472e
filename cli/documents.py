"""What the commands about sources show: documents, drafts, probable duplicates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cli.output import render_csv, render_json, render_table, shortened
from events import Document, InvalidValue, When
from events.document import text_of

# Probable duplicates named in a warning after a write; `duplicates` lists them all.
WARNED = 10


def read_document(file: Path, document_id: str, title: str, published: str, publisher: str, url: str) -> Document:
    """The document a file holds, every field checked before the store is opened."""
    when = When.parse(published, "published")
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InvalidValue("file", str(file), "no such file") from None
    except IsADirectoryError:
        raise InvalidValue("file", str(file), "is a directory, not a file") from None
    except OSError as e:
        raise InvalidValue("file", str(file), f"cannot be read ({e.strerror})") from None
    return Document(document_id, title, when, text_of(data, str(file)), publisher, url)


def documents(found: list[dict], fmt: str) -> str:
    if fmt == "json":
        return render_json(found)
    if fmt == "csv":
        return render_csv(found)
    rows = [[d["id"], d["title"], d["published"], d["publisher"], f"{d['chars']:,}", d["sha256"][:12]] for d in found]
    return render_table(["id", "title", "published", "publisher", "chars", "sha256"], rows, fmt, numeric=[4])


def document(found: Document, fmt: str) -> str:
    if fmt == "json":
        return render_json([found.to_dict()])[2:-2]  # one object, not a list of one
    fields = [[k, v] for k, v in found.summary().items()]
    return render_table(["field", "value"], fields, "table") + "\n\n" + found.text


def drafts_summary(drafts: Sequence, out: str) -> str:  # type: ignore[type-arg]
    """The table `extract` prints on stderr, for the person who reviews the drafts."""
    rows = [
        [n, d.item.when.text, d.item.kind.value, f"{d.confidence:.2f}", len(d.item.measures),
         shortened(d.item.title, 30), ", ".join(sorted(f.value for f in d.item.flags))]
        for n, d in enumerate(drafts, 1)
    ]
    table = render_table(["#", "date", "kind", "confidence", "figures", "title", "flags"], rows, "table", numeric=[0, 3, 4])
    low = sum(1 for d in drafts if d.confidence < 0.7)
    return (f"{table}\n\ncoop-ledger: {len(drafts)} drafts written to {out}; {low} of confidence under 0.70. "
            "Review them, then `coop-ledger import` the file.")


def matches(found: Sequence, fmt: str) -> str:  # type: ignore[type-arg]
    if fmt == "json":
        return render_json([m.to_dict() for m in found])
    if fmt == "csv":
        return render_csv([{**m.to_dict(), "why": "; ".join(m.why)} for m in found])
    if not found:
        return "no probable duplicates"
    rows = [[*m.items, f"{m.score:.3f}", "; ".join(m.why)] for m in found]
    return render_table(["item", "probably the same as", "score", "why"], rows, fmt, numeric=[2])


def warnings(found: Sequence) -> list[str]:  # type: ignore[type-arg]
    """Lines that warn of probable duplicates just recorded, the first WARNED of them."""
    lines = [
        f"coop-ledger: warning: {a} is probably {b}, reported by another source (score {m.score:.3f}: "
        f"{'; '.join(m.why)}); `coop-ledger link {a} --same-as {b} --reason ...` counts them once"
        for m in found[:WARNED]
        for a, b in [m.items]
    ]
    if len(found) > WARNED:
        lines.append(f"coop-ledger: warning: and {len(found) - WARNED} more probable duplicates "
                     "(`coop-ledger duplicates` lists them all)")
    return lines

"""Drafting items from a document's text, for a person to review before they are imported."""

from ledger.extract.drafts import Draft, draft

__all__ = ["Draft", "draft"]

"""The vocabulary of the ledger: items, dates with their precision, figures, sources."""

from events.document import Document
from events.errors import InvalidValue
from events.item import Flag, Item, Kind, Source, default_id
from events.measure import Measure, Qualifier, parse_amount
from events.metrics import METRICS, Metric
from events.when import Precision, When, parse_window, window_bounds

__all__ = [
    "METRICS", "Document", "Flag", "InvalidValue", "Item", "Kind", "Measure", "Metric",
    "Precision", "Qualifier", "Source", "When", "default_id", "parse_amount", "parse_window",
    "window_bounds",
]

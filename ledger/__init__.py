"""The event-sourced ledger: items stored as immutable events, in SQLite or PostgreSQL."""

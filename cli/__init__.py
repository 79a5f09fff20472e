"""The coop-ledger command line."""

"""Benchmarks: synthetic events at scale, measured against the raw store and ledger-cli/hledger."""

"""Read models: pure folds over the ledger's events, kept current and persisted."""

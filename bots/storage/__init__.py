"""Storage: the ledger and its schema, the store, atomic writes, retention, metrics."""

"""The bots: folder and mailbox intake, the ledger, the store, the pipeline and filing."""

"""The test suite (a regular package: some dependency ships a top-level `tests` package)."""

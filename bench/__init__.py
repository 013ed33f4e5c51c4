"""Benchmarks and long-running checks (chaos, fuzzing). Run them as scripts; the test suite
runs short versions."""

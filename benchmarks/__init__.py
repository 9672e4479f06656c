"""Benchmarks: our policy pack, the offline check and the filter engine, each timed against a no-op baseline.

Run ``scripts/bench.sh`` (or ``python -m benchmarks.run``); see ``benchmarks/README.md``. Not part of the
test suite: timings belong in a report, not in assertions.
"""

#!/usr/bin/env bash
# Run the benchmarks with the repository's virtualenv: scripts/bench.sh [--quick] [--json PATH] [--only ...]
# A full run takes several minutes; it prints a table, writes benchmarks/results/latest.json and, when every
# group ran, benchmarks/RESULTS.md. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m benchmarks.run "$@"

#!/usr/bin/env bash
# One command from a fresh clone: create the virtualenv, install everything from the project's
# own files, then lint, type-check and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]" -r compliant_cloudtrail/policy_pack/requirements.txt

echo "== ruff"
.venv/bin/ruff check .
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
# Two workers: the machine CI runs on has two cores, and most tests spend their time waiting on another process.
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" "$@"

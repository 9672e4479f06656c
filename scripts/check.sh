#!/usr/bin/env bash
# Check a Pulumi program against the policy pack offline: scripts/check.sh <program dir> [--preview] [--json] ...
# The repository's virtualenv is found from this script's place, and the working directory is left alone,
# so a relative program directory means what it means to the caller. A program whose Pulumi.yaml names no
# virtualenv runs, as under the Pulumi CLI, on PULUMI_PYTHON_CMD; unset, that is this repository's .venv
# (it has pulumi and pulumi-aws), not whatever python3 is first on PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PULUMI_PYTHON_CMD="${PULUMI_PYTHON_CMD:-$root/.venv/bin/python}"
exec "$root/.venv/bin/python" -m compliant_cloudtrail.check "$@"

#!/usr/bin/env bash
# Check a Pulumi program against the policy pack offline: scripts/check.sh <program dir> [--preview] [--json] ...
# The repository's virtualenv is found from this script's place, and the working directory is left alone,
# so a relative program directory means what it means to the caller.
set -euo pipefail
exec "$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/python" -m compliant_cloudtrail.check "$@"

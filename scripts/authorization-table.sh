#!/usr/bin/env bash
# What AWS authorizes for each CompliantTrail variant: every modelled request -> ALLOWED/DENIED and the
# policy:Sid that decides, judged by tests/aws_model's IAM evaluator against the policies the component
# declares under mocks. Exit 1 when a verdict is wrong or a statement/condition is needed by nothing.
# Usage: scripts/authorization-table.sh [VARIANT ...]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo/tests"
exec "$repo/.venv/bin/python" -m aws_model.table "$@"

#!/usr/bin/env bash
# What AWS authorizes for each CompliantTrail variant: every modelled request -> ALLOWED/DENIED and the
# policy:Sid that decides, judged by tests/aws_model's IAM evaluator against the policies the component
# declares under mocks; then, with no VARIANT given, the AWS Organizations calls each organization-trail
# configuration makes under CloudTrail's documented minimum permissions (tests/aws_model/organization_calls.py).
# Exit 1 when a verdict is wrong, a statement/condition is needed by nothing, or the minimum is not enough.
# Usage: scripts/authorization-table.sh [VARIANT ...]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo/tests"
exec "$repo/.venv/bin/python" -m aws_model.table "$@"

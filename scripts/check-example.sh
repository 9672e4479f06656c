#!/usr/bin/env bash
# The main job, from a fresh clone, in one command: the offline check of the example stack (exit 0).
# It first makes the example's own environment as `pulumi install` would (Pulumi.yaml: virtualenv venv,
# requirements.txt = this repository, editable), once; extra arguments go to cloudtrail-check.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x venv/bin/cloudtrail-check ]; then
  python3 -m venv venv
  venv/bin/python -m pip install --quiet -r requirements.txt
fi
exec venv/bin/cloudtrail-check . "$@"

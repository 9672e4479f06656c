#!/usr/bin/env bash
# Fuzz the readers of untrusted files (state exports, Pulumi.yaml and stack files, policy pack config) for longer
# than the test suite does: scripts/fuzz-inputs.sh [SECONDS] (default 300). Runs tests/hostile_inputs/
# test_fuzz_inputs.py (the readers) and test_fuzz_the_command.py (the whole command's exit-code contract) again and
# again, each round with a fresh seed and FUZZ_EXAMPLES / FUZZ_COMMAND_EXAMPLES examples per test, until the time
# is up. Exit 0: no input broke the contract; else pytest's report of the shrunk input and exit 1.
set -euo pipefail
seconds="${1:-300}"
case "$seconds" in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2;; esac
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export FUZZ_EXAMPLES="${FUZZ_EXAMPLES:-2000}"
export FUZZ_COMMAND_EXAMPLES="${FUZZ_COMMAND_EXAMPLES:-50}"
end=$(( $(date +%s) + seconds ))
round=0
while [ "$(date +%s)" -lt "$end" ]; do
  round=$((round + 1))
  seed="$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
  left=$(( end - $(date +%s) ))
  echo "round $round: seed $seed, $FUZZ_EXAMPLES examples per test, ${left} s left"
  # a round cut short by the deadline is not a failure: timeout's 124 ends the loop
  set +e
  timeout "$left" .venv/bin/python -m pytest tests/hostile_inputs/test_fuzz_inputs.py \
    tests/hostile_inputs/test_fuzz_the_command.py -q -p no:cacheprovider \
    --hypothesis-seed="$seed"
  code=$?
  set -e
  if [ "$code" -eq 124 ]; then break; fi
  if [ "$code" -ne 0 ]; then echo "fuzz-inputs: round $round (seed $seed) failed" >&2; exit 1; fi
done
echo "fuzz-inputs: $round round(s), no input broke the readers' typed errors or the command's exit-code contract"

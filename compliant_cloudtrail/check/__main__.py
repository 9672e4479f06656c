"""Check a Pulumi program against a CrossGuard policy pack offline: no Pulumi CLI, no cloud credentials.

    cloudtrail-check <program dir> [--stack dev] [--config key=value ...] [--preview]
                               [--policy-pack DIR] [--policy-pack-config FILE] [--json] [--no-progress]

Exit code: 0 no mandatory violation, 1 at least one, 2 usage error or no verdict (the program failed, an invoke
could not be answered offline, the pack did not start, its config does not fit).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .cli import DEFAULT_POLICY_PACK, CheckError, CheckRequest, run_check
from .progress import LARGE_PROGRAM, ProgressLine
from .report import as_json, as_text

PROG = "cloudtrail-check"
EXIT_PASSED, EXIT_MANDATORY_VIOLATION, EXIT_NO_VERDICT = 0, 1, 2


def config_pair(text: str) -> tuple[str, Any]:
    """``key=value``; the value as JSON when it is JSON (lists, booleans, numbers), else the plain string,
    so ``retentionInDays=365`` reaches the program as the integer ``pulumi config set`` would store."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    try:
        return key.strip(), json.loads(value)
    except json.JSONDecodeError:
        return key.strip(), value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("program", type=Path, help="the Pulumi program's directory (Pulumi.yaml, __main__.py)")
    parser.add_argument("--stack", default="dev", help="stack name; reads Pulumi.<stack>.yaml (default: dev)")
    parser.add_argument(
        "--config",
        type=config_pair,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="stack config over Pulumi.<stack>.yaml; repeatable; values are JSON when they parse as JSON",
    )
    parser.add_argument(
        "--preview", action="store_true", help="as a first `pulumi preview`: computed values are unknown"
    )
    parser.add_argument(
        "--policy-pack",
        type=Path,
        default=DEFAULT_POLICY_PACK,
        metavar="DIR",
        help=f"policy pack directory (default: {DEFAULT_POLICY_PACK})",
    )
    parser.add_argument(
        "--policy-pack-config",
        type=Path,
        metavar="FILE",
        help="JSON policy config, as for `pulumi up --policy-pack-config`",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help=f"no progress line on stderr (shown for programs of {LARGE_PROGRAM} resources or more)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        outcome = run_check(
            CheckRequest(
                program_dir=args.program,
                stack=args.stack,
                config=dict(args.config),
                preview=args.preview,
                policy_pack=args.policy_pack,
                policy_config_file=args.policy_pack_config,
            ),
            progress=None if args.no_progress else ProgressLine(sys.stderr),
        )
    except CheckError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_NO_VERDICT
    print(as_json(outcome) if args.json else as_text(outcome))
    return EXIT_PASSED if outcome.passed else EXIT_MANDATORY_VIOLATION


if __name__ == "__main__":
    sys.exit(main())

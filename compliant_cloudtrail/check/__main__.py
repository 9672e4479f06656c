"""Check a Pulumi program against a CrossGuard policy pack offline: no Pulumi CLI, no cloud credentials.

    cloudtrail-check <program dir> [--stack dev] [--config key=value ...] [--preview]
                               [--policy-pack DIR] [--policy-pack-config FILE] [--json] [--no-progress]
                               [--timeout SECONDS] [--mocks FILE] [--stack-reference NAME=FILE ...]
                               [--allow-unexpanded-components]
    cloudtrail-check --state FILE [--policy-pack DIR] [--policy-pack-config FILE] [--json]

The program runs in its own process and environment (the Python the Pulumi CLI would pick for it) against an
offline engine. Exit code: 0 no mandatory violation, 1 at least one, 2 usage error or no verdict (the project,
the program, the engine, the watchdog, remote components, the pack or its config).
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


def stack_reference_pair(text: str) -> tuple[str, Path]:
    name, sep, path = text.partition("=")
    if not sep or not name.strip() or not path:
        raise argparse.ArgumentTypeError(f"expected STACK=FILE, got {text!r}")
    return name.strip(), Path(path)


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from exc
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("program", type=Path, nargs="?", help="the Pulumi program's directory (Pulumi.yaml)")
    parser.add_argument(
        "--state", type=Path, metavar="FILE",
        help="judge a deployed stack from `pulumi stack export` output instead of running a program",
    )  # fmt: skip
    parser.add_argument("--stack", default="dev", help="stack name; reads Pulumi.<stack>.yaml (default: dev)")
    parser.add_argument(
        "--config", type=config_pair, action="append", default=[], metavar="KEY=VALUE",
        help="stack config over Pulumi.<stack>.yaml; repeatable; values are JSON when they parse as JSON",
    )  # fmt: skip
    parser.add_argument(
        "--preview", action="store_true", help="as a first `pulumi preview`: computed values are unknown"
    )
    parser.add_argument(
        "--policy-pack", type=Path, default=DEFAULT_POLICY_PACK, metavar="DIR",
        help=f"policy pack directory (default: {DEFAULT_POLICY_PACK})",
    )  # fmt: skip
    parser.add_argument(
        "--policy-pack-config", type=Path, metavar="FILE",
        help="JSON policy config, as for `pulumi up --policy-pack-config`",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    parser.add_argument(
        "--no-progress", action="store_true",
        help=f"no progress line on stderr (shown for programs of {LARGE_PROGRAM} resources or more)",
    )  # fmt: skip
    parser.add_argument(
        "--timeout", type=positive_seconds, default=300.0, metavar="SECONDS",
        help="end a program still running after this long, with exit 2 (default: 300)",
    )  # fmt: skip
    parser.add_argument(
        "--mocks", type=Path, metavar="FILE",
        help='exact invoke answers: JSON or YAML list of {"token", "args" (optional, all must match), '
        '"result" or "error"}',
    )  # fmt: skip
    parser.add_argument(
        "--stack-reference", type=stack_reference_pair, action="append", default=[], metavar="STACK=FILE",
        help="outputs of a referenced stack, from `pulumi stack output --json --show-secrets`; repeatable",
    )  # fmt: skip
    parser.add_argument(
        "--allow-unexpanded-components", action="store_true",
        help="check a program with remote components (awsx, eks...) without the resources inside them",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if (args.program is None) == (args.state is None):
        parser.error("give a program directory or --state FILE (one of them)")
    program_only = {"--config": args.config, "--preview": args.preview, "--mocks": args.mocks,
                    "--stack-reference": args.stack_reference,
                    "--allow-unexpanded-components": args.allow_unexpanded_components}  # fmt: skip
    if args.state is not None and any(program_only.values()):
        parser.error(f"{', '.join(k for k, v in program_only.items() if v)}: only for a program, not with --state")
    return args


def _error(exc: CheckError, as_json_object: bool) -> None:
    if as_json_object:
        # stdout stays one JSON object even without a verdict, for the scripts that read it
        payload = {"error": str(exc), "detail": exc.detail, "exit_code": EXIT_NO_VERDICT}
        print(json.dumps(payload, indent=2))
    if exc.detail:
        print(exc.detail, file=sys.stderr)
    print(f"{PROG}: error: {exc}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        outcome = run_check(
            CheckRequest(
                program_dir=args.program or args.state,
                state_file=args.state,
                stack=args.stack,
                config=dict(args.config),
                preview=args.preview,
                policy_pack=args.policy_pack,
                policy_config_file=args.policy_pack_config,
                timeout_s=args.timeout,
                mocks_file=args.mocks,
                stack_references=dict(args.stack_reference),
                allow_unexpanded_components=args.allow_unexpanded_components,
            ),
            progress=None if args.no_progress else ProgressLine(sys.stderr),
        )
    except CheckError as exc:
        _error(exc, args.json)
        return EXIT_NO_VERDICT
    print(as_json(outcome) if args.json else as_text(outcome))
    return EXIT_PASSED if outcome.passed else EXIT_MANDATORY_VIOLATION


if __name__ == "__main__":
    sys.exit(main())

"""Check a Pulumi program against a CrossGuard policy pack offline: no Pulumi CLI, no cloud credentials.

    cloudtrail-check <program dir> [--stack dev] [--config key=value ...] [--preview]
                               [--policy-pack DIR] [--policy-pack-config FILE] [--format text|json|sarif|junit]
                               [--output FORMAT=PATH ...] [--compact] [--soft-fail] [--fail-on LEVEL]
                               [--no-progress] [--timeout SECONDS] [--mocks FILE] [--stack-reference NAME=FILE ...]
                               [--allow-unexpanded-components]
    cloudtrail-check --state FILE [--policy-pack DIR] [--policy-pack-config FILE] [--format ...] [--output ...]
    cloudtrail-check --backend file://PATH | --state PATH [PATH ...] [--policy-pack DIR] [--format text|json]
    cloudtrail-check --list-policies [--policy-pack DIR] [--policy-pack-config FILE] [--format text|json]

The program runs in its own process and environment (the Python or Node.js the Pulumi CLI would pick for it)
against an offline engine; the policy pack judges what it declared, as under `pulumi up --policy-pack`.

Exit codes:
  0    judged: no mandatory violation (with --soft-fail: whatever was found)
  1    judged: at least one mandatory violation (the report lists it); with --fail-on advisory, any violation
  2    no complete verdict: bad input, the program failed, or something that could fail was not seen
       (a trail NOT JUDGED, remote components NOT CHECKED); one line on stderr says why, and with
       --format json (--json) stdout holds a JSON object with "error". No flag turns this into 0 or 1.
  130  stopped by Ctrl-C (SIGINT); 143 by SIGTERM; 129 by SIGHUP. The program and the pack are ended.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from ..policy_pack import PACK_DIR

PROG = "cloudtrail-check"
FORMATS = ("text", "json", "sarif", "junit")
EXIT_PASSED, EXIT_MANDATORY_VIOLATION, EXIT_NO_VERDICT = 0, 1, 2
#: set to 1 to see the traceback behind an internal error
DEBUG_VAR = "CLOUDTRAIL_CHECK_DEBUG"
_LARGE_PROGRAM = 200  # progress.LARGE_PROGRAM, named here so --help needs no import of the check


_STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _stopper(json_errors: bool) -> Callable[[int, Any], NoReturn]:
    """The handler of a signal that stops the check: end everything the check started, say so in one line, exit
    128+N at once. Not an exception unwinding through whatever was running: raised inside gRPC's or threading's
    internals, one left a check waiting forever (1 run in 5 of the review's SIGTERM row)."""

    def stop(signum: int, _frame: Any) -> NoReturn:
        for sig in _STOPPING:  # a second signal must not interrupt the cleanup
            signal.signal(sig, signal.SIG_IGN)
        from .processes import stop_everything

        stop_everything()
        said = "interrupted (SIGINT)" if signum == signal.SIGINT else f"stopped by {signal.Signals(signum).name}"
        message = f"{said}: the program and the policy pack were stopped; no verdict"
        if json_errors:
            payload = {"error": message, "detail": "", "exit_code": 128 + signum}
            os.write(1, (json.dumps(payload, indent=2) + "\n").encode())
        os.write(2, f"{PROG}: error: {message}\n".encode())
        os._exit(128 + signum)

    return stop


def config_pair(text: str) -> tuple[str, Any]:
    """``key=value``; the value as JSON when it is JSON (lists, booleans, numbers), else the plain string,
    so ``retentionInDays=365`` reaches the program as the integer ``pulumi config set`` would store."""
    from .project import ConfigError, validate_config_key

    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    try:
        validate_config_key(key.strip())
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    try:
        return key.strip(), json.loads(value)
    except (ValueError, RecursionError):  # not JSON (or JSON no config could hold): the plain string
        return key.strip(), value


def stack_name(text: str) -> str:
    """A stack name the CLI would take; it names ``Pulumi.<stack>.yaml`` and is part of every URN."""
    from .project import ConfigError, validate_stack_name

    try:
        validate_stack_name(text)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text


def secret_config_pair(text: str) -> tuple[str, Any]:
    """``KEY=ENV_VAR``: the value of config KEY is read from the environment variable ENV_VAR, so a secret never
    stands on a command line (visible to every local user in ``ps``)."""
    key, sep, variable = text.partition("=")
    if not sep or not key.strip() or not variable:
        raise argparse.ArgumentTypeError(f"expected KEY=ENV_VAR, got {text!r}")
    if variable not in os.environ:
        raise argparse.ArgumentTypeError(f"environment variable {variable} (for config key {key.strip()}) is not set")
    checked_key, _ = config_pair(f"{key}=")
    return checked_key, os.environ[variable]


def stack_reference_pair(text: str) -> tuple[str, Path]:
    name, sep, path = text.partition("=")
    if not sep or not name.strip() or not path:
        raise argparse.ArgumentTypeError(f"expected STACK=FILE, got {text!r}")
    return name.strip(), Path(path)


def output_pair(text: str) -> tuple[str, Path]:
    """``FORMAT=PATH``: a report in FORMAT written to PATH, besides the one on stdout."""
    name, sep, path = text.partition("=")
    if not sep or name not in FORMATS or not path:
        raise argparse.ArgumentTypeError(f"expected FORMAT=PATH with FORMAT one of {', '.join(FORMATS)}, got {text!r}")
    return name, Path(path)


def _wants_json(argv: Sequence[str]) -> bool:
    """Whether errors go to stdout as a JSON object too: --json, or --format json, however spelt."""
    argv = [str(a) for a in argv]
    pairs = itertools.pairwise(argv)  # each argument with the one after it
    return "--json" in argv or "--format=json" in argv or any(a == "--format" and b == "json" for a, b in pairs)


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from exc
    if math.isnan(value) or value <= 0:
        # NaN compares false with everything, so it would switch the watchdog off without saying so.
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds (or inf for none), got {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and the JSON error object under --json), exit 2."""

    json_errors = False

    def error(self, message: str) -> NoReturn:
        _say_error(f"{message} (see {PROG} --help)", "", self.json_errors)
        sys.exit(EXIT_NO_VERDICT)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _Parser(
        prog=PROG, description=__doc__.split("\n\n")[0], epilog=__doc__[__doc__.index("Exit codes:") :],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.json_errors = _wants_json(sys.argv[1:] if argv is None else argv)
    parser.add_argument("program", type=Path, nargs="?", help="the Pulumi program's directory (Pulumi.yaml)")
    parser.add_argument(
        "--state", type=Path, action="extend", nargs="+", metavar="PATH",
        help="judge deployed stacks instead of running a program: `pulumi stack export` files, checkpoints, folders "
        "of them, or a self-managed backend's folder; several stacks are judged in one run with one pack",
    )  # fmt: skip
    parser.add_argument(
        "--backend", action="append", default=[], metavar="file://PATH",
        help="judge every stack of a self-managed backend (`pulumi login file://PATH`; both layouts, checkpoints "
        "plain or gzip); repeatable; a bucket must be synced to a folder first",
    )  # fmt: skip
    parser.add_argument(
        "--stack", type=stack_name, default="dev", help="stack name; reads Pulumi.<stack>.yaml (default: dev)"
    )
    parser.add_argument(
        "--config", type=config_pair, action="append", default=[], metavar="KEY=VALUE",
        help="stack config over Pulumi.<stack>.yaml; repeatable; values are JSON when they parse as JSON",
    )  # fmt: skip
    parser.add_argument(
        "--secret-config", type=secret_config_pair, action="append", default=[], metavar="KEY=ENV_VAR",
        help="a secret config value (a `secure:` value cannot be decrypted offline), read from the environment "
        "variable ENV_VAR; the program gets it as a secret and reports show [secret]; repeatable",
    )  # fmt: skip
    parser.add_argument(
        "--preview", action="store_true", help="as a first `pulumi preview`: computed values are unknown"
    )
    parser.add_argument(
        "--policy-pack", type=Path, default=PACK_DIR, metavar="DIR",
        help=f"policy pack directory (default: {PACK_DIR})",
    )  # fmt: skip
    parser.add_argument(
        "--policy-pack-config", type=Path, metavar="FILE",
        help="JSON policy config, as for `pulumi up --policy-pack-config`",
    )  # fmt: skip
    parser.add_argument(
        "--format", choices=FORMATS, default=None,
        help="the report on stdout: text (default), json (one object), sarif (SARIF 2.1.0, for code scanning) or "
        "junit (JUnit XML, for test reports)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="the same as --format json")
    parser.add_argument(
        "--output", type=output_pair, action="append", default=[], metavar="FORMAT=PATH",
        help="also write the report in FORMAT to PATH (same formats); repeatable, e.g. --output sarif=check.sarif",
    )  # fmt: skip
    parser.add_argument(
        "--compact", action="store_true",
        help="text: one line per violation and a line per policy instead of the full report",
    )  # fmt: skip
    parser.add_argument(
        "--soft-fail", action="store_true",
        help="exit 0 even with violations (exit 2, no verdict, stays 2)",
    )  # fmt: skip
    parser.add_argument(
        "--fail-on", choices=("mandatory", "advisory"), default="mandatory",
        help="what makes exit 1: a mandatory violation (default) or any violation, advisory too",
    )  # fmt: skip
    parser.add_argument(
        "--list-policies", action="store_true",
        help="list the pack's policies (name, level after --policy-pack-config, severity, controls) and exit",
    )  # fmt: skip
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument(
        "--no-progress", action="store_true",
        help=f"no progress line on stderr (shown for programs of {_LARGE_PROGRAM} resources or more)",
    )  # fmt: skip
    parser.add_argument(
        "--timeout", type=positive_seconds, default=300.0, metavar="SECONDS",
        help="end a program that has not called the engine for this long, with exit 2 (default: 300; a program "
        "that keeps registering resources is not cut short; inf for no limit)",
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
        help="accept that the resources inside remote components (awsx, eks...) are not checked offline: without "
        "it, a program that has them and no violation elsewhere is exit 2 (they are listed as NOT CHECKED either way)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.json and args.format not in (None, "json"):
        parser.error(f"--json and --format {args.format}: give one of them")
    args.format = "json" if args.json else (args.format or "text")
    if args.list_policies:
        if args.program is not None or args.state or args.backend or args.format not in ("text", "json"):
            parser.error("--list-policies takes only --policy-pack, --policy-pack-config and --format text|json")
        return args
    deployed = bool(args.state or args.backend)
    if (args.program is None) != deployed:
        parser.error("give a program directory or --state/--backend (one of them)")
    # One export is judged as before (every report format); several, a folder or a backend: one run of many stacks.
    args.many = bool(args.backend) or len(args.state or []) > 1 or any(p.is_dir() for p in args.state or [])
    if args.many:
        if args.format not in ("text", "json") or args.output or args.compact:
            parser.error("several stacks (--backend, a folder or several --state): --format text or json only, no "
                         "--output or --compact yet")  # fmt: skip
    elif args.state:
        args.state = args.state[0]
    program_only = {"--config": args.config, "--secret-config": args.secret_config, "--preview": args.preview,
                    "--mocks": args.mocks,
                    "--stack-reference": args.stack_reference,
                    "--allow-unexpanded-components": args.allow_unexpanded_components}  # fmt: skip
    if deployed and any(program_only.values()):
        parser.error(f"{', '.join(k for k, v in program_only.items() if v)}: only for a program, not with --state")
    return args


def _say_error(message: str, detail: str, as_json_object: bool) -> None:
    if as_json_object:
        # stdout stays one JSON object even without a verdict, for the scripts that read it
        print(json.dumps({"error": message, "detail": detail, "exit_code": EXIT_NO_VERDICT}, indent=2))
    if detail:
        print(detail, file=sys.stderr)
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _version() -> str:
    from .. import __version__

    return __version__


def _list_policies(args: argparse.Namespace) -> int:
    from .errors import CheckError
    from .inputs import InputError
    from .policy_list import list_policies, policies_as_json, policies_as_text

    try:
        pack_name, policies = list_policies(args.policy_pack, args.policy_pack_config)
    except (CheckError, InputError) as exc:
        _say_error(str(exc), getattr(exc, "detail", ""), args.format == "json")
        return EXIT_NO_VERDICT
    print(policies_as_json(pack_name, policies) if args.format == "json" else policies_as_text(pack_name, policies))
    return EXIT_PASSED


def _write_outputs(findings: Any, outputs: Sequence[tuple[str, Path]], render: Any) -> str | None:
    """Write each --output file; the first failure as one line (None when all were written)."""
    for format_name, path in outputs:
        try:
            path.write_text(render(findings, format_name) + "\n", encoding="utf-8")
        except OSError as exc:
            return f"--output {format_name}={path}: cannot write it: {exc.strerror or exc}"
    return None


def _exit_code(findings: Any, args: argparse.Namespace) -> int:
    from .cli import FAILED, INCOMPLETE

    verdict = findings.outcome.verdict
    if verdict == INCOMPLETE:
        return EXIT_NO_VERDICT
    failing = verdict == FAILED or (args.fail_on == "advisory" and bool(findings.violations))
    return EXIT_MANDATORY_VIOLATION if failing and not args.soft_fail else EXIT_PASSED


def _check_many(args: argparse.Namespace) -> int:
    """Every stack behind --backend and --state, one pack for all (see many.py); exit 1 if any stack fails, else
    2 if any could not be judged (named on stderr), else 0."""
    from .errors import CheckError
    from .inputs import InputError
    from .many import ManyRequest, run_many
    from .many_report import as_text, write_json
    from .progress import StacksProgress

    request = ManyRequest([*args.backend, *(args.state or [])], args.policy_pack, args.policy_pack_config)
    try:
        outcome = run_many(request, progress=None if args.no_progress else StacksProgress(sys.stderr))
    except (CheckError, InputError) as exc:
        _say_error(str(exc), getattr(exc, "detail", ""), args.format == "json")
        return EXIT_NO_VERDICT
    if args.format == "json":
        write_json(outcome, sys.stdout)  # stack by stack: a whole backend's report is not built in memory first
        print()
    else:
        print(as_text(outcome))
    sys.stdout.flush()
    if outcome.not_judged:
        named = ", ".join(f"{r.name} ({r.source})" for r in outcome.not_judged[:3])
        more = f" and {len(outcome.not_judged) - 3} more" if len(outcome.not_judged) > 3 else ""
        print(f"{PROG}: error: no verdict for {len(outcome.not_judged)} stack(s): {named}{more}", file=sys.stderr)
    code = outcome.exit_code
    if code == EXIT_PASSED and args.fail_on == "advisory" and outcome.total().advisory:
        code = EXIT_MANDATORY_VIOLATION
    return EXIT_PASSED if code == EXIT_MANDATORY_VIOLATION and args.soft_fail else code


def _check(args: argparse.Namespace) -> int:
    if args.list_policies:
        return _list_policies(args)
    if args.many:
        return _check_many(args)
    # Imported here, so that even a broken install (a dependency missing) ends as exit 2 with one line.
    from .cli import INCOMPLETE, CheckError, CheckRequest, run_check
    from .findings import build_findings
    from .inputs import InputError
    from .processes import become_subreaper
    from .progress import ProgressLine
    from .reports import render

    # Whatever the program leaves behind and loses its parent comes to this process, not to init.
    become_subreaper()
    try:
        outcome = run_check(
            CheckRequest(
                program_dir=args.program or args.state,
                state_file=args.state,
                stack=args.stack,
                config=dict(args.config),
                secret_config=dict(args.secret_config),
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
    except (CheckError, InputError) as exc:  # an input file's error is already one line naming the file
        _say_error(str(exc), getattr(exc, "detail", ""), args.format == "json")
        return EXIT_NO_VERDICT
    findings = build_findings(outcome)
    # The files first: a CI step that asked for SARIF must not get a verdict without it.
    unwritten = _write_outputs(findings, args.output, render)
    if unwritten is not None:
        _say_error(unwritten, "", args.format == "json")
        return EXIT_NO_VERDICT
    print(render(findings, args.format, compact=args.compact))
    sys.stdout.flush()
    if outcome.verdict == INCOMPLETE:
        print(f"{PROG}: error: no verdict: {outcome.incomplete_reason}", file=sys.stderr)
    return _exit_code(findings, args)


def main(argv: Sequence[str] | None = None) -> int:
    json_errors = _wants_json(sys.argv[1:] if argv is None else argv)
    stop = _stopper(json_errors)
    # A signal the check was started with ignored (nohup, a CI runner's background job) stays ignored.
    previous = {sig: signal.signal(sig, stop) for sig in _STOPPING if signal.getsignal(sig) is not signal.SIG_IGN}
    try:
        return _check(parse_args(argv))
    except BrokenPipeError:
        # Whoever read the report went away; say nothing more on a closed stdout.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep interpreter shutdown from writing to it
        print(f"{PROG}: error: the report could not be written (stdout was closed)", file=sys.stderr)
        return EXIT_NO_VERDICT
    except ImportError as exc:
        _say_error(f"this install is incomplete ({exc}); reinstall compliant-cloudtrail", "", json_errors)
        return EXIT_NO_VERDICT
    except Exception as exc:  # a crash must never read as a verdict (exit 1) nor show our traceback
        detail = traceback.format_exc() if os.environ.get(DEBUG_VAR) == "1" else ""
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        _say_error(f"internal error: {type(exc).__name__}: {first} (set {DEBUG_VAR}=1 for the traceback)", detail,
                   json_errors)  # fmt: skip
        return EXIT_NO_VERDICT
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())

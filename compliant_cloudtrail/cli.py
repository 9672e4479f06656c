"""compliant-cloudtrail: small commands for people who installed the package.

    compliant-cloudtrail pack-path        the policy pack's folder inside the installed package
    compliant-cloudtrail pack-copy DIR    copy the pack to DIR, a folder you own, for `pulumi preview --policy-pack DIR`
    compliant-cloudtrail version          the package's version (the pack and the check report the same)
    compliant-cloudtrail check ...        the offline check (the same as `cloudtrail-check ...`)
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .policy_pack import PACK_DIR

#: not part of the pack: a virtualenv the CLI built, caches
_NOT_COPIED = shutil.ignore_patterns("venv", ".venv", "__pycache__", "*.pyc")


def pack_copy(target: Path) -> Path:
    """Copy the pack into ``target`` (created; it must not exist or be empty). The Pulumi CLI builds the pack's
    ``venv/`` (PulumiPolicy.yaml ``virtualenv: venv``) inside the folder it is given; inside site-packages that
    fails where site-packages is read-only and outlives ``pip uninstall``."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ValueError(f"{target} exists and is not an empty folder; give a new folder")
    shutil.copytree(PACK_DIR, target, ignore=_NOT_COPIED, dirs_exist_ok=True)
    return target.resolve()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="compliant-cloudtrail", description=__doc__.splitlines()[0],
        epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("pack-path", help="print the policy pack's folder inside the installed package")
    copy = commands.add_parser(
        "pack-copy", help="copy the policy pack to a new folder and print its path",
        description="Copy the policy pack to DIR (new or empty) and print DIR's absolute path. Give DIR to "
        "`pulumi preview --policy-pack DIR`: the Pulumi CLI builds the pack's venv/ there, not in site-packages.",
    )  # fmt: skip
    copy.add_argument("dir", type=Path, metavar="DIR")
    commands.add_parser("version", help="print the package's version")
    commands.add_parser("check", help="the offline check: `compliant-cloudtrail check --help` (= cloudtrail-check)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["check"]:
        from .check.__main__ import main as check_main

        return check_main(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "pack-copy":
        try:
            print(pack_copy(args.dir))
        except (ValueError, OSError) as exc:
            print(f"compliant-cloudtrail: error: pack-copy: {exc}", file=sys.stderr)
            return 2
        return 0
    print(PACK_DIR if args.command == "pack-path" else __version__)
    return 0


if __name__ == "__main__":
    sys.exit(main())

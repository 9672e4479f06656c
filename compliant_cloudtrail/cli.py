"""``compliant-cloudtrail``: small commands for people who installed the package.

    compliant-cloudtrail pack-path      the policy pack's folder, for `pulumi preview --policy-pack`
    compliant-cloudtrail version        the package's version (the pack and the check report the same)
    compliant-cloudtrail check ...      the offline check (the same as `cloudtrail-check ...`)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .policy_pack import PACK_DIR


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["check"]:
        from .check.__main__ import main as check_main

        return check_main(argv[1:])
    parser = argparse.ArgumentParser(prog="compliant-cloudtrail", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("pack-path", "version", "check"))
    args = parser.parse_args(argv)
    print(PACK_DIR if args.command == "pack-path" else __version__)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Print, per variant, every modelled AWS request and who allows or denies it; exit 1 on a wrong verdict.

    scripts/authorization-table.sh [VARIANT ...]

One line per request: ``ok`` or ``WRONG``, the request, the verdict and the deciding policy:Sid. After each
variant, the statements and condition keys that no request needs (see ``mutation``). Exit 1 when a verdict
is not what AWS must do or when anything is unneeded; exit 2 for an unknown variant name.
"""

from __future__ import annotations

import sys

from .declared import VARIANT_NAMES, deployed
from .mutation import unneeded
from .organization_calls import CLOUDTRAIL_MINIMUM, CONFIGURATIONS, deploy, organization
from .requests import build_requests, judge


def main(argv: list[str]) -> int:
    names = argv or VARIANT_NAMES
    unknown = [n for n in names if n not in VARIANT_NAMES]
    if unknown:
        print(f"unknown variant {unknown[0]!r}; variants: {', '.join(VARIANT_NAMES)}", file=sys.stderr)
        return 2
    failures = 0
    for name in names:
        declared = deployed(name)
        requests = build_requests(declared)
        print(f"== {name} ({len(requests)} requests)")
        for request in requests:
            decision = judge(request, declared.policies())
            right = decision.allowed == request.expect_allowed
            failures += not right
            print(f"{'ok   ' if right else 'WRONG'} {request.name:<58} {decision}")
        for label in unneeded(requests, declared.policies()):
            failures += 1
            print(f"UNNEEDED {label}")
    if not argv:
        failures += organization_calls()
    print(f"{failures} failed expectation(s)" if failures else "all expectations met")
    return 1 if failures else 0


def organization_calls() -> int:
    """Each organization-trail configuration deployed by a role holding exactly CloudTrail's documented minimum
    ("Prepare for creating a trail for your organization"): the Organizations calls made and AWS's answer. A
    call refused outside the minimum is fine (a best-effort check, warned about); a failed deployment is not."""
    print("== organization calls with CloudTrail's minimum permissions")
    failures = 0
    for name, configuration in CONFIGURATIONS.items():
        account = organization(configuration, CLOUDTRAIL_MINIMUM)
        try:
            deploy(configuration, account)
            verdict = "ok   "
        except Exception as error:  # the preview stopped: that is the failure this table exists to show
            verdict, failures = f"WRONG ({str(error).splitlines()[0][:80]})", failures + 1
        calls = ", ".join(f"{action.split(':')[1]} {'ALLOWED' if allowed else 'DENIED'}"
                          for action, allowed in account.calls) or "none"
        print(f"{verdict} {name:<62} {calls}")
    return failures


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

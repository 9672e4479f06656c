"""compliant-cloudtrail: a CloudTrail trail that delivers to CloudWatch Logs and raises the CIS alarms.

    from compliant_cloudtrail import CompliantTrail

Subpackages, one job each: ``component`` (the Pulumi component), ``policy_pack`` (the CrossGuard pack,
self-contained, with the filter-pattern engine it judges alarms with), ``check`` (the offline check).
The component is imported on first use, so the check and the pack do not pay for loading pulumi-aws.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("compliant-cloudtrail")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

if TYPE_CHECKING:
    from .component import (
        CompliantTrail,
        CompliantTrailArgs,
        CustomFilterArgs,
        InvalidArgumentError,
        ObjectLockArgs,
        ObjectLockMode,
        SubscriptionArgs,
    )

__all__ = [
    "CompliantTrail",
    "CompliantTrailArgs",
    "CustomFilterArgs",
    "InvalidArgumentError",
    "ObjectLockArgs",
    "ObjectLockMode",
    "SubscriptionArgs",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module(".component", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The Pulumi component CompliantTrail and its typed arguments (also exported by ``compliant_cloudtrail``)."""

from .args import CompliantTrailArgs, CustomFilterArgs, ObjectLockArgs, ObjectLockMode, SubscriptionArgs
from .catalog import Catalog, CatalogFilter, CatalogItem, load_catalog
from .errors import InvalidArgumentError
from .trail import CompliantTrail

__all__ = [
    "Catalog",
    "CatalogFilter",
    "CatalogItem",
    "CompliantTrail",
    "CompliantTrailArgs",
    "CustomFilterArgs",
    "InvalidArgumentError",
    "ObjectLockArgs",
    "ObjectLockMode",
    "SubscriptionArgs",
    "load_catalog",
]

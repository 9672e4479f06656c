"""What an organization trail needs to know about its AWS Organization, checked at preview.

CloudTrail creates an organization trail only when the organization has all features enabled and trusted
access for ``cloudtrail.amazonaws.com`` ("Creating a trail for an organization", prerequisites), and the trail
then belongs to the management account, also when a delegated administrator creates it ("Organization
delegated administrator"). ``organizations.getOrganization`` tells all three, so a missing prerequisite stops
``pulumi preview`` instead of failing CreateTrail at ``pulumi up``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from .errors import InvalidArgumentError
from .settings import TrailSettings

CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"


@dataclass(frozen=True)
class Organization:
    id: str
    management_account_id: str


def lookup_organization(component: str, parent: pulumi.Resource, settings: TrailSettings) -> Organization | None:
    """None for an account trail. Both ids given: no lookup at all (a caller without Organizations read access).

    The lookup waits for its answer (a synchronous invoke) so that a missing prerequisite is raised from the
    component's constructor, like every other argument error, rather than from inside a resource's inputs.
    """
    if not settings.is_organization_trail:
        return None
    if settings.organization_id is not None and settings.organization_management_account_id is not None:
        return Organization(settings.organization_id, settings.organization_management_account_id)
    found = aws.organizations.get_organization(opts=pulumi.InvokeOptions(parent=parent))
    _check_prerequisites(component, found.feature_set, found.aws_service_access_principals, found.id)
    return Organization(
        id=settings.organization_id or found.id,
        management_account_id=settings.organization_management_account_id or found.master_account_id,
    )


def _check_prerequisites(component: str, feature_set: Any, principals: Any, organization_id: str) -> None:
    if feature_set is not None and feature_set != "ALL":
        raise InvalidArgumentError(
            component, "is_organization_trail", True,
            f"organization {organization_id} has feature set {feature_set!r}; organization trails need all "
            "features enabled (AWS Organizations: enable all features)",
        )
    if principals is not None and CLOUDTRAIL_PRINCIPAL not in principals:
        raise InvalidArgumentError(
            component, "is_organization_trail", True,
            f"organization {organization_id} has no trusted access for {CLOUDTRAIL_PRINCIPAL}; enable it "
            "(aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com) first",
        )

"""What an organization trail needs to know about its AWS Organization, and the prerequisites checked at preview.

The trail belongs to the management account, also when a CloudTrail delegated administrator creates it
("Organization delegated administrator"), so its ARN, the bucket prefix and the log streams need that
account's ID, and the organization's ID.

Permissions: the deployer needs no more of AWS Organizations than CloudTrail's documented minimum for creating
an organization trail ("Prepare for creating a trail for your organization": DescribeOrganization,
ListAccounts, ListAWSServiceAccessForOrganization, EnableAWSServiceAccess, DisableAWSServiceAccess). The IDs
come from ``getOrganization(return_organization_only=True)``, which makes DescribeOrganization alone
(terraform-provider-aws ``internal/service/organizations/organization_data_source.go``). The other checks
need more (the full ``getOrganization`` also calls ListRoots; ``getDelegatedAdministrators`` calls
ListDelegatedAdministrators), so they are best effort: when AWS refuses them the preview goes on with a
warning saying what was not checked, and CreateTrail remains the judge.
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
    """None for an account trail.

    Every look-up waits for its answer (a synchronous invoke), so that a missing prerequisite is raised from
    the component's constructor, like every other argument error, rather than from inside a resource's inputs.
    """
    if not settings.is_organization_trail:
        return None
    opts = pulumi.InvokeOptions(parent=parent)
    caller = aws.get_caller_identity(opts=opts).account_id  # sts:GetCallerIdentity needs no permission
    organization, feature_set = _identify(component, parent, opts, settings, caller)
    _check_feature_set(component, organization, feature_set)
    _check_trusted_access(component, parent, opts, organization)
    _check_caller_may_create_it(component, parent, opts, organization, caller)
    return organization


def _identify(component: str, parent: pulumi.Resource, opts: pulumi.InvokeOptions, settings: TrailSettings,
              caller: str) -> tuple[Organization, Any]:
    given_id, given_management = settings.organization_id, settings.organization_management_account_id
    if given_id is not None and given_management is not None:
        return Organization(given_id, given_management), None
    try:
        described = aws.organizations.get_organization(return_organization_only=True, opts=opts)
        found = Organization(described.id, described.master_account_id)
        feature_set = described.feature_set
    except Exception as error:  # AccessDenied, or an answer unknown at preview (an unknown provider configuration)
        if given_id is None:
            raise InvalidArgumentError(
                component, "is_organization_trail", True,
                f"the organization could not be read ({_first_line(error)}); allow organizations:DescribeOrganization "
                "(in CloudTrail's minimum permissions for organization trails), or pass organization_id and "
                "organization_management_account_id",
            ) from error
        # 0.1 needed no look-up when organization_id was given, and took this account for the trail's owner:
        # keep that working, and say how to be exact.
        pulumi.log.warn(
            f"CompliantTrail {component!r}: could not read the organization ({_first_line(error)}); taking this "
            f"account ({caller}) for its management account. A CloudTrail delegated administrator must pass "
            "organization_management_account_id.", resource=parent)
        return Organization(given_id, caller), None
    return Organization(given_id or found.id, given_management or found.management_account_id), feature_set


def _check_feature_set(component: str, organization: Organization, feature_set: Any) -> None:
    if feature_set is not None and feature_set != "ALL":
        raise InvalidArgumentError(
            component, "is_organization_trail", True,
            f"organization {organization.id} has feature set {feature_set!r}; organization trails need all "
            "features enabled (AWS Organizations: enable all features)",
        )


def _check_trusted_access(component: str, parent: pulumi.Resource, opts: pulumi.InvokeOptions,
                          organization: Organization) -> None:
    """"Creating a trail for an organization": trusted access for CloudTrail must be on. Only the full
    getOrganization reports it, and it needs organizations:ListRoots, outside CloudTrail's minimum."""
    try:
        full = aws.organizations.get_organization(opts=opts)
        principals, feature_set = full.aws_service_access_principals, full.feature_set
    except Exception as error:
        principals, feature_set, reason = None, None, _first_line(error)
    else:
        # Outside the management account, the provider leaves the principals unset when ListAccounts is refused.
        reason = "organizations:ListAccounts was refused"
    _check_feature_set(component, organization, feature_set)
    if principals is None:
        pulumi.log.warn(
            f"CompliantTrail {component!r}: trusted access for {CLOUDTRAIL_PRINCIPAL} in organization "
            f"{organization.id} was not checked ({reason}); allow organizations:ListAccounts, ListRoots and "
            "ListAWSServiceAccessForOrganization to have it checked at preview, or CreateTrail will say so.",
            resource=parent)
        return
    if CLOUDTRAIL_PRINCIPAL not in principals:
        raise InvalidArgumentError(
            component, "is_organization_trail", True,
            f"organization {organization.id} has no trusted access for {CLOUDTRAIL_PRINCIPAL}; enable it "
            "(aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com) first",
        )


def _check_caller_may_create_it(component: str, parent: pulumi.Resource, opts: pulumi.InvokeOptions,
                                organization: Organization, caller: str) -> None:
    """Only the management account or a registered CloudTrail delegated administrator may create an
    organization trail; others fail CreateTrail with NotOrganizationMasterAccountException."""
    if caller == organization.management_account_id:
        return
    try:
        administrators = aws.organizations.get_delegated_administrators(
            service_principal=CLOUDTRAIL_PRINCIPAL, opts=opts).delegated_administrators
    except Exception as error:
        pulumi.log.warn(
            f"CompliantTrail {component!r}: account {caller} is not the management account "
            f"{organization.management_account_id}, and whether it is a CloudTrail delegated administrator was "
            f"not checked ({_first_line(error)}); allow organizations:ListDelegatedAdministrators to have it "
            "checked at preview.", resource=parent)
        return
    if caller not in {administrator.id for administrator in administrators or ()}:
        raise InvalidArgumentError(
            component, "is_organization_trail", True,
            f"account {caller} is neither the management account {organization.management_account_id} of "
            f"organization {organization.id} nor a CloudTrail delegated administrator; allowed: deploy from one "
            "of those (aws cloudtrail register-organization-delegated-admin --member-account-id <account>)",
        )


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]

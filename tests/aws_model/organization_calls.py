"""Which AWS Organizations API calls each pulumi-aws invoke makes, and a mock that answers them as an IAM
policy with a given set of allowed actions would.

Sources:
- AWS's documented minimum for creating an organization trail: CloudTrail User Guide, "Prepare for creating
  a trail for your organization" (the example policy).
- ``getOrganization``: terraform-provider-aws ``internal/service/organizations/organization_data_source.go``,
  ``dataSourceOrganizationRead`` (pulumi-aws 7 bridges it): DescribeOrganization; with
  ``return_organization_only`` (``describe_organization_only`` upstream) nothing more; else ListAccounts (an
  AccessDenied there is tolerated outside the management account, and the rest is skipped), then ListRoots
  and, for an organization with all features, ListAWSServiceAccessForOrganization, each error fatal.
- ``getDelegatedAdministrators``: ``delegated_administrators_data_source.go``: ListDelegatedAdministrators.
- ``getCallerIdentity``: STS "GetCallerIdentity": "No permissions are required to perform this operation."
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime import MockCallArgs

from compliant_cloudtrail.check.mock_runtime import AwsMocks, RecordingMonitor, mocked_stack
from compliant_cloudtrail.component import CompliantTrail

GET_ORGANIZATION = "aws:organizations/getOrganization:getOrganization"
GET_DELEGATED_ADMINISTRATORS = "aws:organizations/getDelegatedAdministrators:getDelegatedAdministrators"
GET_CALLER_IDENTITY = "aws:index/getCallerIdentity:getCallerIdentity"

# "Prepare for creating a trail for your organization", minimum required permissions (the example policy).
CLOUDTRAIL_MINIMUM = frozenset({
    "iam:GetRole",
    "iam:CreateServiceLinkedRole",
    "organizations:EnableAWSServiceAccess",
    "organizations:DisableAWSServiceAccess",
    "organizations:ListAccounts",
    "organizations:DescribeOrganization",
    "organizations:ListAWSServiceAccessForOrganization",
})
# What the best-effort checks need on top of it.
BEYOND_MINIMUM = frozenset({"organizations:ListRoots", "organizations:ListDelegatedAdministrators"})
EVERYTHING = CLOUDTRAIL_MINIMUM | BEYOND_MINIMUM

CLOUDTRAIL = "cloudtrail.amazonaws.com"


class AccessDenied(Exception):
    pass


@dataclass
class OrganizationAccount:
    """The organization as AWS holds it, and what the deployer's IAM policy allows."""

    caller: str
    management: str
    allowed: frozenset[str]
    organization_id: str = "o-abcdefghij"
    feature_set: str = "ALL"
    trusted: tuple[str, ...] = (CLOUDTRAIL,)
    delegated_administrators: tuple[str, ...] = ()
    calls: list[tuple[str, bool]] = field(default_factory=list)
    """Every API call made, and whether IAM allowed it."""

    def api(self, action: str) -> None:
        allowed = action in self.allowed
        self.calls.append((action, allowed))
        if not allowed:
            raise AccessDenied(f"AccessDeniedException: not authorized to perform: {action}")

    def get_organization(self, describe_only: bool) -> dict[str, Any]:
        """dataSourceOrganizationRead, call for call."""
        self.api("organizations:DescribeOrganization")
        arn = f"arn:aws:organizations::{self.management}:organization/{self.organization_id}"
        result: dict[str, Any] = {"id": self.organization_id, "masterAccountId": self.management,
                                  "featureSet": self.feature_set, "arn": arn}
        if describe_only:
            return result
        try:
            self.api("organizations:ListAccounts")
        except AccessDenied:
            if self.caller == self.management:
                raise
            return result  # not a delegated administrator, says the provider: accounts, roots, principals unset
        self.api("organizations:ListRoots")
        principals: list[str] | None = None
        if self.feature_set == "ALL":
            self.api("organizations:ListAWSServiceAccessForOrganization")
            principals = list(self.trusted)
        return {**result, "awsServiceAccessPrincipals": principals, "roots": [{"id": "r-ab12"}], "accounts": []}

    def get_delegated_administrators(self) -> dict[str, Any]:
        self.api("organizations:ListDelegatedAdministrators")
        return {"id": "x", "servicePrincipal": CLOUDTRAIL,
                "delegatedAdministrators": [{"id": account} for account in self.delegated_administrators]}

    @property
    def denied(self) -> set[str]:
        return {action for action, allowed in self.calls if not allowed}

    @property
    def made(self) -> set[str]:
        return {action for action, _ in self.calls}


class OrganizationMocks(AwsMocks):
    """AwsMocks whose Organizations invokes go through :class:`OrganizationAccount`; a refused call comes back
    as the invoke's failure, as the engine returns a provider error."""

    def __init__(self, organization: OrganizationAccount, *, region: str = "eu-west-1", partition: str = "aws",
                 preview: bool | None = None) -> None:
        super().__init__(account_id=organization.caller, region=region, partition=partition,
                         organization_id=organization.organization_id,
                         management_account_id=organization.management, preview=preview)
        self.organization = organization

    def call(self, args: MockCallArgs) -> tuple[dict, list[tuple[str, str]]]:
        try:
            if args.token == GET_ORGANIZATION:
                self.calls.append((args.token, dict(args.args)))
                return self.organization.get_organization(bool(args.args.get("returnOrganizationOnly"))), []
            if args.token == GET_DELEGATED_ADMINISTRATORS:
                self.calls.append((args.token, dict(args.args)))
                assert args.args.get("servicePrincipal") == CLOUDTRAIL, args.args
                return self.organization.get_delegated_administrators(), []
        except AccessDenied as denied:
            return {}, [("", str(denied))]
        return super().call(args)


# --- The configurations an organization trail is deployed in -----------------------------------------------------
MANAGEMENT = "444455556666"
DELEGATED = "111122223333"
ORG_ID = "o-abcdefghij"
TRAIL = "aws:cloudtrail/trail:Trail"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"


@dataclass(frozen=True)
class Configuration:
    caller: str
    args: dict[str, Any]


CONFIGURATIONS = {
    "management account, IDs looked up": Configuration(MANAGEMENT, {}),
    "management account, organization_id given (as 0.1 stacks do)": Configuration(MANAGEMENT,
                                                                                  {"organization_id": ORG_ID}),
    "management account, both IDs given": Configuration(
        MANAGEMENT, {"organization_id": ORG_ID, "organization_management_account_id": MANAGEMENT}),
    "delegated administrator, IDs looked up": Configuration(DELEGATED, {}),
    "delegated administrator, both IDs given": Configuration(
        DELEGATED, {"organization_id": ORG_ID, "organization_management_account_id": MANAGEMENT}),
}


def organization(configuration: Configuration, allowed: frozenset[str], **facts: Any) -> OrganizationAccount:
    return OrganizationAccount(caller=configuration.caller, management=MANAGEMENT, allowed=allowed,
                               organization_id=ORG_ID, delegated_administrators=(DELEGATED,), **facts)


def deploy(configuration: Configuration, account: OrganizationAccount, preview: bool = True) -> RecordingMonitor:
    with mocked_stack(preview, mocks=OrganizationMocks(account, preview=preview)) as monitor:
        CompliantTrail("audit", {"is_organization_trail": True, **configuration.args})  # type: ignore[typeddict-item]
    return monitor



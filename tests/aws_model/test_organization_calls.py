"""The Organizations calls each organization-trail configuration makes, against AWS's documented minimum.

CloudTrail's minimum permissions for creating an organization trail ("Prepare for creating a trail for your
organization") do not include organizations:ListRoots or ListDelegatedAdministrators. A deployer holding
exactly that minimum must get through ``pulumi preview`` and ``up`` in the management account and as a
delegated administrator (review 2026-12-05, N-B1); what the component checks beyond it is best effort and says
so in a warning (N-m10). The calls are modelled from the provider's source in ``organization_calls.py``.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from compliant_cloudtrail.component import InvalidArgumentError

from .organization_calls import (
    BEYOND_MINIMUM,
    BUCKET_POLICY,
    CLOUDTRAIL,
    CLOUDTRAIL_MINIMUM,
    CONFIGURATIONS,
    DELEGATED,
    EVERYTHING,
    MANAGEMENT,
    ORG_ID,
    TRAIL,
    Configuration,
    OrganizationAccount,
    deploy,
    organization,
)


@pytest.mark.parametrize("name", list(CONFIGURATIONS))
@pytest.mark.parametrize("preview", [True, False], ids=["preview", "up"])
def test_awss_minimum_permissions_are_enough_for_every_configuration(
        name: str, preview: bool, caplog: pytest.LogCaptureFixture) -> None:
    configuration = CONFIGURATIONS[name]
    account = organization(configuration, CLOUDTRAIL_MINIMUM)
    with caplog.at_level(logging.WARNING):
        monitor = deploy(configuration, account, preview)
    trail = monitor.by_type(TRAIL)
    assert len(trail) == 1 and trail[0].inputs["isOrganizationTrail"] is True, name
    # What the component asked beyond the minimum was refused, and the preview went on, saying what it skipped.
    assert account.denied <= BEYOND_MINIMUM, f"{name}: {account.calls}"
    assert account.made <= EVERYTHING, f"{name}: a call the model does not know: {account.calls}"
    if account.denied:
        assert any("not checked" in message for message in caplog.messages), caplog.messages


@pytest.mark.parametrize("name", list(CONFIGURATIONS))
def test_what_each_configuration_cannot_do_without_is_within_awss_minimum(name: str) -> None:
    """Deny each call the configuration makes, one at a time: those whose denial stops the preview are what the
    component needs, and they must be in CloudTrail's documented minimum."""
    configuration = CONFIGURATIONS[name]
    full = organization(configuration, EVERYTHING)
    deploy(configuration, full)
    needed = set()
    for action in sorted(full.made):
        try:
            deploy(configuration, organization(configuration, EVERYTHING - {action}))
        except InvalidArgumentError:
            needed.add(action)
    assert needed <= CLOUDTRAIL_MINIMUM, f"{name} needs {needed - CLOUDTRAIL_MINIMUM} beyond AWS's minimum"
    looked_up = "organization_management_account_id" not in configuration.args
    assert needed == ({"organizations:DescribeOrganization"} if looked_up and "organization_id" not in
                      configuration.args else set()), name


@pytest.mark.parametrize("name", list(CONFIGURATIONS))
def test_with_every_permission_nothing_is_left_unchecked(name: str, caplog: pytest.LogCaptureFixture) -> None:
    configuration = CONFIGURATIONS[name]
    account = organization(configuration, EVERYTHING)
    with caplog.at_level(logging.WARNING):
        deploy(configuration, account)
    assert not [m for m in caplog.messages if "not checked" in m], caplog.messages
    assert "organizations:ListAWSServiceAccessForOrganization" in account.made, account.calls
    assert ("organizations:ListDelegatedAdministrators" in account.made) is (configuration.caller != MANAGEMENT)


@pytest.mark.parametrize(("facts", "caller", "message"), [
    ({"trusted": ("config.amazonaws.com",)}, MANAGEMENT, "no trusted access for cloudtrail.amazonaws.com"),
    ({"feature_set": "CONSOLIDATED_BILLING"}, MANAGEMENT, "all features"),
    ({"feature_set": "CONSOLIDATED_BILLING"}, DELEGATED, "all features"),
    ({"delegated_administrators": ()}, DELEGATED, "neither the management account"),
], ids=["no trusted access", "consolidated billing", "consolidated billing (delegated)", "not registered"])
def test_prerequisites_are_refused_at_preview_when_they_can_be_read(facts: dict[str, Any], caller: str,
                                                                    message: str) -> None:
    """"Creating a trail for an organization": all features, trusted access for CloudTrail, and a caller that is
    the management account or a registered delegated administrator (else NotOrganizationMasterAccountException)."""
    configuration = Configuration(caller, {})
    account = OrganizationAccount(caller=caller, management=MANAGEMENT, allowed=EVERYTHING, organization_id=ORG_ID,
                                  **{"delegated_administrators": (DELEGATED,), **facts})
    with pytest.raises(InvalidArgumentError, match=message) as raised:
        deploy(configuration, account)
    assert raised.value.argument == "is_organization_trail"
    deploy(configuration, organization(configuration, EVERYTHING))  # the same caller with the prerequisites met


def test_without_describe_organization_the_ids_are_asked_for_by_name() -> None:
    configuration = CONFIGURATIONS["management account, IDs looked up"]
    with pytest.raises(InvalidArgumentError) as raised:
        deploy(configuration, organization(configuration, CLOUDTRAIL_MINIMUM - {"organizations:DescribeOrganization"}))
    message = str(raised.value)
    assert "organizations:DescribeOrganization" in message and "organization_management_account_id" in message


def test_a_01_stack_with_organization_id_and_no_organizations_access_keeps_working(
        caplog: pytest.LogCaptureFixture) -> None:
    """0.1 made no look-up when organization_id was given, and took the deploying account as the trail's owner."""
    configuration = CONFIGURATIONS["management account, organization_id given (as 0.1 stacks do)"]
    account = organization(configuration, frozenset())
    with caplog.at_level(logging.WARNING):
        monitor = deploy(configuration, account, preview=False)
    statements = monitor.by_type(BUCKET_POLICY)[0].inputs["policy"]
    assert f"arn:aws:cloudtrail:eu-west-1:{MANAGEMENT}:trail/audit" in statements
    assert f"AWSLogs/{ORG_ID}/*" in statements
    assert any("organization_management_account_id" in m for m in caplog.messages), caplog.messages


def test_the_model_follows_the_providers_order() -> None:
    """dataSourceOrganizationRead: a refused ListAccounts outside the management account ends the read without
    error (no principals); in the management account it is fatal; ListRoots refused is always fatal."""
    member = OrganizationAccount(caller=DELEGATED, management=MANAGEMENT, allowed=frozenset(
        {"organizations:DescribeOrganization"}))
    assert member.get_organization(describe_only=False).get("awsServiceAccessPrincipals") is None
    management = OrganizationAccount(caller=MANAGEMENT, management=MANAGEMENT, allowed=frozenset(
        {"organizations:DescribeOrganization"}))
    with pytest.raises(Exception, match="ListAccounts"):
        management.get_organization(describe_only=False)
    minimum = OrganizationAccount(caller=MANAGEMENT, management=MANAGEMENT, allowed=CLOUDTRAIL_MINIMUM)
    with pytest.raises(Exception, match="ListRoots"):
        minimum.get_organization(describe_only=False)
    assert minimum.get_organization(describe_only=True)["masterAccountId"] == MANAGEMENT
    assert CLOUDTRAIL in OrganizationAccount(caller=MANAGEMENT, management=MANAGEMENT, allowed=EVERYTHING
                                             ).get_organization(describe_only=False)["awsServiceAccessPrincipals"]

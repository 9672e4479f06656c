"""One test (or more) per finding of the second AWS review (2026-12-05) that code can settle.

Each names the AWS page or provider source the finding rests on; each was red before its fix. N-B1 and N-m10
(organization calls) are in tests/aws_model/test_organization_calls.py, N-B2 (lifecycles) in
test_lifecycle_rules.py.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest

from compliant_cloudtrail.check.mock_runtime import mocked_stack
from compliant_cloudtrail.component import CompliantTrail, InvalidArgumentError, load_catalog

from .conftest import ACCOUNT, ALARM, ALIAS, METRIC_FILTER, ORG_ID, REGION, SUBSCRIPTION, TRAIL, Build, Deployment

BROUGHT = {"existing_log_group_name": "/security/cloudtrail"}
CATALOG_METRICS = {f.metric_name for item in load_catalog().items for f in item.filters}


def trivy_and_prowler_links(deployment: Deployment) -> dict[str, tuple[bool, bool]]:
    """Trivy links an alarm to a filter by "alarm metric name == filter name" (trivy-checks
    lib/cloud/aws_trails.rego); Prowler by the filter's metric transformation (name and namespace)."""
    alarms = [(a.inputs["metricName"], a.inputs["namespace"]) for a in deployment.all(ALARM)]
    links = {}
    for metric_filter in deployment.all(METRIC_FILTER):
        transformation = metric_filter.inputs["metricTransformation"]
        links[metric_filter.inputs["name"]] = (
            any(metric == metric_filter.inputs["name"] for metric, _ in alarms),
            (transformation["name"], transformation["namespace"]) in alarms,
        )
    return links


# N-M1 ---------------------------------------------------------------------------------------------------------
def test_filters_in_a_brought_log_group_take_no_one_elses_name(build: Build) -> None:
    """PutMetricFilter "creates or updates" and the provider creates with it unchecked
    (terraform-provider-aws internal/service/logs/metric_filter.go): a filter named like a CIS script's
    (UnauthorizedAPICalls, RootAccountUsage, ...) in a log group the user brings would overwrite theirs, then
    delete it on destroy."""
    deployment = build({**BROUGHT, "trail_name": "org-audit",
                        "custom_filters": [{"name": "GuardDutyOff", "pattern": '{ $.eventName = "DeleteDetector" }'}]})
    names = [f.inputs["name"] for f in deployment.all(METRIC_FILTER)]
    assert len(names) == 18
    assert not set(names) & (CATALOG_METRICS | {"GuardDutyOff"}), names
    assert all(name.startswith("org-audit-") for name in names), names
    links = trivy_and_prowler_links(deployment)
    assert links == dict.fromkeys(links, (True, True)), links


def test_two_trails_delivering_to_one_brought_log_group_do_not_clash() -> None:
    with mocked_stack(account_id=ACCOUNT, region=REGION, organization_id=ORG_ID) as monitor:
        CompliantTrail("first", {**BROUGHT})  # type: ignore[typeddict-item]
        CompliantTrail("second", {**BROUGHT})  # type: ignore[typeddict-item]
    deployment = Deployment(monitor)
    by_trail: dict[str, set[str]] = {"first": set(), "second": set()}
    metrics: dict[str, set[str]] = {"first": set(), "second": set()}
    for metric_filter in deployment.all(METRIC_FILTER):
        owner = metric_filter.name.split("-")[0]
        by_trail[owner].add(metric_filter.inputs["name"])
        metrics[owner].add(metric_filter.inputs["metricTransformation"]["name"])
    assert len(by_trail["first"]) == len(by_trail["second"]) == 17
    assert not by_trail["first"] & by_trail["second"], "one filter name in one log group: the second overwrites"
    assert not metrics["first"] & metrics["second"], "one metric for both: each alarm counts the other's events"
    links = trivy_and_prowler_links(deployment)
    assert links == dict.fromkeys(links, (True, True)), links


def test_filters_in_the_log_group_the_component_creates_keep_their_02_names(build: Build) -> None:
    """Nobody else writes filters there; 0.2.0 named them like their metrics, so an upgrade replaces none."""
    names = {f.inputs["name"] for f in build().all(METRIC_FILTER)}
    assert names <= CATALOG_METRICS and len(names) == 17


def test_a_custom_filter_keeps_its_name_apart_from_a_brought_groups_filters(build: Build) -> None:
    custom = {"custom_filters": [{"name": "GuardDutyOff", "pattern": '{ $.eventName = "DeleteDetector" }'}]}
    created = {f.inputs["name"] for f in build(custom).all(METRIC_FILTER)}
    brought = {f.inputs["name"] for f in build({**custom, **BROUGHT}).all(METRIC_FILTER)}
    assert "GuardDutyOff" in created and "audit-GuardDutyOff" in brought


def test_a_derived_filter_name_is_checked_against_putmetricfilters_rule(build: Build) -> None:
    """The trail's name is now part of a brought group's filter names: they stay within PutMetricFilter's
    filterName (1 to 512, no ':' or '*') for the longest trail and custom filter names allowed."""
    longest = {**BROUGHT, "trail_name": "t" * 128,
               "custom_filters": [{"name": "c" * 100, "pattern": '{ $.eventName = "DeleteDetector" }'}]}
    names = [f.inputs["name"] for f in build(longest).all(METRIC_FILTER)]
    assert max(map(len, names)) == 229 and not any(set(name) & {":", "*"} for name in names)




# N-m1 ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [{}, {"advanced_event_selectors": [{"name": "S3 objects", "field_selectors": [
    {"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]}]}]}],
    ids=["without data selectors", "with data selectors"])
def test_the_trail_always_sends_a_management_event_selector(build: Build, args: dict[str, Any]) -> None:
    """Removing advanced_event_selectors must not send an empty list: the provider's setAdvancedEventSelectors
    puts exactly what it is given (internal/service/cloudtrail/trail.go) and CloudTrail refuses zero selectors
    ("InvalidEventSelectorsException: Specify a valid number of selectors (1 to 5)")."""
    selectors = build(args).one(TRAIL).inputs["advancedEventSelectors"]
    assert selectors[0] == {"name": "All management events",
                            "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}
    assert len(selectors) == 1 + len(args.get("advanced_event_selectors", []))


# N-m4 ---------------------------------------------------------------------------------------------------------
# "CreateAlias": alias/ and then letters, digits, '/', '_' and '-', at most 256 characters.
_ALIAS = r"alias/[A-Za-z0-9/_-]{1,250}"


def test_trails_whose_names_differ_only_where_aliases_cannot_follow_get_different_aliases(build: Build) -> None:
    aliases = {trail: build({"trail_name": trail}).one(ALIAS).inputs["name"] for trail in ("org.audit", "org-audit",
                                                                                         "org_audit")}
    assert len(set(aliases.values())) == 3, aliases
    assert all(re.fullmatch(_ALIAS, alias) for alias in aliases.values()), aliases
    # A name that needs no replacement keeps 0.2.0's alias, so upgrading replaces no alias.
    assert aliases["org-audit"] == "alias/cloudtrail/org-audit"
    assert aliases["org.audit"].startswith("alias/cloudtrail/org-audit-")


# N-m5 ---------------------------------------------------------------------------------------------------------
def test_an_address_in_both_alarm_emails_and_alarm_subscriptions_is_refused(build: Build) -> None:
    """SNS Subscribe returns the existing subscription for the same topic, protocol and endpoint: two resources
    would own one subscription, and removing either entry would unsubscribe the address for both."""
    twice = {"alarm_emails": ["secops@example.com"],
             "alarm_subscriptions": [{"protocol": "sms", "endpoint": "+15555550100"},
                                     {"protocol": "email", "endpoint": "secops@example.com"}]}
    with pytest.raises(InvalidArgumentError) as raised:
        build(twice)
    assert raised.value.argument == "alarm_subscriptions[1]"
    assert "secops@example.com" in str(raised.value) and "alarm_emails" in raised.value.allowed
    # Another protocol to the same address is another subscription, and AWS keeps both.
    other = {**twice, "alarm_subscriptions": [{"protocol": "email-json", "endpoint": "secops@example.com"}]}
    assert len(build(other).all(SUBSCRIPTION)) == 2


# N-m11 --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("autonaming", [None, {"pattern": "${project}-${name}"}, {"mode": "verbatim"}])
def test_a_configured_autonaming_is_warned_about(autonaming: Any, caplog: pytest.LogCaptureFixture) -> None:
    """The derived-name checks model the default autonaming (pulumi-terraform-bridge AutoName, '-' and 7 hex);
    a project's pulumi:autonaming changes the names they check."""
    config = {} if autonaming is None else {"pulumi:autonaming": autonaming}
    with caplog.at_level(logging.WARNING), mocked_stack(config=config, account_id=ACCOUNT, region=REGION):
        CompliantTrail("audit", {"alarm_emails": ["secops@example.com"]})
    warned = [m for m in caplog.messages if "pulumi:autonaming" in m]
    assert bool(warned) is (autonaming is not None), caplog.messages


# Findings the review lets us document rather than change --------------------------------------------------------
REPO = Path(__file__).resolve().parents[2]
DOCUMENTED = {
    # finding: (file, phrases that must be there, each a fact the user needs)
    "N-m2 Object Lock racing versioning": ("README.md", ["InvalidBucketState", "run `pulumi up` again"]),
    "N-m3 brought bucket in another region": ("README.md", ["KmsKeyNotFoundException", "get-bucket-location"]),
    "N-m6 removed optional parts stay": ("README.md", ["removing `access_log_bucket_name` leaves S3 server access",
                                                       "unmanaged from then on"]),
    "N-m7 subscription aliases and reordered lists": ("CHANGELOG.md", ["Upgrade without editing"]),
    "N-m8 retain_on_delete only after one up": ("CHANGELOG.md", ["run `pulumi up` once on the new version, alone",
                                                                 "pulumi/pulumi #13428"]),
    "N-m9 brought encrypted topic": ("README.md", ["alias/aws/sns", "Failed to execute action"]),
    "N-m12 transitions and small files": ("README.md", ["128 KB", "validate-logs"]),
    "section 3 residual risks": ("README.md", ["## Verify on a real account", "R1:", "R2:", "R3:", "R4:", "R5:"]),
}


@pytest.mark.parametrize("finding", list(DOCUMENTED))
def test_each_finding_we_document_instead_of_changing_is_documented(finding: str) -> None:
    file, phrases = DOCUMENTED[finding]
    text = (REPO / file).read_text()
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, f"{finding}: {file} does not say {missing}"

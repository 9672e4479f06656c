"""Changing one argument never replaces the resources that hold the evidence, unless it renames them.

A replacement is a delete and a create: for the bucket, the log group and the key that is the log data (or
the means to read it). The provider replaces a resource when a ``ForceNew`` property changes; the table below
lists them for the data-holding resources, from terraform-provider-aws's source (pulumi-aws properties are
the camelCase of the Terraform attributes). Each case deploys a baseline and the same call with one argument
changed, as ``pulumi up`` after an edit would: the data-holding resources must keep their URN (a new URN is a
delete of the old one) and every ForceNew input. Renaming (trail_name, log_group_name, bucket_name) is the
documented exception, and must show as a replacement, so the table is exercised both ways.
"""

from __future__ import annotations

import functools
import hashlib
import re
from typing import Any

import pulumi_aws as aws
import pytest

from compliant_cloudtrail.check.mock_runtime import RegisteredResource, mocked_stack
from compliant_cloudtrail.component import CompliantTrail

from .conftest import ACCOUNT, BUCKET, KEY, LOG_GROUP, ORG_ID, PARTITION, REGION, TRAIL, Deployment

# type -> (terraform-provider-aws file, pulumi-aws args class, attributes marked ForceNew: true in the schema)
FORCE_NEW: dict[str, tuple[str, type, tuple[str, ...]]] = {
    BUCKET: ("internal/service/s3/bucket.go", aws.s3.BucketArgs,
             ("bucket", "bucket_prefix", "object_lock_enabled")),
    LOG_GROUP: ("internal/service/logs/group.go", aws.cloudwatch.LogGroupArgs,
                ("name", "name_prefix", "log_group_class")),
    KEY: ("internal/service/kms/key.go", aws.kms.KeyArgs,
          ("custom_key_store_id", "customer_master_key_spec", "key_usage", "multi_region", "xks_key_id")),
    TRAIL: ("internal/service/cloudtrail/trail.go", aws.cloudtrail.TrailArgs, ("name",)),
}
# Deleting these loses log data (or the key to read it): they must be retained by `pulumi destroy` or removal.
RETAINED = (BUCKET, LOG_GROUP, KEY)

BASELINE: dict[str, Any] = {"alarm_emails": ["secops@example.com"]}
KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def camel(attribute: str) -> str:
    head, *rest = attribute.split("_")
    return head + "".join(part.capitalize() for part in rest)


# name -> (the one argument changed, ForceNew properties expected to change per type, types expected to go away)
CHANGES: dict[str, tuple[dict[str, Any], dict[str, list[str]], tuple[str, ...]]] = {
    "retention": ({"retention_in_days": 731}, {}, ()),
    "emails": ({"alarm_emails": ["secops@example.com", "soc@example.com"]}, {}, ()),
    "no emails": ({"alarm_emails": []}, {}, ()),
    "subscriptions": ({"alarm_subscriptions": [{"protocol": "https", "endpoint": "https://example.com/hook"}]}, {},
                      ()),
    "one profile": ({"cis_profiles": ["security-hub"]}, {}, ()),
    "disabled item": ({"disabled_cis_items": ["4.15"]}, {}, ()),
    "metric namespace": ({"metric_namespace": "Security"}, {}, ()),
    "custom filter": ({"custom_filters": [{"name": "GuardDutyOff", "pattern": '{ $.eventName = "DeleteDetector" }'}]},
                      {}, ()),
    "key prefix": ({"s3_key_prefix": "trails"}, {}, ()),
    "object lock": ({"object_lock": {"mode": "GOVERNANCE", "days": 365}}, {}, ()),
    "insights": ({"insight_types": ["ApiCallRateInsight", "ApiErrorRateInsight"]}, {}, ()),
    "data events": ({"advanced_event_selectors": [{"name": "S3 objects", "field_selectors": [
        {"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]}]}]},
        {}, ()),
    "tags": ({"tags": {"owner": "security"}}, {}, ()),
    "log expiration": ({"log_expiration_days": 3650}, {}, ()),
    "noncurrent days": ({"noncurrent_version_expiration_days": 90}, {}, ()),
    "access logging": ({"access_log_bucket_name": "access-logs-bucket", "access_log_prefix": "trail/"}, {}, ()),
    "organization trail": ({"is_organization_trail": True}, {}, ()),
    "allow deletion": ({"allow_log_data_deletion": True}, {}, ()),
    # Bringing your own part removes ours from the stack: retained, so the data stays in the account.
    "kms off": ({"enable_kms": False}, {}, (KEY,)),
    "own key": ({"kms_key_arn": KEY_ARN}, {}, (KEY,)),
    "own bucket": ({"existing_bucket_name": "my-trail-bucket"}, {}, (BUCKET,)),
    "own log group": ({"existing_log_group_name": "/my/trail/group"}, {}, (LOG_GROUP,)),
    # The documented exceptions: a new name is a new resource (the default log group is named after the trail).
    "trail name": ({"trail_name": "audit-renamed"}, {TRAIL: ["name"], LOG_GROUP: ["name"]}, ()),
    "log group name": ({"log_group_name": "/custom/audit"}, {LOG_GROUP: ["name"]}, ()),
    "bucket name": ({"bucket_name": "audit-explicit-logs"}, {BUCKET: ["bucket"]}, ()),
}


def replacing_changes(before: RegisteredResource, after: RegisteredResource) -> list[str]:
    """The ForceNew properties whose input differs: each one makes the provider replace the resource."""
    _, _, attributes = FORCE_NEW[before.type]
    return [camel(a) for a in attributes if before.inputs.get(camel(a)) != after.inputs.get(camel(a))]


@functools.cache
def deployed(case: str | None) -> dict[str, RegisteredResource]:
    """The data-holding resources of the baseline (None) or of one case; each is deployed once per run."""
    args = {**BASELINE, **(CHANGES[case][0] if case else {})}
    with mocked_stack(preview=False, account_id=ACCOUNT, region=REGION, partition=PARTITION,
                      organization_id=ORG_ID) as monitor:
        CompliantTrail("audit", args)  # type: ignore[arg-type]
    deployment = Deployment(monitor)
    return {t: deployment.one(t) for t in FORCE_NEW if deployment.all(t)}


@pytest.mark.parametrize("case", list(CHANGES))
def test_changing_one_argument_keeps_or_retains_every_data_holding_resource(case: str) -> None:
    _, expected_replacements, expected_gone = CHANGES[case]
    before, after = deployed(None), deployed(case)
    assert set(before) == set(FORCE_NEW), "the baseline creates every data-holding resource"

    for type_token, old in before.items():
        if type_token in expected_gone:
            assert type_token not in after, f"{case}: {type_token} was expected to leave the stack"
            assert old.retain_on_delete, f"{case}: removing {old.name} from the stack would delete it"
            continue
        assert type_token in after, f"{case}: {old.name} left the stack, so `pulumi up` deletes it"
        new = after[type_token]
        assert new.urn == old.urn, f"{case}: {old.name} has a new URN: the old one is deleted"
        assert replacing_changes(old, new) == expected_replacements.get(type_token, []), (
            f"{case}: {old.name} changes ForceNew properties ({FORCE_NEW[type_token][0]})")


@pytest.mark.parametrize("case", list(CHANGES))
def test_data_holding_resources_are_retained_unless_deletion_is_allowed(case: str) -> None:
    deletion_allowed = CHANGES[case][0].get("allow_log_data_deletion", False)
    for type_token, resource in deployed(case).items():
        if type_token in RETAINED:
            assert resource.retain_on_delete is not deletion_allowed, f"{case}: {resource.name}"


def test_the_force_new_table_names_properties_pulumi_aws_has() -> None:
    # pulumi-aws's Python args use the Terraform attribute names; a typo in the table would guard nothing.
    for type_token, (_source, args_class, attributes) in FORCE_NEW.items():
        for attribute in attributes:
            assert isinstance(getattr(args_class, attribute, None), property), f"{type_token}.{attribute}"


# --- Upgrading from 0.2.0 ---------------------------------------------------------------------------------------
# How 0.2.0 (commit 9fa7c79) named what this version may rename: metric filters exactly like their metrics
# (alarms.py: name=spec.metric_name), the KMS alias with '.' made '-' (trail_key.py: key_alias).
METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
ALIAS = "aws:kms/alias:Alias"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
# The physical identity of each: what a create-before-delete replacement must not share with the old resource,
# else the create overwrites the old one (PutMetricFilter and the alias are upserts or name-unique) and the
# delete that follows removes the new one.
IDENTITY = {METRIC_FILTER: ("logGroupName", "name"), ALIAS: ("name",)}


def identity_in_02(resource: RegisteredResource, trail_name: str) -> tuple[Any, ...]:
    """What 0.2.0 called this resource in AWS; its logical name, "<component>-<metric>", is unchanged."""
    if resource.type == METRIC_FILTER:
        return resource.inputs["logGroupName"], resource.name.removeprefix("audit-")
    return ("alias/cloudtrail/" + re.sub(r"[^A-Za-z0-9/_-]", "-", trail_name),)


def upgraded(args: dict[str, Any]) -> Deployment:
    with mocked_stack(preview=False, account_id=ACCOUNT, region=REGION, partition=PARTITION,
                      organization_id=ORG_ID) as monitor:
        CompliantTrail("audit", args)  # type: ignore[arg-type]
    return Deployment(monitor)


# case -> (arguments, the types 0.2.0 -> 0.3.0 renames)
UPGRADES: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "default": ({**BASELINE}, ()),
    "https subscription": ({**BASELINE, "alarm_subscriptions": [{"protocol": "https",
                                                                 "endpoint": "https://example.com/hook"}]}, ()),
    "brought log group": ({**BASELINE, "existing_log_group_name": "/security/cloudtrail"}, (METRIC_FILTER,)),
    "trail name with a dot": ({**BASELINE, "trail_name": "org.audit"}, (ALIAS,)),
}


@pytest.mark.parametrize("case", list(UPGRADES))
def test_upgrading_from_02_renames_only_what_the_changelog_says_and_creates_before_it_deletes(case: str) -> None:
    args, renamed = UPGRADES[case]
    deployment = upgraded(args)
    trail_name = args.get("trail_name", "audit")
    for type_token in (METRIC_FILTER, ALIAS):
        for resource in deployment.all(type_token):
            now = tuple(resource.inputs[key] for key in IDENTITY[type_token])
            if type_token in renamed:
                assert now != identity_in_02(resource, trail_name), f"{case}: {resource.name} keeps 0.2.0's name"
                # Pulumi replaces create-before-delete unless told otherwise: the new one exists first.
                assert not resource.delete_before_replace, f"{case}: {resource.name} would leave a gap"
            elif type_token == METRIC_FILTER:
                assert resource.inputs["name"] == resource.inputs["metricTransformation"]["name"]
                assert now == identity_in_02(resource, trail_name), f"{case}: {resource.name} renamed"
            else:
                assert now == identity_in_02(resource, trail_name), f"{case}: {resource.name} renamed"
    # Subscriptions keep 0.2.0's names: no re-creation, so no new confirmation email or HTTPS handshake.
    for subscription in deployment.all(SUBSCRIPTION):
        endpoint = subscription.inputs["endpoint"]
        digest = hashlib.sha256(endpoint.encode()).hexdigest()[:12]
        assert subscription.name in (f"audit-alarm-email-{endpoint}", f"audit-alarm-https-{digest}"), subscription.name

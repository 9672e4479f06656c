"""Dynamic-provider resources that look like trails get an advisory note, never a verdict (review L6).

A dynamic resource reaches the pack as ``pulumi-python:dynamic:Resource`` or ``pulumi-nodejs:dynamic:Resource``
with its provider serialised in ``__provider`` (pulumi ``sdk/python/lib/pulumi/dynamic/dynamic.py``,
``serialize_provider``: base64 of a dill pickle; Node.js: the provider's source).
"""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from policy_sdk_inputs import Verdict, verdict_through_sdk

from compliant_cloudtrail.policy_pack.policies.dynamic_note import DYNAMIC_PROVIDER_LOOKALIKE
from compliant_cloudtrail.policy_pack.policies.trail_policies import DELIVER_TO_CLOUDWATCH_LOGS

DYNAMIC = ["pulumi-python:dynamic:Resource", "pulumi-nodejs:dynamic:Resource"]
PLAIN_PROVIDER = base64.b64encode(b"\x80\x04dill pickled provider that writes rows to a database").decode()


@pytest.mark.parametrize("dynamic_type", DYNAMIC)
@pytest.mark.parametrize(
    ("props", "name", "because"),
    [
        ({"s3BucketName": "logs", "isMultiRegionTrail": True}, "audit", "isMultiRegionTrail"),
        ({"S3BucketName": "logs"}, "org-trail", "trail-like name"),
        ({"s3_bucket_name": "logs", "cloud_watch_logs_role_arn": "arn"}, "x", "cloud_watch_logs_role_arn"),
        ({"TrailName": "t", "IsOrganizationTrail": True}, "x", "IsOrganizationTrail, TrailName"),
        (
            {"__provider": "exports.handler = { async create(i) { new CloudTrailClient({}) } }"},
            "x",
            "provider's code mentions cloudtrail",
        ),
        (
            {"__provider": base64.b64encode(b"\x80\x04...boto3.client\x94\x8c\ncloudtrail\x94").decode()},
            "x",
            "provider's code mentions cloudtrail",
        ),
    ],
)
def test_a_trail_like_dynamic_resource_gets_a_note_that_claims_no_pass(
    dynamic_type: str, props: dict[str, Any], name: str, because: str
) -> None:
    verdict = verdict_through_sdk(
        DYNAMIC_PROVIDER_LOOKALIKE, dynamic_type, {"__provider": PLAIN_PROVIDER, **props}, name
    )
    [message] = verdict.messages
    assert f'Resource "{name}" of a dynamic provider looks like a CloudTrail trail' in message, message
    assert because in message and "NOT judged" in message, message
    assert not re.search(r"\bpass(es|ed)?\b|\bis compliant\b|\bdelivers\b", message, re.IGNORECASE), message


@pytest.mark.parametrize(
    ("props", "name"),
    [
        ({"s3BucketName": "site-content"}, "website"),
        ({"tableName": "t", "rows": [1, 2]}, "trail-mix-recipes-table"),
        ({"__provider": PLAIN_PROVIDER, "isMultiRegionTrail": True}, "x"),
        ({"__provider": "not base64 at all: %%%"}, "x"),
    ],
)
def test_other_dynamic_resources_get_nothing(props: dict[str, Any], name: str) -> None:
    assert verdict_through_sdk(DYNAMIC_PROVIDER_LOOKALIKE, DYNAMIC[0], props, name) == Verdict([], [])


def test_trail_settings_on_a_non_dynamic_type_are_not_this_notes_business() -> None:
    props = {"s3BucketName": "logs", "isMultiRegionTrail": True}
    assert verdict_through_sdk(DYNAMIC_PROVIDER_LOOKALIKE, "aws:s3/bucket:Bucket", props, "trail") == Verdict([], [])


def test_the_mandatory_policy_makes_no_claim_about_a_dynamic_resource() -> None:
    props = {"s3BucketName": "logs", "isMultiRegionTrail": True}
    assert verdict_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, DYNAMIC[0], props, "audit") == Verdict([], [])

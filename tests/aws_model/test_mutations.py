"""Each statement, and each condition key, of the declared policies must be needed by a modelled request.

Removing a statement must deny a request AWS must allow (or, for a Deny, allow one it must refuse); removing a
condition key must let a request that must be refused through (keys that name the caller, aws:SourceArn and
friends, may instead be needed together: see ``mutation``).
"""

from __future__ import annotations

import pytest

from .declared import VARIANT_NAMES, deployed
from .evaluator import Policy
from .mutation import mutations, unneeded_conditions, unneeded_statements
from .requests import build_requests, judge


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_every_condition_is_needed(variant: str) -> None:
    declared = deployed(variant)
    assert unneeded_conditions(build_requests(declared), declared.policies()) == [], (
        f"{variant}: condition needed by no modelled request (remove it, or model the request it refuses)"
    )


@pytest.mark.parametrize("variant", [v for v in VARIANT_NAMES if deployed(v).bucket is not None])
def test_without_the_tls_deny_plain_http_gets_through(variant: str) -> None:
    """Security Hub S3.5; Amazon S3 user guide, "managing access based on HTTP or HTTPS requests"."""
    declared = deployed(variant)
    plain_http = [r for r in build_requests(declared) if "plain HTTP" in r.name]
    assert plain_http, f"{variant}: no plain-HTTP request modelled"
    removal = next(m for m in mutations(declared.policies())
                   if m.policy == "bucket" and m.sid == "DenyInsecureTransport" and m.condition is None)
    assert all(not judge(r, declared.policies()).allowed for r in plain_http)
    assert all(judge(r, removal.policies).allowed for r in plain_http)


def test_an_extra_statement_is_reported() -> None:
    """The guard itself: a grant nothing needs must be named."""
    declared = deployed("default")
    policies = declared.policies()
    key = policies["key"]
    extra = {"Sid": "Extra", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
             "Action": "kms:Decrypt", "Resource": "*"}
    widened = {**policies, "key": Policy("key", {**key.document, "Statement": [*key.statements, extra]})}
    assert "key:Extra statement" in unneeded_statements(build_requests(declared), widened)


def test_a_condition_that_refuses_nothing_is_reported() -> None:
    """The guard itself: a condition no negative depends on must be named."""
    declared = deployed("default")
    policies = declared.policies()
    role = policies["role-policy"]
    statements = [dict(s) for s in role.statements]
    statements[0]["Condition"] = {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}
    changed = {**policies, "role-policy": Policy("role-policy", {**role.document, "Statement": statements})}
    found = unneeded_conditions(build_requests(declared), changed)
    assert found == [f"role-policy:{statements[0]['Sid']} condition StringEquals aws:RequestedRegion"]

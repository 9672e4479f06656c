"""The evaluator against AWS's documented evaluation logic, each rule both ways (allowed and denied).

Sources: IAM user guide "Policy evaluation logic", "IAM JSON policy elements: Condition operators",
"IAM JSON policy elements: Resource", "AWS JSON policy elements: Principal", "Single-valued vs. multivalued
context keys"; AWS KMS developer guide "Key policies in AWS KMS"; CloudTrail user guide "Amazon S3 bucket
policy for CloudTrail".
"""

from __future__ import annotations

from typing import Any

import pytest

from .evaluator import Call, NotModelled, Policy, Principal, arn_match, condition_holds, evaluate

ACCT = "111122223333"
OTHER = "444455556666"
ALICE = Principal(arn=f"arn:aws:iam::{ACCT}:role/Alice", account=ACCT)
MALLORY = Principal(arn=f"arn:aws:iam::{OTHER}:role/Mallory", account=OTHER)
CLOUDTRAIL = Principal(service="cloudtrail.amazonaws.com")
BUCKET = "arn:aws:s3:::amzn-s3-demo-bucket"


def doc(*statements: dict[str, Any], name: str = "p") -> Policy:
    return Policy(name, {"Version": "2012-10-17", "Statement": list(statements)})


def allow(**fields: Any) -> dict[str, Any]:
    return {"Effect": "Allow", **fields}


def call(who: Principal = ALICE, action: str = "s3:GetObject", resource: str = f"{BUCKET}/k",
         **context: Any) -> Call:
    return Call(who, action, resource, context, resource_account=ACCT)


# -- Policy evaluation logic --------------------------------------------------------------------------------
IDENTITY_ALLOWS = doc(allow(Sid="Id", Action="s3:*", Resource="*"), name="identity")


def test_policy_evaluation_logic_same_account_identity_allow_alone_allows() -> None:
    assert evaluate(call(), None, [IDENTITY_ALLOWS]).allowed


def test_policy_evaluation_logic_nothing_allows_is_an_implicit_deny() -> None:
    decision = evaluate(call(), doc(allow(Principal={"AWS": ALICE.arn}, Action="s3:PutObject", Resource="*")))
    assert (decision.allowed, decision.reason) == (False, "implicit deny")


def test_policy_evaluation_logic_same_account_resource_policy_naming_the_role_alone_allows() -> None:
    bucket = doc(allow(Sid="Named", Principal={"AWS": ALICE.arn}, Action="s3:GetObject", Resource=f"{BUCKET}/*"))
    decision = evaluate(call(), bucket)
    assert (decision.allowed, decision.sid) == (True, "Named")


def test_policy_evaluation_logic_an_explicit_deny_in_any_policy_overrides_allows() -> None:
    bucket = doc(allow(Principal="*", Action="s3:*", Resource="*"),
                 {"Sid": "No", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"})
    decision = evaluate(call(), bucket, [IDENTITY_ALLOWS])
    assert (decision.allowed, decision.reason, decision.sid) == (False, "explicit deny", "No")
    deny_in_identity = doc({"Effect": "Deny", "Action": "s3:*", "Resource": "*"}, name="identity")
    assert not evaluate(call(), doc(allow(Principal="*", Action="s3:*", Resource="*")), [deny_in_identity]).allowed


def test_principal_element_account_principal_only_delegates_to_the_accounts_identity_policies() -> None:
    bucket = doc(allow(Principal={"AWS": f"arn:aws:iam::{ACCT}:root"}, Action="s3:*", Resource="*"))
    assert not evaluate(call(), bucket).allowed
    assert evaluate(call(), bucket, [IDENTITY_ALLOWS]).allowed


def test_policy_evaluation_logic_cross_account_needs_both_the_resource_and_the_identity_policy() -> None:
    bucket = doc(allow(Principal={"AWS": OTHER}, Action="s3:GetObject", Resource="*"))
    mallory_allows = doc(allow(Action="s3:GetObject", Resource="*"), name="identity")
    assert evaluate(call(MALLORY), bucket, [mallory_allows]).allowed
    assert not evaluate(call(MALLORY), bucket).allowed
    assert not evaluate(call(MALLORY), None, [mallory_allows]).allowed


def test_kms_key_policies_iam_policies_count_only_when_the_key_policy_enables_them() -> None:
    key_call = call(action="kms:Decrypt", resource=f"arn:aws:kms:eu-west-1:{ACCT}:key/k")
    admin = doc(allow(Action="kms:*", Resource="*"), name="identity")
    no_root = doc(allow(Principal={"Service": "logs.amazonaws.com"}, Action="kms:*", Resource="*"))
    with_root = doc(allow(Sid="Root", Principal={"AWS": f"arn:aws:iam::{ACCT}:root"}, Action="kms:*", Resource="*"))
    assert not evaluate(key_call, no_root, [admin], kms_key=True).allowed
    assert evaluate(key_call, with_root, [admin], kms_key=True).allowed
    assert not evaluate(key_call, with_root, [], kms_key=True).allowed


def test_principal_element_service_principals_match_exactly_and_have_no_identity_policies() -> None:
    trust = doc(allow(Principal={"Service": "cloudtrail.amazonaws.com"}, Action="sts:AssumeRole"))
    assume = call(CLOUDTRAIL, "sts:AssumeRole", f"arn:aws:iam::{ACCT}:role/r")
    assert evaluate(assume, trust).allowed
    assert not evaluate(call(Principal(service="logs.amazonaws.com"), "sts:AssumeRole", "r"), trust).allowed
    assert not evaluate(assume, None, [IDENTITY_ALLOWS, doc(allow(Action="*", Resource="*"))]).allowed


def test_not_principal_not_action_not_resource_match_everything_else() -> None:
    deny_others = doc(allow(Principal="*", Action="s3:*", Resource="*"),
                      {"Effect": "Deny", "NotPrincipal": {"AWS": ALICE.arn}, "Action": "s3:*", "Resource": "*"})
    assert evaluate(call(), deny_others).allowed
    assert not evaluate(call(Principal(arn=f"arn:aws:iam::{ACCT}:role/Bob", account=ACCT)), deny_others).allowed
    not_action = doc(allow(Principal="*", NotAction="s3:Delete*", Resource="*"))
    assert evaluate(call(), not_action).allowed
    assert not evaluate(call(action="s3:DeleteObject"), not_action).allowed
    not_resource = doc(allow(Principal="*", Action="s3:*", NotResource=f"{BUCKET}/secret/*"))
    assert evaluate(call(), not_resource).allowed
    assert not evaluate(call(resource=f"{BUCKET}/secret/k"), not_resource).allowed


# -- Action and Resource elements ---------------------------------------------------------------------------
def test_action_element_is_case_insensitive_with_wildcards() -> None:
    policy = doc(allow(Principal="*", Action="S3:get*", Resource="*"))
    assert evaluate(call(action="s3:GetObject"), policy).allowed
    assert not evaluate(call(action="s3:PutObject"), policy).allowed


def test_resource_element_is_case_sensitive() -> None:
    policy = doc(allow(Principal="*", Action="s3:*", Resource=f"{BUCKET}/AWSLogs/*"))
    assert evaluate(call(resource=f"{BUCKET}/AWSLogs/x"), policy).allowed
    assert not evaluate(call(resource=f"{BUCKET}/awslogs/x"), policy).allowed


def test_resource_element_wildcards_stay_within_a_segment_unless_they_end_the_pattern() -> None:
    assert arn_match("arn:aws:logs:*:111122223333:log-group:g", "arn:aws:logs:eu-west-1:111122223333:log-group:g",
                     spill=True)
    assert not arn_match("arn:aws:logs:*:111122223333:log-group:g", "arn:aws:logs:a:b:111122223333:log-group:g",
                         spill=True)
    assert arn_match("arn:aws:logs:*", "arn:aws:logs:eu-west-1:111122223333:log-group:g", spill=True)
    assert not arn_match("arn:aws:logs:*", "arn:aws:s3:::b", spill=True)


# -- Condition operators ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("operator", "policy_value", "request_value", "holds"), [
    ("StringEquals", "bucket-owner-full-control", "bucket-owner-full-control", True),
    ("StringEquals", "bucket-owner-full-control", "Bucket-Owner-Full-Control", False),
    ("StringEqualsIgnoreCase", "ABC", "abc", True),
    ("StringNotEquals", "abc", "abd", True),
    ("StringNotEquals", "abc", "abc", False),
    ("StringLike", "arn:aws:cloudtrail:*:111122223333:trail/*", "arn:aws:cloudtrail:us-east-1:111122223333:trail/t",
     True),
    ("StringLike", "arn:aws:cloudtrail:*:111122223333:trail/*", "arn:aws:cloudtrail:us-east-1:444455556666:trail/t",
     False),
    ("StringLike", "a?c", "abc", True),
    ("StringLike", "a?c", "abbc", False),
    ("StringNotLike", "a*", "b", True),
    ("StringNotLike", "a*", "abc", False),
    ("ArnLike", "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:*",
     "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:root-usage", True),
    ("ArnLike", "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:*",
     "arn:aws:cloudwatch:eu-west-1:444455556666:alarm:root-usage", False),
    ("ArnLike", "arn:aws:cloudwatch:*:111122223333:alarm:*", "arn:aws:cloudwatch:a:b:111122223333:alarm:x", False),
    ("ArnLike", "arn:aws:cloudwatch:*", "not-an-arn", False),
    ("ArnEquals", "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/cloudtrail/t",
     "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/cloudtrail/t", True),
    ("ArnEquals", "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/cloudtrail/t",
     "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/cloudtrail/t2", False),
    ("ArnNotEquals", "arn:aws:s3:::a", "arn:aws:s3:::b", True),
    ("ArnNotLike", "arn:aws:s3:::a*", "arn:aws:s3:::ab", False),
    ("Bool", "false", "false", True),
    ("Bool", "false", "true", False),
    ("Bool", True, "true", True),
])
def test_condition_operators_compare_as_documented(operator: str, policy_value: Any, request_value: str,
                                                   holds: bool) -> None:
    assert condition_holds(operator, "k", policy_value, {"k": request_value}) is holds


def test_condition_operators_values_of_one_key_or_together_and_negated_operators_nor_together() -> None:
    assert condition_holds("StringEquals", "k", ["a", "b"], {"k": "b"})
    assert not condition_holds("StringEquals", "k", ["a", "b"], {"k": "c"})
    assert condition_holds("StringNotEquals", "k", ["a", "b"], {"k": "c"})
    assert not condition_holds("StringNotEquals", "k", ["a", "b"], {"k": "b"})


def test_condition_operators_keys_and_operators_and_together() -> None:
    both = {"StringEquals": {"a": "1", "b": "2"}}
    policy = doc(allow(Principal="*", Action="s3:*", Resource="*", Condition=both))
    assert evaluate(call(a="1", b="2"), policy).allowed
    assert not evaluate(call(a="1", b="3"), policy).allowed


def test_condition_key_names_are_case_insensitive() -> None:
    assert condition_holds("StringEquals", "aws:SourceArn", "x", {"AWS:sourcearn": "x"})


def test_condition_operators_a_missing_key_is_false_except_for_negated_operators_and_if_exists() -> None:
    assert not condition_holds("StringEquals", "k", "a", {})
    assert not condition_holds("ArnLike", "k", "arn:*", {})
    assert not condition_holds("Bool", "aws:SecureTransport", "false", {})
    assert condition_holds("StringNotEquals", "k", "a", {})
    assert condition_holds("ArnNotLike", "k", "arn:*", {})
    assert condition_holds("StringEqualsIfExists", "k", "a", {})
    assert not condition_holds("StringEqualsIfExists", "k", "a", {"k": "b"})
    assert condition_holds("StringEqualsIfExists", "k", "a", {"k": "a"})


def test_null_operator_tests_presence() -> None:
    assert condition_holds("Null", "k", "true", {})
    assert not condition_holds("Null", "k", "true", {"k": "x"})
    assert condition_holds("Null", "k", "false", {"k": "x"})
    assert not condition_holds("Null", "k", "false", {})


def test_multivalued_context_keys_for_all_values_and_for_any_value() -> None:
    tags = {"aws:TagKeys": ("env", "team")}
    assert condition_holds("ForAllValues:StringEquals", "aws:TagKeys", ["env", "team", "cost"], tags)
    assert not condition_holds("ForAllValues:StringEquals", "aws:TagKeys", ["env"], tags)
    assert condition_holds("ForAllValues:StringEquals", "aws:TagKeys", ["env"], {})  # no key: vacuously true
    assert condition_holds("ForAnyValue:StringEquals", "aws:TagKeys", ["team"], tags)
    assert not condition_holds("ForAnyValue:StringEquals", "aws:TagKeys", ["cost"], tags)
    assert not condition_holds("ForAnyValue:StringEquals", "aws:TagKeys", ["team"], {})


def test_what_is_not_modelled_raises_instead_of_guessing() -> None:
    with pytest.raises(NotModelled):
        condition_holds("NumericLessThan", "k", "3", {"k": "1"})
    with pytest.raises(NotModelled):
        condition_holds("StringEquals", "k", "a", {"k": ("a", "b")})
    with pytest.raises(NotModelled):
        evaluate(call(), doc(allow(Principal="*", Action="s3:*", Resource="${aws:username}/*")))


# -- An AWS example end to end: "Amazon S3 bucket policy for CloudTrail" --------------------------------------
TRAIL = f"arn:aws:cloudtrail:us-east-2:{ACCT}:trail/myTrailName"
CLOUDTRAIL_BUCKET_POLICY = doc(
    allow(Sid="AWSCloudTrailAclCheck20150319", Principal={"Service": "cloudtrail.amazonaws.com"},
          Action="s3:GetBucketAcl", Resource=BUCKET, Condition={"StringEquals": {"aws:SourceArn": TRAIL}}),
    allow(Sid="AWSCloudTrailWrite20150319", Principal={"Service": "cloudtrail.amazonaws.com"},
          Action="s3:PutObject", Resource=f"{BUCKET}/AWSLogs/{ACCT}/*",
          Condition={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL}}),
)


def test_amazon_s3_bucket_policy_for_cloudtrail_example_allows_the_trail_and_no_other() -> None:
    write = call(CLOUDTRAIL, "s3:PutObject", f"{BUCKET}/AWSLogs/{ACCT}/CloudTrail/f.json.gz")
    ctx = {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL}
    assert evaluate(Call(write.principal, write.action, write.resource, ctx), CLOUDTRAIL_BUCKET_POLICY).allowed
    other = {**ctx, "aws:SourceArn": TRAIL + "2"}
    assert not evaluate(Call(write.principal, write.action, write.resource, other), CLOUDTRAIL_BUCKET_POLICY).allowed
    no_acl = {"aws:SourceArn": TRAIL}
    assert not evaluate(Call(write.principal, write.action, write.resource, no_acl),
                        CLOUDTRAIL_BUCKET_POLICY).allowed

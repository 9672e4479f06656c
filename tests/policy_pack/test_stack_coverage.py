"""cloudtrail-trail-alarm-on-cis-events: log group declared, delivery role grants, and CIS coverage judged by
what each filter matches. Each negative case changes one resource of the compliant stack."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cloudtrail_stack import (
    GROUP_ARN,
    GROUP_NAME,
    LOG_GROUP,
    NAMESPACE,
    ROLE_ARN,
    ROLE_NAME,
    TOPIC_ARN,
    catalog_filters,
    compliant_stack,
    delivery_policy,
    filter_and_alarm,
    replace,
    without,
)
from policy_sdk_inputs import (
    UNKNOWN_ARRAY,
    UNKNOWN_STRING,
    Reports,
    StackResource,
    analyze_stack_through_sdk,
    stack_args,
    urn_of,
)

from compliant_cloudtrail.component.catalog import load_catalog
from compliant_cloudtrail.policy_pack.policies.probes import judge_pattern, load_probes
from compliant_cloudtrail.policy_pack.policies.stack_coverage import ALARM_ON_CIS_EVENTS, validate_alarm_on_cis_events

TRAIL_URN = urn_of("aws:cloudtrail/trail:Trail", "audit-trail")


def run(resources: list[StackResource], config: dict[str, Any] | None = None) -> Reports:
    reports = Reports()
    validate_alarm_on_cis_events(stack_args(resources, config), reports)
    return reports


def single_violation(reports: Reports) -> str:
    assert len(reports.calls) == 1, f"expected one violation on {TRAIL_URN}: {reports.calls}"
    message, urn = reports.calls[0]
    assert urn == TRAIL_URN, f"violation should point at the trail, not {urn}"
    return message


def test_compliant_stack_passes() -> None:
    reports = run(compliant_stack())
    assert reports.calls == [], f"{TRAIL_URN}: {reports.text()}"


# --- catalog and probes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item_id", "wording", "pattern"),
    [(item.id, f.wording, f.pattern) for item in load_catalog().items for f in item.filters],
)
def test_every_catalog_pattern_covers_its_item(item_id: str, wording: str, pattern: str) -> None:
    judgement = judge_pattern(pattern)
    verdict = judgement.verdicts[item_id]
    assert judgement.covers(item_id), f"catalog {wording} filter for {item_id}: {verdict}"


def test_probe_set_has_every_cis_item_and_the_required_event_names() -> None:
    probes = load_probes()
    assert sorted(probes.items, key=lambda i: [int(p) for p in i.split(".")]) == [f"4.{n}" for n in range(1, 16)]
    # CIS v1.4 4.15 lists 18 Organizations event names; later wordings add 3 (facts file).
    assert len(probes.items["4.15"].required) == 18 and len(probes.items["4.15"].extended) == 3
    assert {p.id for p in probes.items["4.10"].extended} == {"ModifySecurityGroupRules"}
    assert len(probes.items["4.4"].required) == 16 and len(probes.items["4.14"].required) == 11


# --- equivalent and broken patterns ---------------------------------------------------------------------

EQUIVALENT = {
    "4.5": "{ $.eventName = StopLogging || $.eventName = StartLogging || $.eventName = DeleteTrail "
    '|| $.eventName = "UpdateTrail" || $.eventName = "CreateTrail" }',
    "4.7": '{($.eventSource = "kms.amazonaws.com") && ($.eventName = "ScheduleKeyDeletion" || '
    '$.eventName = "DisableKey")}',
    "4.3": '{  $.eventType != "AwsServiceEvent"   &&   $.userIdentity.invokedBy NOT EXISTS && '
    '$.userIdentity.type = "Root"  }',
    "4.1": '{ $.errorCode = "AccessDenied*" || $.errorCode = "*UnauthorizedOperation" }',
    "4.13": "{ ($.eventSource = ec2.amazonaws.com) && ($.eventName = DisassociateRouteTable || "
    "$.eventName = DeleteRoute || $.eventName = DeleteRouteTable || $.eventName = ReplaceRouteTableAssociation "
    "|| $.eventName = ReplaceRoute || $.eventName = CreateRouteTable || $.eventName = CreateRoute) }",
}


def with_pattern(item_id: str, pattern: str) -> list[StackResource]:
    return replace(compliant_stack(), f"cis-{item_id.replace('.', '-')}-filter", pattern=pattern)


@pytest.mark.parametrize(("item_id", "pattern"), sorted(EQUIVALENT.items()))
def test_equivalent_pattern_written_differently_passes(item_id: str, pattern: str) -> None:
    reports = run(with_pattern(item_id, pattern))
    assert reports.calls == [], f"{TRAIL_URN} with a reworded {item_id} filter: {reports.text()}"


def test_typo_in_an_event_name_fails_naming_the_item_and_the_missed_event() -> None:
    pattern = next(p for i, _, p in catalog_filters() if i == "4.5").replace("StopLogging", "StopLoging")
    message = single_violation(run(with_pattern("4.5", pattern)))
    assert "CIS 4.5 (CloudTrail configuration changes" in message, message
    assert "StopLogging" in message, message
    assert "CIS 4.4" not in message, message


def test_and_instead_of_or_fails() -> None:
    pattern = next(p for i, _, p in catalog_filters() if i == "4.4").replace("||", "&&")
    message = single_violation(run(with_pattern("4.4", pattern)))
    assert "CIS 4.4 (IAM policy changes" in message, message


def test_overbroad_pattern_that_fires_on_benign_events_fails() -> None:
    message = single_violation(run(with_pattern("4.4", '{ $.eventName = "*Policy*" }')))
    assert "CIS 4.4" in message and "benign" in message and "iam-get-policy" in message, message


def test_plain_console_sign_in_pattern_fails_on_federated_sign_in() -> None:
    pattern = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'
    message = single_violation(run(with_pattern("4.2", pattern)))
    assert "CIS 4.2" in message and "console-login-federated-assumed-role" in message, message


def test_pattern_that_does_not_parse_covers_nothing_and_says_why() -> None:
    message = single_violation(run(with_pattern("4.6", '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed')))
    assert 'metric filter "cis-4-6-filter" has a pattern that does not parse' in message, message
    assert "CIS 4.6" in message, message


def test_missing_filter_fails_naming_the_item() -> None:
    message = single_violation(run(without(compliant_stack(), "cis-4-9-filter", "cis-4-9-alarm")))
    assert "CIS 4.9 (AWS Config configuration changes, Security Hub CloudWatch.9)" in message, message


# CIS v1.4 4.15's 18 event names after AcceptHandshake, in the benchmark's order.
ORGANIZATIONS_V14_AFTER_FIRST = (
    "AttachPolicy",
    "CreateAccount",
    "CreateOrganizationalUnit",
    "CreatePolicy",
    "DeclineHandshake",
    "DeleteOrganization",
    "DeleteOrganizationalUnit",
    "DeletePolicy",
    "DetachPolicy",
    "DisablePolicyType",
    "EnablePolicyType",
    "InviteAccountToOrganization",
    "LeaveOrganization",
    "MoveAccount",
    "RemoveAccountFromOrganization",
    "UpdatePolicy",
    "UpdateOrganizationalUnit",
)


def test_organizations_filter_with_18_names_passes_unless_extended_names_are_required() -> None:
    eighteen = (
        '{ ($.eventSource = organizations.amazonaws.com) && ($.eventName = "AcceptHandshake" || '
        + " || ".join(f'$.eventName = "{n}"' for n in ORGANIZATIONS_V14_AFTER_FIRST)
        + ") }"
    )
    stack = with_pattern("4.15", eighteen)
    assert run(stack, {"requiredItems": ["4.15"]}).calls == [], "18 CIS v1.4 names are enough by default"
    message = single_violation(run(stack, {"requiredItems": ["4.15"], "requireExtendedEventNames": True}))
    assert "CIS 4.15" in message and "CancelHandshake" in message, message


def test_required_items_limit_the_check() -> None:
    stack = without(compliant_stack(), "cis-4-9-filter", "cis-4-9-alarm")
    assert run(stack, {"requiredItems": ["4.1", "4.3"]}).calls == []


# --- alarms ---------------------------------------------------------------------------------------------


def test_alarm_without_actions_fails() -> None:
    message = single_violation(run(replace(compliant_stack(), "cis-4-3-alarm", alarmActions=[])))
    assert "CIS 4.3" in message and 'alarm "cis-4-3-alarm" has no alarm action' in message, message


def test_alarm_with_actions_disabled_fails() -> None:
    message = single_violation(run(replace(compliant_stack(), "cis-4-3-alarm", actionsEnabled=False)))
    assert "actionsEnabled false" in message, message


def test_alarm_on_the_wrong_namespace_fails() -> None:
    message = single_violation(run(replace(compliant_stack(), "cis-4-8-alarm", namespace="LogMetrics")))
    assert "CIS 4.8" in message and 'namespace "LogMetrics"' in message and NAMESPACE in message, message


def test_alarm_on_the_filter_name_instead_of_its_metric_fails() -> None:
    message = single_violation(run(replace(compliant_stack(), "cis-4-8-alarm", metricName="cis-4-8-filter")))
    assert "CIS 4.8" in message and "no alarm watches its metric" in message, message


# --- log group and role ---------------------------------------------------------------------------------


def test_undeclared_log_group_fails_unless_allowed() -> None:
    stack = without(compliant_stack(), "audit-logs")
    message = single_violation(run(stack))
    assert f'its log group "{GROUP_NAME}" is not declared in this stack' in message, message
    assert run(stack, {"allowedExternalLogGroupArns": [f"{GROUP_ARN}:*"]}).calls == []


def test_role_policy_that_denies_put_log_events_fails() -> None:
    policy = json.loads(delivery_policy())
    policy["Statement"].append({"Effect": "Deny", "Action": "logs:PutLogEvents", "Resource": "*"})
    message = single_violation(run(replace(compliant_stack(), "audit-delivery-policy", policy=json.dumps(policy))))
    assert "does not allow logs:PutLogEvents" in message and "CreateLogStream" not in message, message


def test_role_policy_scoped_to_another_log_group_fails() -> None:
    other = "arn:aws:logs:us-east-1:123456789012:log-group:/other:log-stream:*"
    stack = replace(compliant_stack(), "audit-delivery-policy", policy=delivery_policy(other))
    message = single_violation(run(stack))
    assert "does not allow logs:CreateLogStream and logs:PutLogEvents" in message, message
    assert f'grant them on "{GROUP_ARN}:*"' in message, message


@pytest.mark.parametrize(
    ("action", "resource"),
    [("logs:*", "*"), ("*", f"{GROUP_ARN}:*"), ("Logs:Put*", f"{GROUP_ARN}:log-stream:*")],
)
def test_role_policy_with_wildcards_passes(action: str, resource: str) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": [action, "logs:CreateLogStream"], "Resource": [resource, f"{GROUP_ARN}:*"]}
        ],
    }
    stack = replace(compliant_stack(), "audit-delivery-policy", policy=json.dumps(policy))
    assert run(stack).calls == [], f"{TRAIL_URN} with {action} on {resource}"


def test_role_granted_through_a_managed_policy_attachment_passes() -> None:
    policy_arn = "arn:aws:iam::123456789012:policy/cloudtrail-delivery"
    stack = [
        *without(compliant_stack(), "audit-delivery-policy"),
        StackResource("aws:iam/policy:Policy", "delivery-policy", {"arn": policy_arn, "policy": delivery_policy()}),
        StackResource(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "delivery-attachment",
            {"role": ROLE_NAME, "policyArn": policy_arn},
        ),
    ]
    assert run(stack).calls == [], TRAIL_URN


def test_undeclared_attached_policy_is_named() -> None:
    managed = "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"
    stack = [
        *without(compliant_stack(), "audit-delivery-policy"),
        StackResource(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "managed-attachment",
            {"role": ROLE_NAME, "policyArn": managed},
        ),
    ]
    message = single_violation(run(stack))
    assert managed in message, message


def test_undeclared_role_fails_unless_allowed() -> None:
    stack = without(compliant_stack(), "audit-delivery-role", "audit-delivery-policy")
    assert f'role "{ROLE_NAME}" is not declared' in single_violation(run(stack))
    assert run(stack, {"allowedExternalRoleArns": [ROLE_ARN]}).calls == []


def test_role_inline_policy_on_the_role_resource_counts() -> None:
    stack = replace(
        without(compliant_stack(), "audit-delivery-policy"),
        "audit-delivery-role",
        inlinePolicies=[{"name": "deliver", "policy": delivery_policy()}],
    )
    assert run(stack).calls == [], TRAIL_URN


# --- preview --------------------------------------------------------------------------------------------


def preview_stack() -> list[StackResource]:
    """Preview of a first `pulumi up`: ARNs and the topic are unknown; the trail's log group is linked
    to its source only through property dependencies."""
    stack = replace(compliant_stack(), "audit-logs", arn=UNKNOWN_STRING)
    stack = replace(stack, "audit-delivery-role", arn=UNKNOWN_STRING)
    stack = replace(stack, "audit-delivery-policy", policy=UNKNOWN_STRING)
    stack = replace(stack, "audit-trail", cloudWatchLogsGroupArn=UNKNOWN_STRING, cloudWatchLogsRoleArn=UNKNOWN_STRING)
    for r in stack:
        if r.name.endswith("-alarm"):
            r.props["alarmActions"] = UNKNOWN_ARRAY
        if r.name == "audit-trail":
            r.property_dependencies = {
                "cloudWatchLogsGroupArn": ["audit-logs"],
                "cloudWatchLogsRoleArn": ["audit-delivery-role"],
            }
    return stack


def test_preview_with_unknown_arns_has_no_violation_and_no_generic_advisory() -> None:
    diagnostics = analyze_stack_through_sdk(ALARM_ON_CIS_EVENTS, preview_stack())
    assert diagnostics == [], [d.message for d in diagnostics]


def test_preview_still_judges_known_patterns_through_the_property_dependency() -> None:
    stack = [r for r in preview_stack() if r.name not in ("cis-4-9-filter", "cis-4-9-alarm")]
    diagnostics = analyze_stack_through_sdk(ALARM_ON_CIS_EVENTS, stack)
    assert len(diagnostics) == 1 and "CIS 4.9" in diagnostics[0].message, [d.message for d in diagnostics]
    assert diagnostics[0].urn == TRAIL_URN


def test_config_reaches_the_policy_through_the_sdk() -> None:
    stack = without(compliant_stack(), "cis-4-9-filter", "cis-4-9-alarm")
    assert analyze_stack_through_sdk(ALARM_ON_CIS_EVENTS, stack, {"requiredItems": ["4.1"]}) == []


def test_aws_native_log_group_and_filters_are_recognised() -> None:
    stack = [r for r in compliant_stack() if r.type != LOG_GROUP and not r.name.startswith("cis-")]
    stack.append(
        StackResource("aws-native:logs:LogGroup", "audit-logs", {"logGroupName": GROUP_NAME, "arn": f"{GROUP_ARN}:*"})
    )
    for item_id, metric, pattern in catalog_filters():
        slug = item_id.replace(".", "-")
        stack.append(
            StackResource(
                "aws-native:logs:MetricFilter",
                f"cis-{slug}-filter",
                {
                    "logGroupName": GROUP_NAME,
                    "filterPattern": pattern,
                    "metricTransformations": [{"metricName": metric, "metricNamespace": NAMESPACE, "metricValue": "1"}],
                },
            )
        )
        stack.append(
            StackResource(
                "aws-native:cloudwatch:Alarm",
                f"cis-{slug}-alarm",
                {"metricName": metric, "namespace": NAMESPACE, "alarmActions": [TOPIC_ARN]},
            )
        )
    assert run(stack).calls == [], TRAIL_URN
    broken = [r for r in stack if r.name != "cis-4-12-alarm"]
    assert "CIS 4.12" in single_violation(run(broken))


def test_filter_and_alarm_helper_matches_catalog_metric_names() -> None:
    # Guards the fixture itself: the alarm must watch the filter's metric, not the filter's name.
    f, a = filter_and_alarm("4.1", "UnauthorizedAPICalls", "{ $.errorCode = x }")
    assert a.props["metricName"] == f.props["metricTransformation"]["name"] != f.name


def organization_stack(resource: str) -> list[StackResource]:
    stack = replace(compliant_stack(), "audit-trail", isOrganizationTrail=True)
    return replace(stack, "audit-delivery-policy", policy=delivery_policy(resource))


def test_organization_trail_role_scoped_to_the_organization_streams_passes() -> None:
    # Organization trails write to streams named "o-<org id>_..." (facts file); a grant scoped there is right.
    assert run(organization_stack(f"{GROUP_ARN}:log-stream:o-a1b2c3d4e5_*")).calls == []
    assert run(organization_stack(f"{GROUP_ARN}:*")).calls == []


def test_organization_trail_role_scoped_to_the_account_streams_only_fails() -> None:
    message = single_violation(run(organization_stack(f"{GROUP_ARN}:log-stream:123456789012_CloudTrail_us-east-1*")))
    assert "does not allow logs:CreateLogStream and logs:PutLogEvents" in message, message

"""Resource policies on a single trail: CloudWatch Logs delivery (mandatory) and three companions.

Each policy judges every trail a resource declares (``trail_sources``): a trail resource, the
``AWS::CloudTrail::Trail`` resources of a CloudFormation template, a Cloud Control trail.

Rule for unknown values: a value that is only known once the update runs is never a violation and never
raises out of a validator (which would make the SDK print its "can't run policy during preview" advisory).
In a preview, the CLI runs the check again with the real value when ``pulumi up`` registers the trail. In
an update (``run_mode``) every input is known, so the mandatory policy cannot have seen such a value: it
answers ``not_applicable`` with a reason starting ``NOT JUDGED: `` (the contract with cloudtrail-check),
and does the same for a template it cannot read. A CloudFormation intrinsic function (``DEPLOY_TIME``) is
set, resolved by CloudFormation: present for the mandatory policy, not judged by the companions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from . import metadata
from .arns import ArnError, LogGroupArn, RoleArn, check_kms_key, parse_log_group_arn, parse_role_arn
from .member_account import member_view, provider_guards_account, trail_owner
from .properties import MISSING, UNKNOWN, Value, abridge, as_bool, describe, is_unresolved, quote, read
from .remediation import remediate_log_file_validation, remediate_multi_region
from .run_mode import is_preview
from .trail_fields import (
    DEFAULT_GLOBAL_SERVICE_EVENTS,
    DEFAULT_INCLUDE_MANAGEMENT_EVENTS,
    DEFAULT_LOG_FILE_VALIDATION,
    DEFAULT_MULTI_REGION,
    DEFAULT_READ_WRITE_TYPE,
    TrailFields,
)
from .trail_sources import TrailSighting, TrailView, trails_in

LOG_GROUP_FORM = "arn:<partition>:logs:<region>:<account>:log-group:<name>:*"
ROLE_FORM = "arn:<partition>:iam::<account>:role/<name>"


NOT_JUDGED = "NOT JUDGED: "
"""How the mandatory policy's ``not_applicable`` reasons start when it could not judge a trail it was shown."""


def _exempt(args: ResourceValidationArgs, view: TrailView) -> bool:
    exempt = args.get_config().get("exemptTrailNames") or []
    return isinstance(exempt, list) and (args.name in exempt or view.name in exempt)


def _quote_values(args: ResourceValidationArgs) -> bool:
    return args.get_config().get("quoteValues", True) is not False


def _trails(args: ResourceValidationArgs) -> tuple[TrailView, ...]:
    sighting = trails_in(args.resource_type, args.props, args.name)
    return () if sighting is None else sighting.trails


def _label(view: TrailView) -> str:
    return metadata.trail_label(view.name) + view.where


def _shown(field: str, value: Value, quote_values: bool) -> str:
    if quote_values and isinstance(value, str) and value:
        return f"{field} {quote(value)}"
    return field


# --- cloudtrail-trail-deliver-to-cloudwatch-logs ---------------------------------------------------


def _malformed(field: str, value: str, form: str, error: ArnError, quote_values: bool) -> str:
    if not quote_values:
        # ARN errors name the offending part of the value, which quoteValues false must keep hidden.
        return f"{field} is not of the form {form}"
    return f"{_shown(field, value, quote_values)} {abridge(str(error), 400)}"


def _log_group_problem(field: str, value: Value, quote_values: bool) -> tuple[str | None, LogGroupArn | None]:
    if is_unresolved(value):
        return None, None
    if not isinstance(value, str) or value == "":
        return (
            f"{field} is {describe(value)}; it must be the log group's ARN in the form {LOG_GROUP_FORM}",
            None,
        )
    try:
        return None, parse_log_group_arn(value)
    except ArnError as error:
        return _malformed(field, value, LOG_GROUP_FORM, error, quote_values), None


def _role_problem(field: str, value: Value, quote_values: bool) -> tuple[str | None, RoleArn | None]:
    if is_unresolved(value):
        return None, None
    if not isinstance(value, str) or value == "":
        return (
            f"{field} is {describe(value)}; CloudTrail needs a role ARN ({ROLE_FORM}) together with the log group",
            None,
        )
    try:
        return None, parse_role_arn(value)
    except ArnError as error:
        return _malformed(field, value, ROLE_FORM, error, quote_values), None


def _member_view_hint(args: ResourceValidationArgs, fields: TrailFields) -> str:
    """For an organization trail the stack may only read, whose stack account the pack could not learn."""
    if read(args.props, fields.organization_trail) is not True or provider_guards_account(args.provider):
        return ""
    owner = trail_owner(args.props)
    if owner is None:
        return ""
    return (
        f"\nIf this stack only reads this organization trail of account {owner} from another account, it is "
        "judged in the stack that creates it: give the AWS provider allowedAccountIds (or assumeRoles) so the "
        "pack can tell."
    )


def _delivery_problems(view: TrailView, quote_values: bool) -> list[str]:
    fields = view.fields
    group_value, role_value = read(view.props, fields.log_group_arn), read(view.props, fields.role_arn)
    group_problem, group = _log_group_problem(_field_name(view, fields.log_group_arn), group_value, quote_values)
    role_problem, role = _role_problem(_field_name(view, fields.role_arn), role_value, quote_values)
    problems = [p for p in (group_problem, role_problem) if p]
    if group is not None and role is not None and group.partition != role.partition:
        if quote_values:
            problems.append(
                f'the log group is in the partition "{group.partition}" and the role in "{role.partition}"; '
                "both must be in the trail's partition"
            )
        else:
            problems.append("the log group and the role are in different partitions; both must be in the trail's")
    return problems


def _delivery_unseen(view: TrailView, preview: bool) -> list[str]:
    """Why the delivery of this trail could not be judged (empty when it could)."""
    unseen = []
    for field in (view.fields.log_group_arn, view.fields.role_arn):
        name = _field_name(view, field)
        if read(view.props, field) is UNKNOWN and not preview:
            # In an update every input is known by the time it is analysed: an unknown one was not seen.
            unseen.append(f"{name} is not known outside a preview, so its value was not seen")
        if field in view.conditional:
            unseen.append(f"{name} is set only under a template condition (Fn::If with AWS::NoValue)")
    return unseen


def _sighting_unseen(args: ResourceValidationArgs, sighting: TrailSighting, preview: bool) -> list[str]:
    if sighting.unreadable is None or (sighting.pending and preview):
        return []  # in a preview, a value not known yet is judged when the update registers it
    return [f'"{args.name}" ({args.resource_type}): {sighting.unreadable}']


def validate_delivers_to_cloudwatch_logs(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    sighting = trails_in(args.resource_type, args.props, args.name)
    if sighting is None:
        return
    quote_values, preview = _quote_values(args), is_preview()
    unseen = _sighting_unseen(args, sighting, preview)
    messages = []
    for view in sighting.trails:
        if view.own_resource and member_view(args) is not None:
            continue  # a trail this stack only reads, of another account; the note policy says so
        problems = _delivery_problems(view, quote_values)
        if problems:
            hint = _member_view_hint(args, view.fields) if view.own_resource else ""
            messages.append(_delivery_message(view, problems) + hint)
        unseen += [f"{_label(view)}: {why}" for why in _delivery_unseen(view, preview)]
    if not messages:
        if unseen:
            args.not_applicable(NOT_JUDGED + "; ".join(unseen))
        return
    if unseen:
        messages[-1] += "\nAlso not judged: " + "; ".join(unseen)
    for message in messages:
        report_violation(message, None)


def _delivery_message(view: TrailView, problems: list[str]) -> str:
    fields = view.fields
    return (
        f"{_label(view)} must deliver its events to a CloudWatch Logs log group through an IAM role "
        f"(Security Hub CloudTrail.5, CIS 3.4):\n{metadata.problem_list(problems)}\n"
        f"Fix: {metadata.COMPONENT_HINT}; or set {_field_name(view, fields.log_group_arn)} to the log group's ARN "
        f'followed by ":*" and {_field_name(view, fields.role_arn)} to the ARN of a role that '
        "cloudtrail.amazonaws.com may assume and that allows logs:CreateLogStream and logs:PutLogEvents on that "
        "log group."
    )


def _field_name(view: TrailView, field: str) -> str:
    """The property as the user wrote it: aws-native's name, or CloudFormation's in a template."""
    if view.own_resource:
        return field
    return "KMSKeyId" if field == "kmsKeyId" else field[:1].upper() + field[1:]


# --- cloudtrail-trail-enable-multi-region ----------------------------------------------------------


def _management_events_problem(view: TrailView) -> str | None:
    fields = view.fields
    selectors = read(view.props, fields.event_selectors)
    advanced = read(view.props, fields.advanced_event_selectors)
    if is_unresolved(selectors) or is_unresolved(advanced):
        return None
    if isinstance(advanced, list) and advanced:
        if any(_advanced_selector_records_all_management(s) for s in advanced):
            return None
        return (
            f"no entry of {_field_name(view, fields.advanced_event_selectors)} records all management events: one "
            'needs eventCategory equals ["Management"] and no readOnly or eventSource field selector'
        )
    if isinstance(selectors, list) and selectors:
        if any(_selector_records_all_management(s) for s in selectors):
            return None
        return (
            f"no entry of {_field_name(view, fields.event_selectors)} records all management events: one needs "
            'readWriteType "All", includeManagementEvents true and no excludeManagementEventSources'
        )
    return None


def _selector_records_all_management(selector: Any) -> bool:
    if not isinstance(selector, Mapping):
        return False
    read_write = selector.get("readWriteType", DEFAULT_READ_WRITE_TYPE)
    include = selector.get("includeManagementEvents", DEFAULT_INCLUDE_MANAGEMENT_EVENTS)
    excluded = selector.get("excludeManagementEventSources") or []
    return read_write in (None, "All") and include in (None, True) and not excluded


def _advanced_selector_records_all_management(selector: Any) -> bool:
    if not isinstance(selector, Mapping):
        return False
    field_selectors = selector.get("fieldSelectors") or []
    if not isinstance(field_selectors, list):
        return False
    # Only strings name fields; a list or object there (unhashable) must not fail the whole Analyze call.
    named = [fs for fs in field_selectors if isinstance(fs, Mapping) and isinstance(fs.get("field"), str)]
    fields = {fs["field"]: fs for fs in named}
    category = fields.get("eventCategory")
    if category is None or category.get("equals") != ["Management"]:
        return False
    return "readOnly" not in fields and "eventSource" not in fields


def _expect_true(field: str, value: Value, default: bool) -> str | None:
    flag = as_bool(value, default)
    if flag is True or flag is UNKNOWN:
        return None
    if flag is False:
        source = "defaults to false" if value is MISSING else "is false"
        return f"{field} {source}; it must be true"
    return f"{field} is {describe(value)}; it must be the boolean true"


def validate_multi_region(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    for view in _trails(args):
        if not _exempt(args, view):
            _judge_multi_region(args, view, report_violation)


def _judge_multi_region(args: ResourceValidationArgs, view: TrailView, report_violation: ReportViolation) -> None:
    fields, props = view.fields, view.props
    multi_region, global_events = (
        _field_name(view, fields.multi_region),
        _field_name(view, fields.global_service_events),
    )
    problems = [
        _expect_true(multi_region, read(props, fields.multi_region), DEFAULT_MULTI_REGION),
        _expect_true(global_events, read(props, fields.global_service_events), DEFAULT_GLOBAL_SERVICE_EVENTS),
    ]
    if args.get_config().get("requireAllManagementEvents", True) is not False:
        problems.append(_management_events_problem(view))
    found = [p for p in problems if p]
    if found:
        listed = metadata.problem_list(found)
        report_violation(
            f"{_label(view)} must record read and write management events in every region, including "
            f"global service events (Security Hub CloudTrail.1):\n{listed}\n"
            f"Fix: set {multi_region} and {global_events} to true and keep the event "
            "selectors' management events unfiltered (or use compliant_cloudtrail.CompliantTrail).",
            None,
        )


# --- cloudtrail-trail-enable-log-file-validation ---------------------------------------------------


def validate_log_file_validation(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    for view in _trails(args):
        if _exempt(args, view):
            continue
        field = _field_name(view, view.fields.log_file_validation)
        problem = _expect_true(field, read(view.props, view.fields.log_file_validation), DEFAULT_LOG_FILE_VALIDATION)
        if problem:
            report_violation(
                f"{_label(view)} must write signed digest files so tampering with delivered logs shows "
                f"(Security Hub CloudTrail.4): {problem}.\nFix: set {field} to true.",
                None,
            )


# --- cloudtrail-trail-enable-kms-encryption --------------------------------------------------------


def _kms_problem(field: str, value: Value, quote_values: bool) -> str | None:
    if is_unresolved(value):
        return None
    if not isinstance(value, str) or value == "":
        return f"{field} is {describe(value)}"
    try:
        check_kms_key(value)
    except ArnError as error:
        if not quote_values:
            # The error names the offending part of the value, which quoteValues false must keep hidden.
            return f"{field} is not a KMS key ARN, an alias ARN, a key id or an alias name"
        return f"{field} {quote(value)} {error}"
    return None


def validate_kms_encryption(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    quote_values = _quote_values(args)
    for view in _trails(args):
        if _exempt(args, view):
            continue
        field = _field_name(view, view.fields.kms_key)
        problem = _kms_problem(field, read(view.props, view.fields.kms_key), quote_values)
        if problem:
            report_violation(
                f"{_label(view)} must encrypt its log files with a KMS key (Security Hub CloudTrail.2): "
                f"{problem}.\nFix: set {field} to the ARN of a customer managed KMS key whose key "
                "policy lets cloudtrail.amazonaws.com use kms:GenerateDataKey* and kms:DescribeKey.",
                None,
            )


# --- the policy objects ----------------------------------------------------------------------------

_QUOTE_SCHEMA: dict[str, dict[str, Any]] = {
    "quoteValues": {
        "type": "boolean",
        "default": True,
        "description": "Quote offending values (abridged to 120 characters) in this policy's violation messages. "
        "Set to false if your ARNs or key ids are secrets: the pack cannot tell secret inputs apart.",
    }
}

_EXEMPT_SCHEMA: dict[str, dict[str, Any]] = {
    "exemptTrailNames": {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        "description": "Names of trails this policy skips (for example a data-events-only trail): the Pulumi "
        "resource name, or a trail's logical id in a CloudFormation template.",
    }
}


def _policy(
    name: str,
    description: str,
    validate: Callable[[ResourceValidationArgs, ReportViolation], None],
    level: EnforcementLevel,
    severity: Severity,
    control: str,
    specification: str,
    remediation: str,
    schema: dict[str, dict[str, Any]],
    remediate: Callable[[ResourceValidationArgs], Mapping[str, Any] | None] | None = None,
) -> ResourceValidationPolicy:
    return ResourceValidationPolicy(
        name=name,
        description=description,
        validate=validate,
        # pulumi-policy's ResourceRemediation hint says Awaitable, but its Remediate takes a plain mapping as
        # well (policy.py: "elif result is not None: new_props = result").
        remediate=remediate,  # type: ignore[arg-type]
        enforcement_level=level,
        config_schema=PolicyConfigSchema(properties=schema),
        severity=severity,
        framework=metadata.security_hub(control, specification),
        tags=["cloudtrail", control],
        remediation_steps=remediation,
        url=metadata.control_url(control),
    )


DELIVER_TO_CLOUDWATCH_LOGS = _policy(
    "cloudtrail-trail-deliver-to-cloudwatch-logs",
    "CloudTrail trails must deliver their events to a CloudWatch Logs log group through an IAM role.",
    validate_delivers_to_cloudwatch_logs,
    EnforcementLevel.MANDATORY,
    Severity.LOW,
    "CloudTrail.5",
    "CloudTrail trails should be integrated with Amazon CloudWatch Logs (CIS AWS Foundations v1.4.0 3.4).",
    "Use compliant_cloudtrail.CompliantTrail, or set the trail's CloudWatch Logs log group ARN to the log group's ARN "
    'followed by ":*" and its CloudWatch Logs role ARN to an IAM role that cloudtrail.amazonaws.com can '
    "assume and that allows logs:CreateLogStream and logs:PutLogEvents on that log group.",
    _QUOTE_SCHEMA,
)

ENABLE_MULTI_REGION = _policy(
    "cloudtrail-trail-enable-multi-region",
    "CloudTrail trails must be multi-region, include global service events and record all management events.",
    validate_multi_region,
    EnforcementLevel.ADVISORY,
    Severity.HIGH,
    "CloudTrail.1",
    "CloudTrail should be enabled and configured with at least one multi-Region trail that includes read "
    "and write management events.",
    "Set isMultiRegionTrail and includeGlobalServiceEvents to true and do not filter management events out "
    "with event selectors.",
    {
        **_EXEMPT_SCHEMA,
        "requireAllManagementEvents": {
            "type": "boolean",
            "default": True,
            "description": "Also require the event selectors to record read and write management events "
            "without excluded event sources.",
        },
    },
    remediate_multi_region,
)

ENABLE_LOG_FILE_VALIDATION = _policy(
    "cloudtrail-trail-enable-log-file-validation",
    "CloudTrail trails must have log file integrity validation enabled.",
    validate_log_file_validation,
    EnforcementLevel.ADVISORY,
    Severity.LOW,
    "CloudTrail.4",
    "CloudTrail log file validation should be enabled.",
    "Set enableLogFileValidation to true on the trail.",
    _EXEMPT_SCHEMA,
    remediate_log_file_validation,
)

ENABLE_KMS_ENCRYPTION = _policy(
    "cloudtrail-trail-enable-kms-encryption",
    "CloudTrail trails must encrypt their log files with a KMS key.",
    validate_kms_encryption,
    EnforcementLevel.ADVISORY,
    Severity.MEDIUM,
    "CloudTrail.2",
    "CloudTrail should have encryption at-rest enabled.",
    "Set kmsKeyId to a customer managed KMS key whose key policy allows cloudtrail.amazonaws.com to use "
    "kms:GenerateDataKey* (with the aws:cloudtrail:arn encryption context) and kms:DescribeKey.",
    {**_EXEMPT_SCHEMA, **_QUOTE_SCHEMA},
)

TRAIL_POLICIES = (
    DELIVER_TO_CLOUDWATCH_LOGS,
    ENABLE_MULTI_REGION,
    ENABLE_LOG_FILE_VALIDATION,
    ENABLE_KMS_ENCRYPTION,
)

__all__ = [
    "DELIVER_TO_CLOUDWATCH_LOGS",
    "ENABLE_KMS_ENCRYPTION",
    "ENABLE_LOG_FILE_VALIDATION",
    "ENABLE_MULTI_REGION",
    "TRAIL_POLICIES",
]

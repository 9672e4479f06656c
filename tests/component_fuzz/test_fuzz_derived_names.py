"""Property 5: every name the component derives is one AWS accepts, or the input is refused at preview.

The derived names are computed here the way the component builds them (Pulumi's autonaming: the logical
name, '-' and 7 random hex digits; the bucket's lowercased), and judged by AWS's rules written out below
from the API reference pages, sharing nothing with ``compliant_cloudtrail.component.naming``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from compliant_cloudtrail.component import InvalidArgumentError
from compliant_cloudtrail.component.catalog import load_catalog
from compliant_cloudtrail.component.naming import key_alias
from compliant_cloudtrail.component.validation import validate_args

from .aws_rules import ASCII_ALNUM, is_bucket_name, is_trail_name

FUZZ = settings(deadline=None, max_examples=300)
TOPIC_ARN = "arn:aws:sns:eu-west-1:111122223333:secops"
COMPONENT_NAME = "the component's name"
METRICS = sorted({f.metric_name for item in load_catalog().items for f in item.filters})


def iam_ok(name: str, max_length: int) -> bool:
    # CreateRole (RoleName, 64) and PutRolePolicy (PolicyName, 128): letters, digits and _+=,.@-
    return 1 <= len(name) <= max_length and all(c in ASCII_ALNUM + "_+=,.@-" for c in name)


def topic_ok(name: str) -> bool:
    # CreateTopic (Name): ASCII letters, numbers, underscores and hyphens, 1 to 256 characters.
    return 1 <= len(name) <= 256 and all(c in ASCII_ALNUM + "_-" for c in name)


def alias_ok(name: str) -> bool:
    # CreateAlias (AliasName): alias/ then letters, digits, '/', '_', '-'; at most 256; alias/aws/ is reserved.
    rest = name.removeprefix("alias/")
    return (name != rest and 0 < len(name) <= 256 and all(c in ASCII_ALNUM + "/_-" for c in rest)
            and not name.startswith("alias/aws/"))


def log_group_ok(name: str) -> bool:
    # CreateLogGroup (logGroupName): 1 to 512 of letters, digits and '_-/.#'; "aws/" is reserved.
    return 1 <= len(name) <= 512 and all(c in ASCII_ALNUM + "_-/.#" for c in name) and not name.startswith("aws/")


def filter_and_alarm_ok(name: str) -> bool:
    # PutMetricFilter: at most 512, no ':' or '*'. PutMetricAlarm: at most 255, no control characters.
    return len(name) <= 255 and ":" not in name and "*" not in name and all(ord(c) >= 32 for c in name)


@dataclass(frozen=True)
class Derived:
    kind: str
    """As the component's message words it."""
    prefix: str
    """The name up to its random part (all of it when there is none)."""
    valid: bool
    from_component_name: bool


def derive(component: str, args: dict[str, Any], random: str) -> list[Derived]:
    trail = args.get("trail_name", component)
    names = [Derived("CloudTrail trail", trail, is_trail_name(trail), "trail_name" not in args)]
    log_group = args.get("log_group_name", f"/aws/cloudtrail/{trail}")
    names.append(Derived("CloudWatch Logs log group", log_group, log_group_ok(log_group), False))
    if args.get("enable_kms", True):
        names.append(Derived("KMS alias", key_alias(trail), alias_ok(key_alias(trail)), "trail_name" not in args))
    if "bucket_name" not in args:
        bucket = f"{component.lower()}-logs-"
        names.append(Derived("S3 bucket", bucket, is_bucket_name(bucket + random), True))
    role, policy = f"{component}-delivery-role-", f"{component}-delivery-policy-"
    names.append(Derived("IAM role", role, iam_ok(role + random, 64), True))
    names.append(Derived("IAM role policy", policy, iam_ok(policy + random, 128), True))
    if "existing_alarm_topic_arn" not in args:
        topic = f"{component}-alarms-"
        names.append(Derived("SNS topic", topic, topic_ok(topic + random), True))
    names += [Derived("metric filter", f"{trail}-{m}", filter_and_alarm_ok(f"{trail}-{m}"), False) for m in METRICS]
    return names


component_names = st.one_of(
    st.text("abcXY019._-", min_size=1, max_size=20),  # '.' is fine for IAM and S3, not for SNS
    st.text("abc019-@+=,", min_size=1, max_size=20),  # fine for IAM, not for SNS or S3
    st.text("abc019-", min_size=38, max_size=48),  # around the IAM role's limit of 42
    st.text("abcXY019._-@+=,#/ é", min_size=1, max_size=20),
)
_trail_segments = st.text("abcXY019", min_size=1, max_size=8)
trail_names = st.one_of(
    st.lists(_trail_segments, min_size=1, max_size=4).map(".".join).filter(lambda name: len(name) >= 3),
    st.lists(_trail_segments, min_size=1, max_size=4).map("-".join).filter(lambda name: len(name) >= 3),
    st.text("tT", min_size=126, max_size=129),
    st.text("abcXY019._-:", min_size=1, max_size=20),
)
log_group_names = st.one_of(st.text("abcXY019/._-#", min_size=1, max_size=30),
                            st.text("abc/._-#:* ", min_size=1, max_size=20))


@st.composite
def calls(draw: st.DrawFn) -> tuple[str, dict[str, Any], str]:
    component = draw(component_names)
    args: dict[str, Any] = {}
    # In eighths, how often each is set: trail_name and bucket_name mostly, so that the component's name is
    # seldom judged first as a trail or a bucket name (their own checks), and reaches the names it derives.
    for argument, values, eighths in (("trail_name", trail_names, 7), ("log_group_name", log_group_names, 4),
                                      ("bucket_name", st.just("audit-logs"), 6),
                                      ("existing_alarm_topic_arn", st.just(TOPIC_ARN), 2),
                                      ("enable_kms", st.just(False), 4)):
        if draw(st.integers(0, 7)) < eighths:
            args[argument] = draw(values)
    return component, args, draw(st.text("0123456789abcdef", min_size=7, max_size=7))


@FUZZ
@given(call=calls())
def test_every_derived_name_is_one_aws_accepts_or_the_input_is_refused(call: tuple[str, dict[str, Any], str]) -> None:
    component, args, random = call
    derived = derive(component, args, random)
    try:
        validate_args(component, args)
    except InvalidArgumentError as error:
        message = str(error)
        if error.argument != COMPONENT_NAME:
            # The argument's own rule; trail_name and bucket_name are also named when their defaults, made from
            # the component's name, break.
            assert error.argument in {*args, "trail_name", "bucket_name"}, message
            assert repr(error.argument) in message, message
            return
        breaking = [d for d in derived if d.from_component_name and not d.valid]
        assert breaking, f"refused {component!r} though every name made from it is valid: {message}"
        assert any(f"{d.kind} name {repr(d.prefix)[:-1][:20]}" in message for d in breaking), message
        assert "refuses (allowed: " in message, message
    else:
        invalid = [d for d in derived if not d.valid]
        assert not invalid, f"accepted {component!r} {args}; AWS refuses {invalid[0]}"

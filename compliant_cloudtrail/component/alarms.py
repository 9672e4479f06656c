"""The alarm side: the SNS topic, and one metric filter with one alarm per selected CIS item wording.

The CIS recipe for every alarm: Sum over 300 s, threshold 1, GreaterThanOrEqualToThreshold, one
evaluation period, missing data not breaching (no events is the good case), action = the topic;
``alarm_settings`` tunes the evaluation per item, never the statistic, the comparison or the pattern.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .aws_context import AwsContext
from .catalog import load_catalog, select_filters
from .naming import filter_name
from .policy_documents import alarm_topic_policy
from .settings import AlarmSettings, TrailSettings


@dataclass(frozen=True)
class AlarmSpec:
    """What one filter-and-alarm pair needs, whether it comes from the catalog or the user."""

    resource_name: str
    metric_name: str
    pattern: str
    description: str
    evaluation: AlarmSettings


@dataclass(frozen=True)
class Alarms:
    topic_arn: pulumi.Output[str]
    cis_alarm_arns: dict[str, dict[str, pulumi.Output[str]]]
    """Item id -> wording -> alarm ARN."""
    custom_alarm_arns: dict[str, pulumi.Output[str]]


def create_alarm_topic(
    name: str, parent: pulumi.Resource, context: AwsContext, settings: TrailSettings,
    key_arn: pulumi.Output[str] | None,
) -> pulumi.Output[str]:
    if settings.existing_alarm_topic_arn is not None:
        # A topic the user brings keeps its own policy; only subscriptions are added to it.
        topic_arn = pulumi.Output.from_input(settings.existing_alarm_topic_arn)
    else:
        topic = aws.sns.Topic(
            f"{name}-alarms",
            # A customer managed key: alarms cannot publish to a topic under the AWS-managed alias/aws/sns.
            kms_master_key_id=key_arn,
            tags=settings.tags,
            opts=pulumi.ResourceOptions(parent=parent),
        )
        aws.sns.TopicPolicy(
            f"{name}-alarms-policy",
            arn=topic.arn,
            policy=pulumi.Output.json_dumps(alarm_topic_policy(context, topic.arn)),
            opts=pulumi.ResourceOptions(parent=parent),
        )
        topic_arn = topic.arn
        if not settings.alarm_emails and not settings.alarm_subscriptions:
            pulumi.log.warn(
                f"CompliantTrail {name!r}: the alarm topic has no subscriber, so nobody hears the alarms; Security "
                "Hub and CIS want at least one confirmed subscriber. Set alarm_emails or alarm_subscriptions.",
                resource=parent,
            )
    _subscribe(name, parent, settings, topic_arn)
    return topic_arn


def _subscribe(name: str, parent: pulumi.Resource, settings: TrailSettings, topic_arn: pulumi.Output[str]) -> None:
    child = pulumi.ResourceOptions(parent=parent)
    # Named by address, not position: removing one email must not re-create (and re-confirm) the others.
    for index, email in enumerate(settings.alarm_emails):
        # An address unknown at preview (an Output) can only be named by its position.
        label = email if isinstance(email, str) else str(index)
        aws.sns.TopicSubscription(f"{name}-alarm-email-{label}", topic=topic_arn, protocol="email",
                                  endpoint=email, opts=child)
    for index, (protocol, endpoint) in enumerate(settings.alarm_subscriptions):
        # Named by what it delivers to, so removing one does not re-create the ones after it; the alias adopts
        # subscriptions that earlier versions named by position. An Output endpoint is unknown at preview: it
        # keeps its position in the name.
        by_position = f"{name}-alarm-subscription-{index}"
        opts = child
        if isinstance(endpoint, str):
            opts = pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(aliases=[pulumi.Alias(name=by_position)]))
        # A digest, not the endpoint itself: URLs and ARNs may hold what a resource name should not ('::').
        resource_name = (f"{name}-alarm-{protocol}-{hashlib.sha256(endpoint.encode()).hexdigest()[:12]}"
                         if isinstance(endpoint, str) else by_position)
        aws.sns.TopicSubscription(resource_name, topic=topic_arn, protocol=protocol, endpoint=endpoint, opts=opts)


def create_alarms(
    name: str,
    parent: pulumi.Resource,
    settings: TrailSettings,
    log_group_name: pulumi.Output[str],
    topic_arn: pulumi.Output[str],
) -> Alarms:
    cis_alarm_arns: dict[str, dict[str, pulumi.Output[str]]] = {}
    for selected in select_filters(load_catalog(), settings.cis_profiles, settings.disabled_cis_items):
        item, catalog_filter = selected.item, selected.filter
        control = f" / Security Hub {item.security_hub_control}" if item.security_hub_control else ""
        spec = AlarmSpec(
            resource_name=f"{name}-{catalog_filter.metric_name}",
            metric_name=catalog_filter.metric_name,
            pattern=catalog_filter.pattern,
            description=f"CIS {item.id}{control}: {item.title} ({catalog_filter.wording} wording) in "
                        f"CloudTrail trail {settings.trail_name}.",
            evaluation=settings.alarm_settings.get(item.id, AlarmSettings()),
        )
        alarm = _filter_and_alarm(parent, settings, spec, log_group_name, topic_arn)
        cis_alarm_arns.setdefault(item.id, {})[catalog_filter.wording] = alarm.arn

    custom_alarm_arns = {}
    for custom in settings.custom_filters:
        spec = AlarmSpec(resource_name=f"{name}-custom-{custom.name}", metric_name=custom.name,
                         pattern=custom.pattern, description=custom.description,
                         evaluation=settings.alarm_settings.get(custom.name, AlarmSettings()))
        custom_alarm_arns[custom.name] = _filter_and_alarm(parent, settings, spec, log_group_name, topic_arn).arn
    return Alarms(topic_arn=topic_arn, cis_alarm_arns=cis_alarm_arns, custom_alarm_arns=custom_alarm_arns)


def _filter_and_alarm(
    parent: pulumi.Resource,
    settings: TrailSettings,
    spec: AlarmSpec,
    log_group_name: pulumi.Output[str],
    topic_arn: pulumi.Output[str],
) -> aws.cloudwatch.MetricAlarm:
    child = pulumi.ResourceOptions(parent=parent)
    # One name for the filter and its metric (naming.filter_name): Trivy links alarm and filter by it, and in a
    # log group the user brings it carries the trail's name, so no one else's filter is overwritten.
    name = filter_name(settings.trail_name, settings.creates_log_group, spec.metric_name)
    metric_filter = aws.cloudwatch.LogMetricFilter(
        spec.resource_name,
        name=name,
        log_group_name=log_group_name,
        pattern=spec.pattern,
        metric_transformation={"name": name, "namespace": settings.metric_namespace, "value": "1"},
        opts=child,
    )
    # The alarm watches the filter's *metric* (name and namespace), read from the filter so the two cannot drift.
    transformation = metric_filter.metric_transformation
    return aws.cloudwatch.MetricAlarm(
        f"{spec.resource_name}-alarm",
        name=f"{settings.trail_name}-{spec.metric_name}",
        alarm_description=spec.description,
        metric_name=transformation.name,
        namespace=transformation.namespace,
        statistic="Sum",
        period=spec.evaluation.period,
        threshold=spec.evaluation.threshold,
        comparison_operator="GreaterThanOrEqualToThreshold",
        evaluation_periods=spec.evaluation.evaluation_periods,
        datapoints_to_alarm=spec.evaluation.datapoints_to_alarm,
        treat_missing_data=spec.evaluation.treat_missing_data,
        alarm_actions=[topic_arn],
        tags=settings.tags,
        opts=child,
    )

"""What the users of comparable tools ask for (issue "what the anchors' users ask for"): alarm tuning per item,
filters scanners can link to their alarms, storage-class transitions of log files."""

from __future__ import annotations

from typing import Any

import pytest

from compliant_cloudtrail.component import InvalidArgumentError

from .conftest import ALARM, METRIC_FILTER, Build, Deployment

RECIPE = {"statistic": "Sum", "period": 300, "threshold": 1, "evaluationPeriods": 1,
          "comparisonOperator": "GreaterThanOrEqualToThreshold", "treatMissingData": "notBreaching"}
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"


def evaluation(alarm: Any) -> dict[str, Any]:
    return {key: alarm.inputs.get(key) for key in (*RECIPE, "datapointsToAlarm")}


def item_of(alarm: Any) -> str:
    return str(alarm.inputs["alarmDescription"]).split()[1].rstrip(":")  # "CIS 4.1 / Security Hub ..."


def test_tuning_4_1_changes_exactly_its_alarms_and_no_pattern(build: Build) -> None:
    untuned = build()
    tuned = build({"alarm_settings": {"4.1": {"threshold": 5, "period": 900, "evaluation_periods": 3,
                                              "datapoints_to_alarm": 2, "treat_missing_data": "ignore"}}})
    for alarm in tuned.all(ALARM):
        if item_of(alarm) == "4.1":
            assert evaluation(alarm) == {**RECIPE, "threshold": 5, "period": 900, "evaluationPeriods": 3,
                                         "datapointsToAlarm": 2, "treatMissingData": "ignore"}, alarm.urn
        else:
            assert evaluation(alarm) == {**RECIPE, "datapointsToAlarm": None}, alarm.urn
    assert any(item_of(a) == "4.1" for a in tuned.all(ALARM))
    patterns = {f.name: f.inputs["pattern"] for f in untuned.all(METRIC_FILTER)}
    assert {f.name: f.inputs["pattern"] for f in tuned.all(METRIC_FILTER)} == patterns


def test_a_custom_filter_is_tuned_by_its_name(build: Build) -> None:
    deployment = build({"custom_filters": [{"name": "RootKeyUsed", "pattern": '{ $.userIdentity.type = "Root" }'}],
                        "alarm_settings": {"RootKeyUsed": {"threshold": 2}}})
    [alarm] = [a for a in deployment.all(ALARM) if a.inputs["metricName"] == "RootKeyUsed"]
    assert alarm.inputs["threshold"] == 2 and alarm.inputs["period"] == 300


@pytest.mark.parametrize(("settings", "argument", "allowed"), [
    # "PutMetricAlarm": Period 10, 20, 30 or a multiple of 60; 10-30 for high-resolution metrics only.
    ({"4.1": {"period": 30}}, "alarm_settings['4.1'].period", "multiple of 60"),
    # "PutMetricAlarm": Period x EvaluationPeriods at most 86,400 s for periods under an hour.
    ({"4.1": {"period": 600, "evaluation_periods": 145}}, "alarm_settings['4.1'].evaluation_periods", "86400"),
    ({"4.1": {"period": 3600, "evaluation_periods": 169}}, "alarm_settings['4.1'].evaluation_periods", "604800"),
    ({"4.1": {"evaluation_periods": 2, "datapoints_to_alarm": 3}}, "alarm_settings['4.1'].datapoints_to_alarm",
     "1 to evaluation_periods"),
    ({"4.1": {"treat_missing_data": "zero"}}, "alarm_settings['4.1'].treat_missing_data", "notBreaching"),
    ({"4.1": {"statistic": "Average"}}, "alarm_settings['4.1'].statistic", "allowed keys"),
    ({"4.16": {"threshold": 2}}, "alarm_settings['4.16']", "CIS item ids"),
])
def test_alarm_settings_cloudwatch_refuses_are_refused_at_preview(
    build: Build, settings: dict[str, Any], argument: str, allowed: str
) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        build({"alarm_settings": settings})
    assert raised.value.argument == argument, str(raised.value)
    assert allowed in str(raised.value)
    # The edges AWS accepts are accepted.
    build({"alarm_settings": {"4.1": {"period": 600, "evaluation_periods": 144, "datapoints_to_alarm": 144}}})
    build({"alarm_settings": {"4.1": {"period": 3600, "evaluation_periods": 168}}})


def scanner_links(deployment: Deployment) -> dict[str, tuple[bool, bool]]:
    """Per filter: does Trivy find its alarm (trivy-checks lib/cloud/aws_trails.rego: an alarm whose metric name
    equals the filter's *name*), and does Prowler (an alarm whose metric name equals the filter's metric
    transformation name, in the same namespace)?"""
    alarms = [(a.inputs["metricName"], a.inputs["namespace"]) for a in deployment.all(ALARM)]
    links = {}
    for metric_filter in deployment.all(METRIC_FILTER):
        transformation = metric_filter.inputs["metricTransformation"]
        trivy = any(metric == metric_filter.inputs["name"] for metric, _ in alarms)
        prowler = (transformation["name"], transformation["namespace"]) in alarms
        links[metric_filter.inputs["name"]] = (trivy, prowler)
    return links


def test_trivy_and_prowler_both_link_every_filter_to_its_alarm(build: Build) -> None:
    links = scanner_links(build({"custom_filters": [{"name": "GuardDutyOff",
                                                     "pattern": '{ $.eventName = "DeleteDetector" }'}]}))
    assert len(links) == 18
    assert links == dict.fromkeys(links, (True, True))


def test_log_files_move_to_cheaper_storage_in_s3s_order(build: Build) -> None:
    deployment = build({"log_transitions": [{"days": 30, "storage_class": "STANDARD_IA"},
                                            {"days": 90, "storage_class": "GLACIER"},
                                            {"days": 365, "storage_class": "DEEP_ARCHIVE"}],
                        "log_expiration_days": 2555})
    [rule] = deployment.one(LIFECYCLE).inputs["rules"]
    assert rule["transitions"] == [{"days": 30, "storageClass": "STANDARD_IA"},
                                   {"days": 90, "storageClass": "GLACIER"},
                                   {"days": 365, "storageClass": "DEEP_ARCHIVE"}]
    assert rule["expiration"] == {"days": 2555}
    assert "transitions" not in build().one(LIFECYCLE).inputs["rules"][0]


@pytest.mark.parametrize(("transitions", "argument", "allowed"), [
    # "Transition" (S3 API reference): STANDARD_IA and ONEZONE_IA after 30 days or more.
    ([{"days": 29, "storage_class": "STANDARD_IA"}], "log_transitions[0].days", "30 days"),
    ([{"days": 90, "storage_class": "GLACIER"}, {"days": 120, "storage_class": "STANDARD_IA"}],
     "log_transitions[1].storage_class", "from GLACIER only to DEEP_ARCHIVE"),
    # 30 days in STANDARD_IA before the next transition.
    ([{"days": 30, "storage_class": "STANDARD_IA"}, {"days": 59, "storage_class": "GLACIER"}],
     "log_transitions[1].days", "allowed: 60 or more"),
    ([{"days": 30, "storage_class": "STANDARD"}], "log_transitions[0].storage_class", "GLACIER_IR"),
])
def test_transitions_s3_refuses_are_refused_at_preview(
    build: Build, transitions: list[dict[str, Any]], argument: str, allowed: str
) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        build({"log_transitions": transitions})
    assert raised.value.argument == argument, str(raised.value)
    assert allowed in str(raised.value)


def test_expiration_must_follow_the_last_transition(build: Build) -> None:
    with pytest.raises(InvalidArgumentError, match=r"log_expiration_days.*more than 90"):
        build({"log_transitions": [{"days": 90, "storage_class": "GLACIER"}], "log_expiration_days": 90})
    with pytest.raises(InvalidArgumentError, match=r"log_transitions.*existing_bucket_name"):
        build({"existing_bucket_name": "org-trail-logs",
               "log_transitions": [{"days": 90, "storage_class": "GLACIER"}]})

"""Your own alarms next to the CIS ones: each custom filter gets a metric filter and an alarm on the same topic.

Patterns are parsed when the program runs, so a typo stops `pulumi preview` instead of failing `pulumi up`
(AWS checks a filter pattern only when the metric filter is created).
"""

import pulumi

from compliant_cloudtrail import CompliantTrail

GUARDDUTY_OFF = '{ ($.eventSource = "guardduty.amazonaws.com") && (($.eventName = "DeleteDetector") || ' \
    '($.eventName = "UpdateDetector")) }'
ACCESS_KEY_CREATED = '{ $.eventName = "CreateAccessKey" }'

trail = CompliantTrail("audit", {
    "custom_filters": [
        {"name": "GuardDutyDetectorChanges", "pattern": GUARDDUTY_OFF,
         "description": "A GuardDuty detector was deleted or changed."},
        {"name": "AccessKeyCreated", "pattern": ACCESS_KEY_CREATED},
    ],
    "alarm_subscriptions": [{"protocol": "https", "endpoint": "https://hooks.example.com/security"}],
})

pulumi.export("customAlarmArns", trail.custom_alarm_arns)

"""Where each trail resource type keeps the settings these policies read.

Analyze receives a resource's inputs, camelCase, exactly as the program set them; a field the program
left out is absent and means the provider's default (pulumi-aws ``cloudtrail.Trail`` docs: multi-region
false, global service events true, log file validation false; CloudFormation ``AWS::CloudTrail::Trail``
and the CreateTrail API agree).
"""

from __future__ import annotations

from dataclasses import dataclass

AWS_TRAIL = "aws:cloudtrail/trail:Trail"
NATIVE_TRAIL = "aws-native:cloudtrail:Trail"


@dataclass(frozen=True)
class TrailFields:
    log_group_arn: str
    role_arn: str
    multi_region: str = "isMultiRegionTrail"
    global_service_events: str = "includeGlobalServiceEvents"
    log_file_validation: str = "enableLogFileValidation"
    kms_key: str = "kmsKeyId"
    event_selectors: str = "eventSelectors"
    advanced_event_selectors: str = "advancedEventSelectors"
    organization_trail: str = "isOrganizationTrail"
    trail_name: str = "name"


TRAIL_FIELDS: dict[str, TrailFields] = {
    AWS_TRAIL: TrailFields(log_group_arn="cloudWatchLogsGroupArn", role_arn="cloudWatchLogsRoleArn"),
    NATIVE_TRAIL: TrailFields(
        log_group_arn="cloudWatchLogsLogGroupArn", role_arn="cloudWatchLogsRoleArn", trail_name="trailName"
    ),
}

DEFAULT_MULTI_REGION = False
DEFAULT_GLOBAL_SERVICE_EVENTS = True
DEFAULT_LOG_FILE_VALIDATION = False
DEFAULT_INCLUDE_MANAGEMENT_EVENTS = True
DEFAULT_READ_WRITE_TYPE = "All"

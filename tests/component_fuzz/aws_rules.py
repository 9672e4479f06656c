"""AWS naming rules written out as plain loops from the AWS documentation.

The properties compare the validator's verdict with these functions, so they deliberately share
nothing with ``compliant_cloudtrail.component.validation`` (no regexes, no constants imported from it).
"""

from __future__ import annotations

import itertools
import string

ASCII_ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits

# CloudTrail trail names: letters, digits, '.', '_', '-'; 3 to 128; alphanumeric at both ends;
# no two of '._-' in a row; not in IP address format.
TRAIL_SPECIALS = "._-"

# S3 general purpose bucket naming rules (docs: "Bucket naming rules").
BUCKET_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
BUCKET_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")

# CloudWatch Logs PutRetentionPolicy's documented values; the provider adds 0 for "never expire".
RETENTION_DAYS = (0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
                  2922, 3288, 3653)

# Pulumi auto-names a resource "<logical name>-<7 random lowercase hex characters>".
AUTONAME_SAMPLE_SUFFIX = "-0a1b2c3"
# "CreateTopic": topic names are 1 to 256 of letters, digits, '_' and '-'.
TOPIC_CHARS = ASCII_ALNUM + "_-"
# "CreateRole": role names are 1 to 64 of letters, digits and '+=,.@_-'.
ROLE_CHARS = ASCII_ALNUM + "+=,.@_-"


def looks_like_ip_address(name: str) -> bool:
    parts = name.split(".")
    return len(parts) == 4 and all(1 <= len(part) <= 3 and all(c in string.digits for c in part) for part in parts)


def is_trail_name(name: str) -> bool:
    if not 3 <= len(name) <= 128:
        return False
    if any(c not in ASCII_ALNUM and c not in TRAIL_SPECIALS for c in name):
        return False
    if name[0] in TRAIL_SPECIALS or name[-1] in TRAIL_SPECIALS:
        return False
    if any(a in TRAIL_SPECIALS and b in TRAIL_SPECIALS for a, b in itertools.pairwise(name)):
        return False
    return not looks_like_ip_address(name)


def is_bucket_name(name: str) -> bool:
    if not 3 <= len(name) <= 63:
        return False
    if any(c not in LOWER_ALNUM and c not in ".-" for c in name):
        return False
    if name[0] not in LOWER_ALNUM or name[-1] not in LOWER_ALNUM:
        return False
    if ".." in name or looks_like_ip_address(name):
        return False
    return not name.startswith(BUCKET_RESERVED_PREFIXES) and not name.endswith(BUCKET_RESERVED_SUFFIXES)


def autonamed_log_bucket(component: str) -> str:
    """The name S3 would be asked for when the component creates its bucket without ``bucket_name``; pulumi-aws
    lowercases a bucket's autoname (provider/resources.go, aws_s3_bucket: AutoNameTransform ... ToLower)."""
    return f"{component}-logs{AUTONAME_SAMPLE_SUFFIX}".lower()


def is_topic_name(name: str) -> bool:
    return 1 <= len(name) <= 256 and all(c in TOPIC_CHARS for c in name)


def is_role_name(name: str) -> bool:
    return 1 <= len(name) <= 64 and all(c in ROLE_CHARS for c in name)


def component_names_its_children(component: str) -> bool:
    """The bucket, topic and role the component autonames from its own name are names AWS accepts."""
    return (is_bucket_name(autonamed_log_bucket(component))
            and is_topic_name(f"{component}-alarms{AUTONAME_SAMPLE_SUFFIX}")
            and is_role_name(f"{component}-delivery-role{AUTONAME_SAMPLE_SUFFIX}"))

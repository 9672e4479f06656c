"""The type tokens the check's notes speak of: what the pack judges trails in, and what it cannot see into.

The pack's own modules hold the facts (policy_pack/policies/trail_fields.py, trail_sources.py, dynamic_note.py);
this module only gathers them, for the notes of a program's and of an export's report.
"""

from __future__ import annotations

from ..policy_pack.policies.dynamic_note import DYNAMIC_TYPES
from ..policy_pack.policies.trail_fields import AWS_TRAIL, NATIVE_TRAIL
from ..policy_pack.policies.trail_sources import CLOUD_CONTROL_TYPE, TEMPLATE_TYPES

__all__ = ["DYNAMIC_TYPES", "TRAIL_TYPES"]

#: trail resources, and the CloudFormation and Cloud Control resources that can declare one
TRAIL_TYPES = frozenset({AWS_TRAIL, NATIVE_TRAIL, CLOUD_CONTROL_TYPE, *TEMPLATE_TYPES})

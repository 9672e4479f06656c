"""Entry point the Pulumi CLI runs; it only builds the pack (PolicyPack serves gRPC and never returns)."""

from cloudtrail_policies.pack import PACK_DESCRIPTION, PACK_NAME, policies
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack(
    name=PACK_NAME,
    policies=policies(),
    enforcement_level=EnforcementLevel.ADVISORY,
    description=PACK_DESCRIPTION,
)

"""The no-op baseline pack: what every Python policy pack pays before its own validators run.

By default one resource policy and one stack policy, each returning at once. The SDK still starts the
interpreter, imports pulumi and pulumi-policy, serves gRPC and deserialises every request into the
validators' arguments, so timing this pack beside ours isolates what our policies add.

pulumi-policy deserialises the request once per policy, so a pack with more policies pays more before any
validator runs. ``NOOP_RESOURCE_POLICIES`` and ``NOOP_STACK_POLICIES`` (environment) set how many no-op
policies of each kind to serve, so the benchmark can also compare against a no-op pack of our pack's shape.
"""

import os

from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)


def _accept_resource(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    return None


def _accept_stack(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    return None


def _count(variable: str) -> int:
    return int(os.environ.get(variable) or "1")


PolicyPack(
    name="noop-baseline",
    policies=[
        *(
            ResourceValidationPolicy(
                name=f"noop-resource-{n}",
                description="Accepts every resource without looking at it.",
                validate=_accept_resource,
            )
            for n in range(1, _count("NOOP_RESOURCE_POLICIES") + 1)
        ),
        *(
            StackValidationPolicy(
                name=f"noop-stack-{n}",
                description="Accepts every stack without looking at it.",
                validate=_accept_stack,
            )
            for n in range(1, _count("NOOP_STACK_POLICIES") + 1)
        ),
    ],
    enforcement_level=EnforcementLevel.ADVISORY,
)

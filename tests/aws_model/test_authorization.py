"""Every request AWS services make for each CompliantTrail variant, judged against the declared policies.

One test per (variant, request); the request's ``source`` is the AWS page it comes from, printed on failure.
"""

from __future__ import annotations

import pytest

from .declared import VARIANT_NAMES, VARIANTS, deployed
from .requests import build_requests, judge

CASES = [
    pytest.param(variant.name, request.name, id=f"{variant.name}: {request.name}")
    for variant in VARIANTS
    for request in build_requests(deployed(variant.name))
]


@pytest.mark.parametrize(("variant", "request_name"), CASES)
def test_aws_authorizes_what_the_stack_needs_and_nothing_it_must_refuse(variant: str, request_name: str) -> None:
    declared = deployed(variant)
    request = next(r for r in build_requests(declared) if r.name == request_name)
    decision = judge(request, declared.policies())
    want = "ALLOWED" if request.expect_allowed else "DENIED"
    assert decision.allowed is request.expect_allowed, (
        f"{variant}: {request.call.principal} {request.call.action} on {request.call.resource} "
        f"with {dict(request.call.context)} must be {want}, is {decision} (source: {request.source})"
    )


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_each_policy_the_component_declares_is_exercised(variant: str) -> None:
    """A policy no request is judged by would pass every test above unseen."""
    declared = deployed(variant)
    judged = {r.resource_policy for r in build_requests(declared)} | {
        name for r in build_requests(declared) for name in r.identity
    }
    assert set(declared.policies()) <= judged, f"{variant}: no request judged by {set(declared.policies()) - judged}"


def test_the_variants_declare_what_their_arguments_say() -> None:
    """Own bucket / topic: the component writes no policy for them; enable_kms=False: no key."""
    assert deployed("own-bucket").bucket is None and deployed("default").bucket is not None
    assert deployed("own-topic").topic is None and deployed("default").topic is not None
    assert deployed("no-kms").key is None and deployed("default").key is not None

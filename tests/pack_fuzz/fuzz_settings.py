"""One Hypothesis profile for every fuzz test here: each example is a gRPC call to a pack that is shared by the
module (hence the function-scoped-fixture check off), draws can be huge, and no example is timed.

The explain phase is left out: on a failure it re-runs the shrunk example hundreds of times over gRPC to
annotate it, which doubles the time a red run takes and adds little to a property bag that is already minimal.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings


def fuzz(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    )

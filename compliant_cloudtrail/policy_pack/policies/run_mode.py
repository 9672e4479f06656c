"""Whether the pack is analysing a preview or an update.

The Pulumi CLI starts a policy pack with ``PULUMI_DRY_RUN`` set to "true" for ``pulumi preview`` and "false" for
``pulumi up`` (pulumi ``pkg/resource/plugin/analyzer_plugin.go``, ``constructEnv``), and pulumi-policy reads
the same variable, with the same test, to configure the runtime before each call (``pulumi_policy/policy.py``,
``_configure_runtime_settings``). ``cloudtrail-check`` starts the pack the same way.

It matters for unknown values: in a preview, an input computed by another resource of the same update is
unknown and the CLI judges it again once known; in an update every input is known by the time the engine
analyses the resource, so an unknown there means the value was not seen. Without the variable (an old CLI or
a direct call), the pack takes the SDK's reading: not a preview.
"""

from __future__ import annotations

import os


def is_preview() -> bool:
    return os.environ.get("PULUMI_DRY_RUN") == "true"


__all__ = ["is_preview"]

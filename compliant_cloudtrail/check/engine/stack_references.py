"""``pulumi.StackReference`` offline: the referenced stack's outputs from a file, else unknown as in a preview.

The engine answers a StackReference read with ``{name, outputs, secretOutputNames}`` (pulumi/pulumi
pkg/resource/deploy/builtins.go). Here ``--stack-reference NAME=FILE`` gives the outputs, from
``pulumi stack output --json --show-secrets`` (without ``--show-secrets`` secret values read ``"[secret]"``:
those stay secret and unknown). A reference without a file gets unknown outputs and one warning, never a crash.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..inputs import STACK_OUTPUTS_LIMIT, InputError, read_json, shown_path
from . import wire

__all__ = ["StackReferences", "load_stack_reference"]

_HIDDEN_SECRET = "[secret]"


def load_stack_reference(path: Path, name: str = "") -> dict[str, Any]:
    """Read one outputs file (``--stack-reference NAME=FILE``) with :mod:`..inputs`; InputError, naming the
    reference and the file, when it cannot be read or is not a JSON object."""
    what = f"stack reference {name} outputs file" if name else "stack reference outputs file"
    data = read_json(path, what, limit=STACK_OUTPUTS_LIMIT, option="--stack-reference")
    if not isinstance(data, dict):
        raise InputError(
            f"{what} {shown_path(path)} (--stack-reference): expected the JSON object "
            "`pulumi stack output --json --show-secrets` prints"
        )
    return data


class StackReferences:
    def __init__(self, outputs_by_stack: dict[str, dict[str, Any]]) -> None:
        self.outputs_by_stack = outputs_by_stack
        self.warnings: list[str] = []
        self.used: set[str] = set()

    def _find(self, stack_name: str) -> tuple[str, dict[str, Any]] | None:
        if stack_name in self.outputs_by_stack:
            return stack_name, self.outputs_by_stack[stack_name]
        # "network/prod" given for "acme/network/prod": the same stack named without its organization
        for given, outputs in self.outputs_by_stack.items():
            if stack_name.endswith("/" + given) or given.endswith("/" + stack_name):
                return given, outputs
        return None

    def read(self, resource_name: str, stack_name: str) -> dict[str, Any]:
        found = self._find(stack_name)
        if found is None:
            self.warnings.append(
                f"StackReference '{resource_name}' to stack '{stack_name}': no --stack-reference "
                f"{stack_name}=FILE given, so its outputs are unknown (as in a preview)"
            )
            return {"name": stack_name, "outputs": wire.UNKNOWN, "secretOutputNames": wire.UNKNOWN}
        given, outputs = found
        self.used.add(given)
        hidden = sorted(k for k, v in outputs.items() if v == _HIDDEN_SECRET)
        values = {k: (wire.secret(wire.UNKNOWN) if k in hidden else v) for k, v in outputs.items()}
        return {"name": stack_name, "outputs": values, "secretOutputNames": hidden}

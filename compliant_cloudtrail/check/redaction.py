"""Secret values never leave the check in plaintext: every report shows ``[secret]`` where one would appear.

pulumi-policy unwraps secrets before policies see them, and a policy may quote the value it judged; the engine
keeps secrets wrapped on the wire (``{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
"value": ...}``, pulumi/runtime/rpc.py), so the check knows each secret's text from what it sent the pack, and
takes it out of everything it shows. A message quoting a secret then says ``"[secret]"``: that it was one,
without its value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import rpc

from .records import RegisteredResource

__all__ = ["SECRET_SHOWN", "Redactor"]

SECRET_SHOWN = "[secret]"
#: shorter secrets are replaced only where they stand quoted, so that "1" does not blank every digit
_BARE_MIN = 4


#: words that give an ARN its shape, not its secret: kept readable where a piece of a secret ARN is quoted
_ARN_WORDS = frozenset({
    "log-group", "log-stream", "role", "trail", "key", "alias", "user", "policy", "topic", "bucket", "stream",
    "function", "instance-profile", "assumed-role", "organization", "account", "root",
})  # fmt: skip
_ACCOUNT = re.compile(r"^\d{12}$")


def _pieces(secret: str) -> list[str]:
    """The parts of a secret a message may quote on their own ("points at a \"<name>\"", "an IAM <name> ARN"):
    for an ARN, its resource part's names (partition, service, region and account give its shape and are not
    secret: AWS account IDs are not, per "AWS account identifiers" in the AWS Account Management guide); for
    anything else, what ':' and '/' separate."""
    if secret.startswith("arn:") and secret.count(":") >= 5:
        secret = secret.split(":", 5)[5]
    return [p for p in re.split(r"[:/]", secret)
            if len(p) >= _BARE_MIN and p not in _ARN_WORDS and not _ACCOUNT.match(p)]  # fmt: skip


def _strings(value: Any, out: set[str]) -> None:
    if isinstance(value, str):
        if value and value != rpc.UNKNOWN:
            out.add(value)
            out.update(_pieces(value))
    elif isinstance(value, Mapping):
        for item in value.values():
            _strings(item, out)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _strings(item, out)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out.add(json.dumps(value))


def _secrets_in(value: Any, out: set[str]) -> None:
    if isinstance(value, Mapping):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            _strings(value.get("value"), out)
            return
        for item in value.values():
            _secrets_in(item, out)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _secrets_in(item, out)


class Redactor:
    """Collects the secret values of the resources the pack is sent, and takes them out of text."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()

    def add_values(self, values: Iterable[Any]) -> None:
        """Values known to be secret wherever they appear (``--secret-config``)."""
        for value in values:
            _strings(value, self.secrets)

    def add_resources(self, resources: Iterable[RegisteredResource | Mapping[str, Any]]) -> None:
        for r in resources:
            if isinstance(r, RegisteredResource):
                _secrets_in(json_format.MessageToDict(r.inputs_struct), self.secrets)
                for key in r.secret_inputs | set(r.additional_secret_outputs):
                    _strings(r.inputs.get(key), self.secrets)
                    _strings(r.outputs.get(key), self.secrets)
            else:
                props = r.get("properties")
                _secrets_in(json_format.MessageToDict(props) if isinstance(props, struct_pb2.Struct) else props,
                            self.secrets)  # fmt: skip

    def __call__(self, text: str) -> str:
        if not self.secrets or not text:
            return text
        for secret in sorted(self.secrets, key=len, reverse=True):
            for form in dict.fromkeys((secret, json.dumps(secret)[1:-1])):
                if len(form) >= _BARE_MIN:
                    text = text.replace(form, SECRET_SHOWN)
                else:
                    for quote in ('"', "'", "`"):
                        text = text.replace(f"{quote}{form}{quote}", f"{quote}{SECRET_SHOWN}{quote}")
        return text

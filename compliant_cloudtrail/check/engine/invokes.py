"""Answers to the program's invokes: the user's exact answers first, then AWS answers, else the engine's error.

An invoke the engine cannot answer reaches the program as the real engine's would: the ``Invoke`` RPC fails with
"invocation of <token> returned an error: ..." (pulumi/pulumi pkg/resource/deploy/source_eval.go), which the SDK
raises as an exception in the program, so a program's own ``try``/``except`` handles it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..aws_mocks import AwsMocks
from ..inputs import MOCKS_LIMIT, InputError, read_json, read_yaml, shown_path
from .aws_invokes import AwsContext, generic_answer

__all__ = ["InvokeError", "InvokeRecord", "Invokes", "MockAnswer", "load_mock_answers"]


class InvokeError(Exception):
    """The engine's error for an invoke; its text is what the program sees."""


@dataclass(frozen=True)
class MockAnswer:
    """One ``--mocks`` entry: ``token``, optional ``args`` that must all match, and a ``result`` or ``error``."""

    token: str
    args: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    error: str | None = None

    def matches(self, token: str, args: dict[str, Any]) -> bool:
        return token == self.token and all(args.get(k) == v for k, v in self.args.items())


@dataclass(frozen=True)
class InvokeRecord:
    token: str
    args: dict[str, Any]
    answered_by: str  # mocks-file | aws-known | aws-generic | engine | error
    error: str = ""


def load_mock_answers(path: Path) -> list[MockAnswer]:
    """``--mocks FILE``: JSON (``.json``) or YAML, a list of entries or ``{"invokes": [...]}``, each
    ``{"token", "args"?, "result" | "error"}``. Raises InputError, naming the file and the entry, for anything else
    (the file itself is read with :mod:`..inputs`: bounded, no alias bombs)."""
    reader = read_json if path.suffix == ".json" else read_yaml
    data = reader(path, "mocks file", limit=MOCKS_LIMIT, option="--mocks")
    shown = shown_path(path)

    def bad(problem: str) -> InputError:
        return InputError(f"mocks file {shown} (--mocks): {problem}")

    entries = data.get("invokes") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise bad('expected a list of {"token", "args", "result"} entries, or {"invokes": [...]}')
    out: list[MockAnswer] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("token"), str) or not entry["token"]:
            raise bad(f"entry {i}: needs a string 'token'")
        token = entry["token"]
        unknown = set(entry) - {"token", "args", "result", "error"}
        if unknown:
            raise bad(f"entry {i} ({token}): unknown keys {sorted(unknown)}; allowed: token, args, result, error")
        if ("result" in entry) == ("error" in entry):
            raise bad(f"entry {i} ({token}): give exactly one of 'result' and 'error'")
        if "result" in entry and not isinstance(entry["result"], dict):
            raise bad(f"entry {i} ({token}): 'result' must be an object")
        if "error" in entry and not isinstance(entry["error"], str):
            raise bad(f"entry {i} ({token}): 'error' must be a string, the message the program sees")
        args = entry.get("args")
        if args is None:
            args = {}
        elif not isinstance(args, dict):
            # An empty list read as "no arguments to match" would answer every call of the token.
            raise bad(f"entry {i} ({token}): 'args' must be an object of argument names to values, not {_kind(args)}")
        out.append(MockAnswer(token, args, entry.get("result"), entry.get("error")))
    return out


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


class Invokes:
    """Answers invokes for one run; every call is kept in :attr:`records`."""

    def __init__(
        self,
        mocks: AwsMocks,
        answers: list[MockAnswer],
        builtin: dict[str, Callable[[dict[str, Any]], dict[str, Any]]],
    ) -> None:
        self.mocks = mocks
        self.answers = answers
        self.builtin = builtin
        self.records: list[InvokeRecord] = []

    def answer(self, token: str, args: dict[str, Any], region: str | None) -> dict[str, Any]:
        try:
            result, by = self._answer(token, args, region)
        except InvokeError as exc:
            self.records.append(InvokeRecord(token, args, "error", str(exc)))
            raise
        self.records.append(InvokeRecord(token, args, by))
        return result

    def _answer(self, token: str, args: dict[str, Any], region: str | None) -> tuple[dict[str, Any], str]:
        for entry in self.answers:
            if entry.matches(token, args):
                if entry.error is not None:
                    raise InvokeError(f"invocation of {token} returned an error: {entry.error}")
                return dict(entry.result or {}), "mocks-file"
        if token in self.builtin:
            return self.builtin[token](args), "engine"
        if token.startswith("aws:"):
            known = self.mocks.known_invoke(token, args, region=region)
            if known is not None:
                return known, "aws-known"
            ctx = AwsContext(
                self.mocks.account_id, region or self.mocks.region, self.mocks.partition, self.mocks.dns_suffix
            )
            generic = generic_answer(token, args, ctx)
            if generic is not None:
                return generic, "aws-generic"
            raise InvokeError(
                f"invocation of {token} returned an error: the offline engine knows no such function in pulumi-aws; "
                "give its answer with --mocks FILE"
            )
        raise InvokeError(
            f"invocation of {token} returned an error: the offline engine cannot answer invokes of package "
            f"'{token.split(':')[0]}'; give its answer with --mocks FILE"
        )

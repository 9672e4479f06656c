"""Hypothesis over the readers of untrusted files: whatever the bytes, the only exception that leaves is the reader's
typed error (an InputError: StateError, ConfigError, PolicyConfigError), with a one-line message.

A short run here (``FUZZ_EXAMPLES``, default 120 per test, a few seconds each); ``scripts/fuzz-inputs.sh SECONDS``
runs the same tests for longer with fresh seeds.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliant_cloudtrail.check.inputs import InputError
from compliant_cloudtrail.check.policy_config import load_policy_config_file
from compliant_cloudtrail.check.project import build_config, load_project, program_strings
from compliant_cloudtrail.check.state import SECRET_SIG, SIG_KEY, parse_state, read_state
from tests.state.exports import AWS_TRAIL, LOG_GROUP, export, provider, resource, stack_resource

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def one_line(error: InputError) -> None:
    assert "\n" not in str(error) and str(error).strip(), repr(str(error))


# --- values -------------------------------------------------------------------------------------------------
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**63, max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from([SIG_KEY, SECRET_SIG, "urn:pulumi:prod::audit::x::y", "pulumi:providers:aws", "::", ""])
)
KEYS = st.text(max_size=8) | st.sampled_from([SIG_KEY, "plaintext", "ciphertext", "urn", "id", "value", "delete"])
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _baseline() -> dict[str, Any]:
    prov = provider()
    group = resource(LOG_GROUP, "g", {"name": "g", "tags": {"a": "b"}}, prov=prov)
    trail = resource(
        AWS_TRAIL, "t", {"s3BucketName": "b", "cloudWatchLogsGroupArn": {SIG_KEY: SECRET_SIG, "plaintext": '"x"'}},
        prov=prov, dependencies=[group["urn"]], customTimeouts={"create": 60},
        propertyDependencies={"cloudWatchLogsGroupArn": [group["urn"]]},
    )  # fmt: skip
    return export([stack_resource(), prov, group, trail])


BASELINE = _baseline()
PATHS = sorted(set(_paths(BASELINE)), key=repr)


def _set(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    node = data
    for step in path[:-1]:
        node = node[step]
    if delete and isinstance(node, dict):
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    return data


@st.composite
def mutated_exports(draw: st.DrawFn) -> Any:
    data = json.loads(json.dumps(BASELINE))
    for _ in range(draw(st.integers(1, 3))):
        live = sorted(set(_paths(data)) & set(PATHS), key=repr) or [()]
        data = _set(data, draw(st.sampled_from(live)), draw(VALUES), draw(st.booleans()))
    return data


# --- --state -------------------------------------------------------------------------------------------------
@FUZZ
@given(mutated_exports())
def test_parse_state_raises_only_state_errors(data: Any) -> None:
    try:
        state = parse_state(data, Path("export.json"))
    except InputError as error:
        one_line(error)
        return
    state.analyze_resources()
    state.stack_resources()


@FUZZ
@given(st.one_of(
    mutated_exports().map(lambda d: json.dumps(d, allow_nan=True).encode()),
    st.binary(max_size=200),
    st.tuples(st.integers(0, 2000), st.integers(0, 40), st.binary(max_size=20) | st.just(b"9" * 5000)).map(
        lambda cut: (lambda text: text[: cut[0]] + cut[2] + text[cut[0] + cut[1] :])(json.dumps(BASELINE).encode())
    ),
))  # fmt: skip
def test_read_state_raises_only_state_errors(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.json"
        path.write_bytes(content)
        try:
            read_state(path)
        except InputError as error:
            one_line(error)


# --- Pulumi.yaml and Pulumi.<stack>.yaml -------------------------------------------------------------------------
NAMES = st.sampled_from(["name", "runtime", "main", "config", "options", "toolchain", "type", "default", "secret",
                         "secure", "items", "value", "aws:region", "audit:x", "x"]) | st.text(max_size=8)  # fmt: skip
YAML_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NAMES, inner, max_size=4),
    max_leaves=12,
)


def _yaml_text(draw: st.DrawFn, top: dict[str, Any]) -> str:
    shape = draw(st.sampled_from(["structured", "text", "anchors"]))
    if shape == "text":
        return draw(st.text(max_size=200))
    body = yaml.safe_dump(draw(st.dictionaries(NAMES, YAML_VALUES, max_size=5)) | top, allow_unicode=True)
    if shape == "anchors":
        body = "defs:\n  a: &a [1, 2, {k: v}]\n" + body + "extra: [*a, *a]\n"
    return body


@st.composite
def programs(draw: st.DrawFn) -> tuple[str, str | None, str, dict[str, Any]]:
    project_top = {"name": draw(st.sampled_from(["audit", "a b", ""]) | st.text(max_size=5)),
                   "runtime": draw(YAML_VALUES | st.just("python"))}  # fmt: skip
    project = _yaml_text(draw, project_top)
    stack = None if draw(st.booleans()) else _yaml_text(draw, {"config": draw(YAML_VALUES)})
    stack_name = draw(st.sampled_from(["dev", "../x", "a\nb", ""]) | st.text(max_size=6))
    overrides = draw(st.dictionaries(NAMES, YAML_VALUES, max_size=3))
    return project, stack, stack_name, overrides


@FUZZ
@given(programs())
def test_the_project_loader_raises_only_config_errors(program: tuple[str, str | None, str, dict[str, Any]]) -> None:
    project_text, stack_text, stack_name, overrides = program
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "Pulumi.yaml").write_text(project_text, encoding="utf-8", errors="surrogatepass")
        if stack_text is not None and stack_name and "/" not in stack_name and "\0" not in stack_name:
            with contextlib.suppress(OSError, ValueError):  # a name the file system refuses: the loader must too
                (root / f"Pulumi.{stack_name}.yaml").write_text(stack_text, encoding="utf-8", errors="surrogatepass")
        try:
            config = build_config(load_project(root), stack_name, overrides)
        except InputError as error:
            one_line(error)
            return
        strings = program_strings(config.values)
        assert all(isinstance(v, str) for v in strings.values())
        # What reaches the program is JSON that Go and Python read back (no NaN, no Infinity).
        for value in config.values.values():
            if isinstance(value, float):
                assert math.isfinite(value) or value in overrides.values()


# --- --policy-pack-config ------------------------------------------------------------------------------------
@FUZZ
@given(st.one_of(
    VALUES.map(lambda v: json.dumps(v, allow_nan=True)),
    st.dictionaries(st.sampled_from(["all", "cloudtrail-trail-deliver-to-cloudwatch-logs", "environments"]),
                    VALUES | st.sampled_from(["mandatory", "advisory", "disabled", "remediate"])).map(json.dumps),
    st.text(max_size=100),
))  # fmt: skip
def test_policy_config_loading_raises_only_policy_config_errors(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            loaded = load_policy_config_file(path)
        except InputError as error:
            one_line(error)
            return
        assert isinstance(loaded, dict)

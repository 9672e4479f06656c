"""In-process offline runtime, for tests of code that runs inside the test's own process.

* :class:`RecordingMonitor` - a :class:`pulumi.runtime.mocks.MockMonitor` that keeps, for every resource
  registration (and read), the request exactly as the SDK sent it (:class:`RegisteredResource`).
* :class:`AwsMocks` (from :mod:`.aws_mocks`) - plausible AWS answers. Unknown invokes raise.
* :func:`mocked_stack` (for tests) and :func:`run_program` (a whole program directory, in this process).

The check command does not use this module to run programs: it runs them in their own process and
environment against the offline engine (:mod:`.engine`). This stays for component tests, which build
resources in the test itself.

Preview mode (``preview=True``): the mocks return only the inputs, with no id and no computed outputs, so the
SDK treats every computed output as unknown, as during a real ``pulumi preview`` of a first deployment.
"""

from __future__ import annotations

import contextlib
import json
import os
import runpy
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pulumi
import pulumi.runtime
from pulumi.runtime import config as _config
from pulumi.runtime import mocks as _mocks
from pulumi.runtime import settings
from pulumi.runtime.sync_await import _sync_await

from .aws_mocks import AwsMocks, UnknownInvokeError
from .project import ConfigError, build_config, load_project
from .records import STACK_TYPE, UNKNOWN, RegisteredResource, _deserialise, analyzer_struct

__all__ = [
    "UNKNOWN",
    "AwsMocks",
    "ProgramError",
    "RecordingMonitor",
    "RegisteredResource",
    "UnknownInvokeError",
    "mocked_stack",
    "run_program",
    "settle",
]


class RecordedResources(list[RegisteredResource]):
    """``monitor.resources``: the records, in registration order (a plain list for users).

    The parent ``MockMonitor`` keeps its own ``resources`` registry keyed by URN (for ``ExistsResource``
    and the ``pulumi:pulumi:getResource`` invoke); the dict operations it uses (``[urn] = ...``, ``get``,
    ``values``) go to ``registrations`` so both views live in the one attribute the parent writes to.
    """

    def __init__(self) -> None:
        super().__init__()
        self.registrations: dict[str, _mocks.MockMonitor.ResourceRegistration] = {}

    def __setitem__(self, key: Any, value: Any) -> None:
        if isinstance(key, str):
            self.registrations[key] = value
        else:
            super().__setitem__(key, value)

    def get(self, urn: str, default: Any = None) -> Any:
        return self.registrations.get(urn, default)

    def values(self) -> Any:
        return self.registrations.values()


class RecordingMonitor(_mocks.MockMonitor):
    """A mock resource monitor that records every request the engine would be sent."""

    resources: RecordedResources  # type: ignore[assignment]

    def __init__(self, mocks: pulumi.runtime.Mocks):
        super().__init__(mocks)
        self.resources = RecordedResources()
        self._lock = threading.Lock()
        #: outputs registered with ``RegisterResourceOutputs``, by URN (stack exports under the stack's URN)
        self.registered_outputs: dict[str, dict[str, Any]] = {}

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """URNs as the engine builds them: children of the root stack carry no ``pulumi:pulumi:Stack$``.

        (The SDK's MockMonitor prefixes every type with its parent's, the stack included, which no real
        engine does; URNs here match the ones a real ``pulumi up`` and the policy pack would see.)
        """
        if parent and parent.split("::")[2] != STACK_TYPE:
            type_ = parent.split("::")[2] + "$" + type_
        return "urn:pulumi:" + "::".join([settings.get_stack(), settings.get_project(), type_, name])

    # -- queries -------------------------------------------------------------------------------------------
    def get_registered_resources(self) -> dict[str, _mocks.MockMonitor.ResourceRegistration]:
        return dict(self.resources.registrations)

    def by_type(self, type_token: str) -> list[RegisteredResource]:
        return [r for r in list(self.resources) if r.type == type_token]

    def by_name(self, name: str) -> RegisteredResource:
        found = [r for r in list(self.resources) if r.name == name]
        if not found:
            raise KeyError(f"no resource named {name!r}; registered: {sorted(r.name for r in self.resources)}")
        if len(found) > 1:
            raise KeyError(f"{len(found)} resources are named {name!r}: {[r.urn for r in found]}")
        return found[0]

    def by_urn(self, urn: str) -> RegisteredResource:
        for r in self.resources:
            if r.urn == urn:
                return r
        raise KeyError(f"no resource with URN {urn!r}")

    @property
    def stack_outputs(self) -> dict[str, Any]:
        """The program's exports (``pulumi.export``) as registered on the stack resource."""
        for r in self.resources:
            if r.is_stack:
                return self.registered_outputs.get(r.urn, {})
        return {}

    # -- monitor RPCs ----------------------------------------------------------------------------------------
    def _add(self, record: RegisteredResource) -> None:
        with self._lock:
            self.resources.append(record)

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        _mocks._ensure_event_loop()
        sent = analyzer_struct(request.object)
        inputs, secret_inputs = _deserialise(sent)
        outputs = _deserialise(analyzer_struct(response.object))[0] if response.HasField("object") else {}
        self._add(RegisteredResource.from_registration(
            request, urn=response.urn, id=response.id, inputs=inputs, inputs_struct=sent,
            outputs=outputs, secret_inputs=secret_inputs,
        ))
        return response

    def ReadResource(self, request):
        response = super().ReadResource(request)
        _mocks._ensure_event_loop()
        sent = analyzer_struct(request.properties)
        inputs, secret_inputs = _deserialise(sent)
        self._add(
            RegisteredResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                custom=True,
                parent=request.parent,
                dependencies=list(request.dependencies),
                property_dependencies={},
                inputs=inputs,
                inputs_struct=sent,
                outputs=_deserialise(analyzer_struct(response.properties))[0],
                protect=False,
                retain_on_delete=False,
                ignore_changes=[],
                aliases=[],
                provider=request.provider,
                delete_before_replace=False,
                id=request.id,
                version=request.version,
                secret_inputs=secret_inputs,
                read=True,
            )
        )
        return response

    def RegisterResourceOutputs(self, request):
        _mocks._ensure_event_loop()
        if request.HasField("outputs"):
            outputs = _deserialise(request.outputs)[0]
            with self._lock:
                self.registered_outputs[request.urn] = outputs
        return super().RegisterResourceOutputs(request)


# --------------------------------------------------------------------------------------------------
# Running code under the mocks
# --------------------------------------------------------------------------------------------------
class ProgramError(RuntimeError):
    """A Pulumi program failed under the mocks."""


def settle() -> None:
    """Wait until every outstanding registration, invoke and apply of the current mocked run has finished.

    Raises the first error any of them raised.
    """
    from pulumi.runtime.stack import wait_for_rpcs

    _sync_await(wait_for_rpcs())


def _reset_runtime() -> None:
    settings.reset_options()
    settings.SETTINGS.outputs.clear()
    _config.set_all_config({}, [])


def _install(
    *,
    project: str,
    config: Mapping[str, Any] | None,
    secret_keys: list[str] | None = None,
) -> None:
    _reset_runtime()
    _config.set_all_config(_config_strings(project, config or {}), list(secret_keys or []))


def _config_strings(project: str, config: Mapping[str, Any]) -> dict[str, str]:
    """Config as the engine passes it: namespaced keys (``project:key``), string values (JSON for others)."""
    out: dict[str, str] = {}
    for key, value in config.items():
        full = key if ":" in key else f"{project}:{key}"
        out[full] = value if isinstance(value, str) else json.dumps(value)
    return out


@contextlib.contextmanager
def mocked_stack(
    preview: bool = False,
    *,
    project: str = "project",
    stack: str = "stack",
    config: Mapping[str, Any] | None = None,
    mocks: pulumi.runtime.Mocks | None = None,
    **aws_kwargs: Any,
) -> Iterator[RecordingMonitor]:
    """Install recording AWS mocks for the code in the ``with`` block; yield the monitor.

    On a normal exit it waits for every registration (so ``monitor.resources`` is complete after the
    block; call :func:`settle` to wait inside it); on any exit it resets the Pulumi runtime settings and
    config so nothing leaks into the next test. ``config`` keys without a namespace get ``project:``.
    ``aws_kwargs`` go to :class:`AwsMocks` (a TypeError with ``mocks=``).
    """
    if mocks is None:
        mocks = AwsMocks(preview=preview, **aws_kwargs)
    elif aws_kwargs:
        raise TypeError(f"AWS keyword arguments {sorted(aws_kwargs)} need the default AwsMocks, not mocks=")
    monitor = RecordingMonitor(mocks)
    _install(project=project, config=config)
    try:
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=preview, monitor=monitor)
        yield monitor
        settle()
    finally:
        _reset_runtime()


# --------------------------------------------------------------------------------------------------
# Whole programs
# --------------------------------------------------------------------------------------------------
def _forget_program_modules(pdir: Path, new_modules: set[str]) -> None:
    """Drop the modules a program imported from its own directory, so the next program (which may have a
    module of the same name) imports its own. Installed packages are kept even when the virtualenv lives
    inside the program directory (importing pulumi_aws twice in one process fails)."""
    prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    for mod_name in new_modules:
        mod_file = getattr(sys.modules.get(mod_name), "__file__", None)
        if not mod_file:
            continue
        path = Path(mod_file).resolve()
        if not path.is_relative_to(pdir) or any(path.is_relative_to(p) for p in prefixes):
            continue
        if {"site-packages", "dist-packages"} & set(path.relative_to(pdir).parts):
            continue
        del sys.modules[mod_name]


def run_program(
    program_dir: str | os.PathLike[str],
    *,
    stack: str = "dev",
    config: Mapping[str, Any] | None = None,
    preview: bool = False,
    aws: Mapping[str, Any] | None = None,
    mocks: pulumi.runtime.Mocks | None = None,
) -> list[RegisteredResource]:
    """Run the Pulumi Python program in ``program_dir`` under recording AWS mocks; return what it registered.

    The program runs in this process, as the Python language host runs it (``__main__.py`` under
    ``run_name="__main__"``, inside a fresh stack resource, the program directory as working directory and on
    ``sys.path``), and this returns once every registration has finished. The Pulumi runtime is reset before
    and after, and modules imported from the program directory are dropped, so programs can be run one after
    another in one process. ``config`` overrides ``Pulumi.<stack>.yaml`` (keys without a namespace get the
    project's). ``aws`` are :class:`AwsMocks` keyword arguments. An error in the program raises
    :class:`ProgramError` naming the program.
    """
    from pulumi.runtime.stack import run_in_stack

    pdir = Path(program_dir).resolve()
    main = pdir / "__main__.py"
    if not main.exists():
        raise ProgramError(f"{pdir} has no __main__.py (only Python programs with __main__.py are supported)")
    # The project and its config as the offline engine reads them (project defaults, stack file, overrides).
    try:
        loaded = load_project(pdir)
        stack_config = build_config(loaded, stack, config or {})
    except ConfigError as exc:
        raise ProgramError(str(exc)) from exc
    project, merged, secret_keys = loaded.name, stack_config.values, stack_config.secret_keys

    if mocks is None:
        aws_kwargs = dict(aws or {})
        if "region" not in aws_kwargs and isinstance(merged.get("aws:region"), str):
            # the provider's region, as the real provider reads it
            aws_kwargs["region"] = merged["aws:region"]
        mocks = AwsMocks(preview=preview, **aws_kwargs)
    monitor = RecordingMonitor(mocks)
    _install(project=project, config=merged, secret_keys=secret_keys)
    # What set_mocks does, minus creating the stack resource: run_in_stack creates it, as the language
    # host does.
    pulumi.runtime.settings.configure(
        _mocks.MockSettings(
            monitor=monitor,
            monitor_features=set(monitor.GetDeploymentInfo(None).supportedFeatures),
            engine=_mocks.MockEngine(None),
            project=project,
            stack=stack,
            dry_run=preview,
            organization="organization",
            root_directory=str(pdir),
            callbacks=None,
        )
    )

    old_cwd = os.getcwd()
    old_path = list(sys.path)
    old_modules = set(sys.modules)
    os.chdir(pdir)
    sys.path.insert(0, str(pdir))
    try:

        def program() -> None:
            runpy.run_path(str(main), run_name="__main__")

        _sync_await(run_in_stack(program))
    except Exception as exc:
        raise ProgramError(
            f"Pulumi program {pdir} (stack {stack!r}, {'preview' if preview else 'update'}) failed: "
            f"{type(exc).__name__}: {exc}\n{''.join(traceback.format_exception(exc))}"
        ) from exc
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path
        _forget_program_modules(pdir, set(sys.modules) - old_modules)
        _reset_runtime()
    return monitor.resources

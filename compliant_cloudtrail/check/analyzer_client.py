"""Drive a CrossGuard policy pack over its real gRPC Analyzer protocol, as the Pulumi CLI does.

The pack is started as the CLI's ``pulumi-analyzer-policy-python`` shim starts it::

    python -u -m pulumi.policy <engine address> <pack dir>      (working directory: the pack)

with ``PULUMI_PROJECT``, ``PULUMI_STACK``, ``PULUMI_DRY_RUN`` and ``PULUMI_CONFIG`` in its environment, through
``pack_host.py``, which changes one thing: the Analyzer listens on a Unix socket in a private 0700 folder
instead of a loopback port any local user could reach; the first line the pack prints says it serves. The
engine address points at a small in-process Engine server that records ``Log`` calls
(``AnalyzerClient.engine_logs``). Note: the Python policy runtime (pulumi 3.272) parses that address but never
connects to it, so a Python pack's ``pulumi.log`` lines end up on its stderr (``AnalyzerClient.stderr``), which is
where the CLI shows them too.

Usage::

    with AnalyzerClient("policy_pack", stack="dev") as pack:
        info = pack.get_analyzer_info()
        pack.configure({"some-policy": {"enforcementLevel": "mandatory"}})
        for r in records:                       # RegisteredResource from mock_runtime
            result = pack.analyze(r)            # inputs, as the engine sends them before each step
        result = pack.analyze_stack(records)    # outputs, parents and dependencies, after the update
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent import futures
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, engine_pb2_grpc

from .engine.engine_log import EngineLog, LogLine
from .private_dir import private_dir
from .processes import tracked
from .records import RegisteredResource

__all__ = [
    "AnalyzeResult",
    "AnalyzerClient",
    "AnalyzerInfo",
    "Diagnostic",
    "LogEntry",
    "NotApplicable",
    "PolicyInfo",
    "PolicyPackError",
    "ResourceLike",
]

ResourceLike = RegisteredResource | Mapping[str, Any]
"""A :class:`RegisteredResource`, or a dict with ``type``, ``name``, ``urn``, ``properties`` and optionally
``parent``, ``dependencies``, ``property_dependencies``, ``options`` (an ``AnalyzerResourceOptions`` dict),
``provider`` (an ``AnalyzerProviderResource`` dict)."""

ENFORCEMENT_LEVELS: dict[str, int] = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "disabled": analyzer_pb2.DISABLED,
    "remediate": analyzer_pb2.REMEDIATE,
}
_LEVEL_NAMES = {v: k for k, v in ENFORCEMENT_LEVELS.items()}
# The CLI dials plugins with a 400 MiB receive limit (rpcutil.GrpcChannelOptions, pulumi/pulumi#2319); with
# gRPC's default 4 MiB, the answer for a large non-compliant stack would fail here but not under the CLI.
_CLI_CHANNEL_OPTIONS = [("grpc.max_receive_message_length", 400 * 1024 * 1024)]
_SEVERITY_NAMES = {
    analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED: "unspecified",
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}
#: Analyze calls sent before the first answer is awaited: the pack serves with 4 worker threads
#: (pulumi_policy/policy.py, ``futures.ThreadPoolExecutor(max_workers=4)``)
ANALYZE_IN_FLIGHT = 4
_POLICY_TYPES = {
    analyzer_pb2.POLICY_TYPE_UNKNOWN: "unknown",
    analyzer_pb2.POLICY_TYPE_RESOURCE: "resource",
    analyzer_pb2.POLICY_TYPE_STACK: "stack",
}


#: starts a Python pack as ``python -m pulumi.policy`` does, on a private Unix socket
PACK_HOST = Path(__file__).resolve().with_name("pack_host.py")


class PolicyPackError(RuntimeError):
    """The policy pack could not be started, or a call to it failed."""


# ------------------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Diagnostic:
    """One policy violation. ``urn`` is the resource the CLI would attribute it to: the URN the policy
    reported or, for ``Analyze`` when it reported none, the analysed resource's (``reported_urn`` is raw)."""

    policy_name: str
    policy_pack_name: str
    policy_pack_version: str
    enforcement_level: str  # advisory | mandatory | disabled | remediate
    urn: str
    message: str
    description: str
    severity: str  # unspecified | low | medium | high | critical
    reported_urn: str = ""

    @property
    def mandatory(self) -> bool:
        return self.enforcement_level == "mandatory"


@dataclass(frozen=True)
class NotApplicable:
    policy_name: str
    reason: str
    #: the resource it was said of (Analyze), or "" (AnalyzeStack)
    urn: str = ""


@dataclass(frozen=True)
class AnalyzeResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)

    @property
    def mandatory(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.mandatory]

    @property
    def advisory(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.enforcement_level == "advisory"]

    def __add__(self, other: AnalyzeResult) -> AnalyzeResult:
        return AnalyzeResult(self.diagnostics + other.diagnostics, self.not_applicable + other.not_applicable)


@dataclass(frozen=True)
class PolicyInfo:
    name: str
    display_name: str
    description: str
    enforcement_level: str
    policy_type: str  # resource | stack | unknown
    severity: str
    config_schema: dict[str, Any]  # {"properties": {...}, "required": [...]}
    framework: dict[str, str]
    tags: list[str]
    remediation_steps: str
    url: str


@dataclass(frozen=True)
class AnalyzerInfo:
    name: str
    version: str
    display_name: str
    description: str
    supports_config: bool
    policies: list[PolicyInfo]
    initial_config: dict[str, dict[str, Any]]
    tags: list[str]
    provider: str
    repository: str
    readme: str

    def policy(self, name: str) -> PolicyInfo:
        for p in self.policies:
            if p.name == name:
                return p
        raise KeyError(f"pack {self.name} has no policy {name!r}; it has {[p.name for p in self.policies]}")


#: A ``Log`` call the pack made to its engine address (recorded by the same Engine server programs log to).
LogEntry = LogLine


# ------------------------------------------------------------------------------------------------------
# Request building
# ------------------------------------------------------------------------------------------------------
def _struct(value: Mapping[str, Any] | struct_pb2.Struct | None) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    if isinstance(value, struct_pb2.Struct):
        out.CopyFrom(value)
    elif value:
        out.update(_jsonable(value))
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def _seconds(duration: str) -> float:
    """A Go duration string ("5m", "1h30m") in seconds, as the engine converts custom timeouts."""
    return sum(float(n) * _UNIT_SECONDS[u] for n, u in _DURATION.findall(duration or ""))


def _qualified_type(parent_urn: str, typ: str) -> str:
    """The engine's qualified type: the parent's qualified type + "$" + type; none for the root stack."""
    if not parent_urn:
        return typ
    parent_type = parent_urn.split("::")[2]
    return typ if parent_type == "pulumi:pulumi:Stack" else f"{parent_type}${typ}"


def _alias_urns(r: RegisteredResource) -> list[str]:
    """The alias URNs the engine would send: explicit URNs, and specs resolved against the resource."""
    out: list[str] = []
    parts = r.urn.split("::")
    stack, project = parts[0].removeprefix("urn:pulumi:"), (parts[1] if len(parts) > 1 else "")
    for alias in r.aliases:
        if "urn" in alias:
            out.append(alias["urn"])
            continue
        spec = alias.get("spec", {})
        parent = "" if spec.get("noParent") else (spec.get("parentUrn") or r.parent)
        qualified = _qualified_type(parent, spec.get("type") or r.type)
        out.append(
            f"urn:pulumi:{spec.get('stack') or stack}::{spec.get('project') or project}::{qualified}::"
            f"{spec.get('name') or r.name}"
        )
    return out


def _options(r: RegisteredResource) -> analyzer_pb2.AnalyzerResourceOptions:
    opts = analyzer_pb2.AnalyzerResourceOptions(
        protect=r.protect,
        ignoreChanges=r.ignore_changes,
        deleteBeforeReplace=r.delete_before_replace,
        deleteBeforeReplaceDefined=r.delete_before_replace_defined,
        additionalSecretOutputs=r.additional_secret_outputs,
        aliases=_alias_urns(r),
        parent=r.parent,
    )
    if r.custom_timeouts:
        opts.customTimeouts.CopyFrom(
            analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(
                create=_seconds(r.custom_timeouts.get("create", "")),
                update=_seconds(r.custom_timeouts.get("update", "")),
                delete=_seconds(r.custom_timeouts.get("delete", "")),
            )
        )
    return opts


def _provider_ref_urn(ref: str) -> str:
    return ref.rsplit("::", 1)[0] if ref else ""


def _provider(ref: str, known: Mapping[str, RegisteredResource]) -> analyzer_pb2.AnalyzerProviderResource | None:
    """The provider as the engine describes it, in Analyze and AnalyzeStack alike: by its *inputs*
    (pulumi/pulumi pkg/resource/deploy/step_generator.go and analyze_snapshot.go: ``providerResource.Inputs``)."""
    urn = _provider_ref_urn(ref)
    if not urn:
        return None
    prov = known.get(urn)
    name = urn.rsplit("::", 1)[-1]
    typ = urn.split("::")[2].split("$")[-1] if urn.count("::") >= 3 else ""
    if prov is None:
        return analyzer_pb2.AnalyzerProviderResource(type=typ, urn=urn, name=name)
    return analyzer_pb2.AnalyzerProviderResource(
        type=prov.type, properties=_struct(prov.inputs_struct), urn=urn, name=prov.name
    )


def _fill_options_and_provider(
    r: Mapping[str, Any],
    message: analyzer_pb2.AnalyzeRequest | analyzer_pb2.AnalyzerResource,
    built: dict[int, analyzer_pb2.AnalyzerProviderResource] | None = None,
) -> None:
    """A dict resource's ``options`` and ``provider`` into ``message``. Built directly when the keys are the
    messages' field names (what :mod:`.state` sends): ``json_format.ParseDict`` took a sixth of a 3,000-resource
    ``--state`` check. Anything else (JSON names, wrong types) goes through ParseDict, which says what is wrong.
    ``built``: providers already built in this batch, by the identity of their properties (every resource of a
    state shares its provider's one dict), each kept alive by the resources that hold it."""
    options, provider = r.get("options"), r.get("provider")
    if options:
        try:
            message.options.CopyFrom(analyzer_pb2.AnalyzerResourceOptions(**options))
        except (TypeError, ValueError):
            json_format.ParseDict(dict(options), message.options)
    if provider:
        properties = provider.get("properties")
        key = id(properties)
        cached = built.get(key) if built is not None and properties else None
        if cached is not None and cached.urn == provider.get("urn"):
            message.provider.CopyFrom(cached)
            return
        fields = {k: v for k, v in provider.items() if k != "properties"}
        try:
            made = analyzer_pb2.AnalyzerProviderResource(**fields)
        except (TypeError, ValueError):
            json_format.ParseDict(dict(provider), message.provider)
            return
        if properties:
            made.properties.CopyFrom(_struct(properties))
            if built is not None:
                built[key] = made
        message.provider.CopyFrom(made)


def _secret_wrapped(outputs: Mapping[str, Any], secret_keys: Iterable[str]) -> dict[str, Any]:
    """Outputs with the secret top-level values wrapped as the engine sends them (KeepSecrets)."""
    from .records import _SECRET_SIG, _SECRET_SIG_KEY

    keys = set(secret_keys)
    return {k: ({_SECRET_SIG_KEY: _SECRET_SIG, "value": v} if k in keys else v) for k, v in outputs.items()}


# ------------------------------------------------------------------------------------------------------
# The client
# ------------------------------------------------------------------------------------------------------
class AnalyzerClient:
    """A running policy pack. Use as a context manager; the pack's process is always terminated."""

    def __init__(
        self,
        pack_dir: str | os.PathLike[str],
        *,
        project: str = "project",
        stack: str = "dev",
        organization: str = "organization",
        dry_run: bool = False,
        config: Mapping[str, Any] | None = None,
        python: str | os.PathLike[str] | None = None,
        start_timeout: float = 60.0,
        call_timeout: float = 60.0,
        env: Mapping[str, str] | None = None,
        socket_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.pack_dir = Path(pack_dir).resolve()
        self.project, self.stack, self.organization, self.dry_run = project, stack, organization, dry_run
        self.config = dict(config or {})
        self.python = str(python or sys.executable)
        self.start_timeout, self.call_timeout = start_timeout, call_timeout
        self.extra_env = dict(env or {})
        #: the pack's Analyzer address (``unix:PATH``), once it serves
        self.address: str | None = None
        self.engine_address: str | None = None
        self._socket_dir = Path(socket_dir) if socket_dir is not None else None
        self._own_socket_dir: ExitStack | None = None
        self._tracking: AbstractContextManager[None] | None = None
        #: seconds from starting the process to reading its port
        self.startup_seconds: float | None = None
        self._engine = EngineLog()
        self._engine_server: grpc.Server | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None
        self._stderr: list[str] = []
        self._stderr_lock = threading.Lock()
        self._info: AnalyzerInfo | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------
    def __enter__(self) -> AnalyzerClient:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def engine_logs(self) -> list[LogEntry]:
        """``Log`` calls the pack made to the engine address."""
        return list(self._engine.lines)

    @property
    def stderr(self) -> str:
        """What the pack wrote to stderr so far (its ``pulumi.log`` lines, tracebacks)."""
        with self._stderr_lock:
            return "".join(self._stderr)

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            PULUMI_PROJECT=self.project,
            PULUMI_STACK=self.stack,
            PULUMI_ORGANIZATION=self.organization,
            PULUMI_DRY_RUN="true" if self.dry_run else "false",
            PULUMI_CONFIG=json.dumps({k: (v if isinstance(v, str) else json.dumps(v)) for k, v in self.config.items()}),
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        """Start the pack on a Unix socket in a private folder (see pack_host.py) and wait until it serves."""
        if self._proc is not None:
            raise PolicyPackError("already started")
        if not self.pack_dir.is_dir():
            raise PolicyPackError(f"policy pack directory {self.pack_dir} does not exist")
        if self._socket_dir is None:
            self._own_socket_dir = ExitStack()
            self._socket_dir = self._own_socket_dir.enter_context(private_dir())
        self._engine_server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        engine_pb2_grpc.add_EngineServicer_to_server(self._engine, self._engine_server)
        self.engine_address = f"unix:{self._socket_dir / 'pack-engine.sock'}"
        self._engine_server.add_insecure_port(self.engine_address)
        self._engine_server.start()

        socket = self._socket_dir / "pack.sock"
        cmd = [self.python, "-u", str(PACK_HOST), str(socket), str(os.getpid()), self.engine_address,
               str(self.pack_dir)]  # fmt: skip
        started = time.monotonic()
        try:
            self._proc = subprocess.Popen(
                cmd, cwd=self.pack_dir, env=self._env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, start_new_session=True,
            )  # fmt: skip
        except OSError as exc:
            self.close()
            raise PolicyPackError(f"cannot run {cmd[0]} for policy pack {self.pack_dir}: {exc}") from exc
        self._tracking = tracked("process", self._proc)
        self._tracking.__enter__()

        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump_stdout, args=(self._proc, lines), daemon=True).start()
        threading.Thread(target=self._pump_stderr, args=(self._proc,), daemon=True).start()
        try:
            first = lines.get(timeout=self.start_timeout)
        except queue.Empty:
            first = None
            reason = f"printed no port within {self.start_timeout:.0f} s"
        else:
            reason = "exited before printing its port" if first is None else ""
        if first is not None and not first.strip().isdigit():
            reason, first = f"printed {first.strip()[:200]!r} where its port was expected", None
        if first is None:
            self._stop_process()
            code = self._proc.returncode if self._proc else None
            self.close()
            raise PolicyPackError(
                f"policy pack {self.pack_dir} did not start ({reason}; exit code {code}); "
                f"command: {' '.join(cmd)}\n--- pack stderr ---\n{self.stderr.strip() or '(empty)'}"
            )
        self.startup_seconds = time.monotonic() - started
        self.address = f"unix:{socket}"
        self._channel = grpc.insecure_channel(self.address, options=_CLI_CHANNEL_OPTIONS)
        try:
            grpc.channel_ready_future(self._channel).result(timeout=self.start_timeout)
        except grpc.FutureTimeoutError as exc:
            self.close()
            raise PolicyPackError(f"policy pack {self.pack_dir} said it was ready but never served") from exc
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)

    @staticmethod
    def _pump_stdout(proc: subprocess.Popen[bytes], lines: queue.Queue[str | None]) -> None:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        lines.put(first.decode(errors="replace") if first else None)
        for _ in proc.stdout:  # keep draining so the pack never blocks on a full pipe
            pass

    def _pump_stderr(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            with self._stderr_lock:
                self._stderr.append(raw.decode(errors="replace"))

    def _stop_process(self) -> None:
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        # The pack runs in its own session: anything it started goes with it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        if self._tracking is not None:
            self._tracking.__exit__(None, None, None)
            self._tracking = None

    def close(self) -> None:
        """Close the channel, terminate the pack (kill it if it does not exit) and stop the engine server."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        self._stub = None
        self._stop_process()
        if self._engine_server is not None:
            self._engine_server.stop(0)
            self._engine_server = None
        if self._own_socket_dir is not None:
            self._own_socket_dir.close()
            self._own_socket_dir, self._socket_dir = None, None

    @property
    def returncode(self) -> int | None:
        return None if self._proc is None else self._proc.poll()

    # -- calls -------------------------------------------------------------------------------------------
    def _call(self, method: str, request: Any) -> Any:
        if self._stub is None:
            raise PolicyPackError("the policy pack is not running (use AnalyzerClient as a context manager)")
        try:
            return getattr(self._stub, method)(request, timeout=self.call_timeout)
        except grpc.RpcError as exc:
            raise self._failure(method, exc) from exc

    def _failure(self, method: str, exc: grpc.RpcError) -> PolicyPackError:
        return PolicyPackError(
            f"{method} failed on policy pack {self.pack_dir}: {exc.code().name}: {exc.details()}"
            f"\n--- pack stderr ---\n{self.stderr.strip() or '(empty)'}"
        )

    def get_plugin_info(self) -> str:
        return str(self._call("GetPluginInfo", empty_pb2.Empty()).version)

    def get_analyzer_info(self) -> AnalyzerInfo:
        resp = self._call("GetAnalyzerInfo", empty_pb2.Empty())
        policies = [
            PolicyInfo(
                name=p.name,
                display_name=p.displayName,
                description=p.description,
                enforcement_level=_LEVEL_NAMES.get(p.enforcementLevel, str(p.enforcementLevel)),
                policy_type=_POLICY_TYPES.get(p.policy_type, str(p.policy_type)),
                severity=_SEVERITY_NAMES.get(p.severity, str(p.severity)),
                config_schema={
                    "properties": json_format.MessageToDict(p.configSchema.properties),
                    "required": list(p.configSchema.required),
                },
                framework=json_format.MessageToDict(p.framework) if p.HasField("framework") else {},
                tags=list(p.tags),
                remediation_steps=p.remediation_steps,
                url=p.url,
            )
            for p in resp.policies
        ]
        initial: dict[str, dict[str, Any]] = {}
        for name, cfg in resp.initialConfig.items():
            initial[name] = {
                "enforcementLevel": _LEVEL_NAMES.get(cfg.enforcementLevel, str(cfg.enforcementLevel)),
                **json_format.MessageToDict(cfg.properties),
            }
        self._info = AnalyzerInfo(
            name=resp.name,
            version=resp.version,
            display_name=resp.displayName,
            description=resp.description,
            supports_config=resp.supportsConfig,
            policies=policies,
            initial_config=initial,
            tags=list(resp.tags),
            provider=resp.provider,
            repository=resp.repository,
            readme=resp.readme,
        )
        return self._info

    def build_handshake_request(self) -> analyzer_pb2.AnalyzerHandshakeRequest:
        pack_dir = str(self.pack_dir)
        return analyzer_pb2.AnalyzerHandshakeRequest(
            engine_address=self.engine_address or "", root_directory=pack_dir, program_directory=pack_dir
        )

    def handshake(self) -> bool:
        """Send ``Handshake`` as newer CLIs do; False when the pack does not implement it (the CLI's fallback).

        The CLI (``NewPolicyAnalyzer`` in pulumi/pulumi's ``analyzer_plugin.go``) sends the pack's own folder as
        both root and program directory, since the pack, not the stack's program, is what the plugin runs.
        """
        try:
            self._call("Handshake", self.build_handshake_request())
        except PolicyPackError as exc:
            if isinstance(exc.__cause__, grpc.RpcError) and exc.__cause__.code() == grpc.StatusCode.UNIMPLEMENTED:
                return False
            raise
        return True

    def configure_stack(
        self, *, tags: Mapping[str, str] | None = None, config: Mapping[str, str] | None = None
    ) -> None:
        """``ConfigureStack``: stack identity, config and tags, as the CLI sends before analysing."""
        self._call(
            "ConfigureStack",
            analyzer_pb2.AnalyzerStackConfigureRequest(
                stack=self.stack,
                project=self.project,
                organization=self.organization,
                dry_run=self.dry_run,
                config={k: (v if isinstance(v, str) else json.dumps(v)) for k, v in (config or {}).items()},
                tags=dict(tags or {}),
            ),
        )

    def build_configure_request(self, policy_config: Mapping[str, Any]) -> analyzer_pb2.ConfigureAnalyzerRequest:
        """The request the CLI builds from a ``--policy-pack-config`` file.

        Each value is an enforcement level string or an object with an optional ``enforcementLevel`` and the
        policy's properties; the key ``all`` sets the level of every policy. As the CLI does, every policy of
        the pack is sent, its level and properties resolved: given > ``all`` > the pack's initial config >
        the policy's own; properties start from the schema defaults. Unknown policy names, unknown levels and
        missing required properties raise ValueError (the CLI refuses them too).
        """
        info = self._info or self.get_analyzer_info()
        by_name = {p.name: p for p in info.policies}
        unknown = sorted(set(policy_config) - set(by_name) - {"all"})
        if unknown:
            raise ValueError(f"policy pack {info.name} has no policies {unknown}; it has {sorted(by_name)}")

        def split(value: Any, where: str) -> tuple[str | None, dict[str, Any]]:
            if isinstance(value, str):
                return value, {}
            if not isinstance(value, Mapping):
                raise ValueError(f"config for {where} must be a level string or an object, not {value!r}")
            props = {k: v for k, v in value.items() if k != "enforcementLevel"}
            return value.get("enforcementLevel"), props

        all_level, _ = split(policy_config.get("all", {}), "all")
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, policy in by_name.items():
            level, props = split(policy_config.get(name, {}), name)
            initial = dict(info.initial_config.get(name, {}))
            initial_level = initial.pop("enforcementLevel", None)
            resolved_level = level or all_level or initial_level or policy.enforcement_level
            if resolved_level not in ENFORCEMENT_LEVELS:
                raise ValueError(
                    f"{name}: unknown enforcement level {resolved_level!r}; use {list(ENFORCEMENT_LEVELS)}"
                )
            schema_props = policy.config_schema.get("properties", {})
            merged = {k: s["default"] for k, s in schema_props.items() if isinstance(s, Mapping) and "default" in s}
            merged.update(initial)
            merged.update(props)
            missing = [k for k in policy.config_schema.get("required", []) if k not in merged]
            if missing:
                raise ValueError(f"{name}: required config properties {missing} are missing")
            cfg = request.policyConfig[name]
            cfg.enforcementLevel = ENFORCEMENT_LEVELS[resolved_level]
            cfg.properties.CopyFrom(_struct(merged))
        return request

    def configure(self, policy_config: Mapping[str, Any]) -> analyzer_pb2.ConfigureAnalyzerRequest:
        """``Configure`` with a ``--policy-pack-config``-style dict; returns the request sent."""
        request = self.build_configure_request(policy_config)
        self._call("Configure", request)
        return request

    # -- analysis ----------------------------------------------------------------------------------------
    @staticmethod
    def _as_record(resource: ResourceLike) -> RegisteredResource | Mapping[str, Any]:
        if isinstance(resource, RegisteredResource):
            return resource
        for key in ("type", "name", "urn"):
            if key not in resource:
                raise ValueError(f"resource dict needs {key!r}: {dict(resource)!r}")
        return resource

    def build_analyze_request(
        self, resource: ResourceLike, *, known: Mapping[str, RegisteredResource] | None = None,
        _providers: dict[int, analyzer_pb2.AnalyzerProviderResource] | None = None,
    ) -> analyzer_pb2.AnalyzeRequest:
        """``AnalyzeRequest`` as the engine sends it before a step: the resource's inputs as sent."""
        r = self._as_record(resource)
        if isinstance(r, RegisteredResource):
            req = analyzer_pb2.AnalyzeRequest(
                type=r.type, properties=_struct(r.inputs_struct), urn=r.urn, name=r.name, options=_options(r)
            )
            prov = _provider(r.provider, known or {})
            if prov is not None:
                req.provider.CopyFrom(prov)
            return req
        req = analyzer_pb2.AnalyzeRequest(
            type=r["type"], properties=_struct(r.get("properties")), urn=r["urn"], name=r["name"]
        )
        _fill_options_and_provider(r, req, _providers)
        return req

    def build_analyzer_resource(
        self, resource: ResourceLike, *, known: Mapping[str, RegisteredResource] | None = None,
        _providers: dict[int, analyzer_pb2.AnalyzerProviderResource] | None = None,
    ) -> analyzer_pb2.AnalyzerResource:
        """``AnalyzerResource`` as in ``AnalyzeStack``, after the update: outputs, parent, dependencies."""
        r = self._as_record(resource)
        if isinstance(r, RegisteredResource):
            res = analyzer_pb2.AnalyzerResource(
                type=r.type,
                properties=_struct(_secret_wrapped(r.outputs, r.secret_inputs | set(r.additional_secret_outputs))),
                urn=r.urn,
                name=r.name,
                options=_options(r),
                parent=r.parent,
                dependencies=r.dependencies,
            )
            for key, urns in r.property_dependencies.items():
                res.propertyDependencies[key].urns.extend(urns)
            prov = _provider(r.provider, known or {})
            if prov is not None:
                res.provider.CopyFrom(prov)
            return res
        res = analyzer_pb2.AnalyzerResource(
            type=r["type"],
            properties=_struct(r.get("properties")),
            urn=r["urn"],
            name=r["name"],
            parent=r.get("parent", ""),
            dependencies=list(r.get("dependencies", [])),
        )
        for key, urns in (r.get("property_dependencies") or {}).items():
            res.propertyDependencies[key].urns.extend(urns)
        _fill_options_and_provider(r, res, _providers)
        return res

    def _result(self, response: analyzer_pb2.AnalyzeResponse, default_urn: str = "") -> AnalyzeResult:
        return AnalyzeResult(
            diagnostics=[
                Diagnostic(
                    # Interned: a run over thousands of stacks keeps every violation, and these texts repeat
                    # (the same policy says the same thing of every trail); one copy each, not one per violation.
                    policy_name=sys.intern(d.policyName),
                    policy_pack_name=sys.intern(d.policyPackName),
                    policy_pack_version=sys.intern(d.policyPackVersion),
                    enforcement_level=_LEVEL_NAMES.get(d.enforcementLevel, str(d.enforcementLevel)),
                    urn=d.urn or default_urn,
                    message=sys.intern(d.message),
                    description=sys.intern(d.description),
                    severity=_SEVERITY_NAMES.get(d.severity, str(d.severity)),
                    reported_urn=d.urn,
                )
                for d in response.diagnostics
            ],
            not_applicable=[NotApplicable(sys.intern(n.policy_name), sys.intern(n.reason), default_urn)
                            for n in response.not_applicable],
        )

    def analyze(
        self, resource: ResourceLike, *, known: Mapping[str, RegisteredResource] | None = None
    ) -> AnalyzeResult:
        """``Analyze`` one resource (its inputs). ``known``: records by URN, to resolve its provider."""
        request = self.build_analyze_request(resource, known=known)
        return self._result(self._call("Analyze", request), default_urn=request.urn)

    def analyze_each(
        self, resources: Sequence[ResourceLike], *, on_each: Callable[[int, int], None] | None = None
    ) -> AnalyzeResult:
        """``Analyze`` every resource, results combined in the resources' order, as the engine does in an update.

        Up to :data:`ANALYZE_IN_FLIGHT` calls are in flight at once: the pack serves each on its own worker thread
        and keeps nothing between calls (pulumi-policy's ``Analyze`` reads only the request and its
        configuration), so the answers are the same as one at a time, while building the next requests here
        overlaps the pack's work there. ``on_each(done, total)`` is called after each answer, in order.
        """
        known = {r.urn: r for r in resources if isinstance(r, RegisteredResource)}
        diagnostics: list[Diagnostic] = []
        not_applicable: list[NotApplicable] = []
        if self._stub is None:
            raise PolicyPackError("the policy pack is not running (use AnalyzerClient as a context manager)")
        send = self._stub.Analyze.future
        waiting: deque[tuple[str, Any]] = deque()
        done = 0

        def collect() -> None:
            nonlocal done
            urn, call = waiting.popleft()
            try:
                response = call.result()
            except grpc.RpcError as exc:
                for _, later in waiting:
                    later.cancel()
                raise self._failure("Analyze", exc) from exc
            result = self._result(response, default_urn=urn)
            # Extended in place: adding AnalyzeResults one by one copies every earlier diagnostic each time,
            # which is quadratic on a program with thousands of violating resources.
            diagnostics.extend(result.diagnostics)
            not_applicable.extend(result.not_applicable)
            done += 1
            if on_each is not None:
                on_each(done, len(resources))

        providers: dict[int, analyzer_pb2.AnalyzerProviderResource] = {}
        for r in resources:
            request = self.build_analyze_request(r, known=known, _providers=providers)
            waiting.append((request.urn, send(request, timeout=self.call_timeout)))
            if len(waiting) >= ANALYZE_IN_FLIGHT:
                collect()
        while waiting:
            collect()
        return AnalyzeResult(diagnostics, not_applicable)

    def analyze_stack(self, resources: Sequence[ResourceLike]) -> AnalyzeResult:
        """``AnalyzeStack`` over every resource (outputs, parents, dependencies), as after an update."""
        known = {r.urn: r for r in resources if isinstance(r, RegisteredResource)}
        providers: dict[int, analyzer_pb2.AnalyzerProviderResource] = {}
        request = analyzer_pb2.AnalyzeStackRequest(
            resources=[self.build_analyzer_resource(r, known=known, _providers=providers) for r in resources]
        )
        return self._result(self._call("AnalyzeStack", request))

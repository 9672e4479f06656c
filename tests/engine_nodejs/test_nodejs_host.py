"""The command line and environment, as pulumi-language-nodejs builds them (main.go: constructArguments,
constructConfig, parseOptions)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from compliant_cloudtrail.check.launchers.nodejs_host import (
    NodeCommand,
    NodeError,
    config_env,
    node_command,
    node_config,
    nodejs_argv,
)
from compliant_cloudtrail.check.project import Project


def project(tmp_path: Path, **options) -> Project:
    return Project(tmp_path, "p", "nodejs", options, tmp_path, ".", {})


def test_config_keys_take_the_old_config_form_and_secret_keys_do_not() -> None:
    cmd = NodeCommand("node", "v20.0.0", ["run"], {}, "")
    env = config_env(cmd, {"aws:region": "eu-west-1", "p:name": "x"}, ["p:name"])
    assert env["PULUMI_CONFIG"] == '{"aws:config:region": "eu-west-1", "p:config:name": "x"}'
    assert env["PULUMI_CONFIG_SECRET_KEYS"] == '["p:name"]'
    assert node_config({"bare": "v"}) == {"bare": "v"}


@pytest.mark.parametrize("preview", [True, False])
def test_dry_run_is_a_flag_only_in_a_preview(tmp_path: Path, preview: bool) -> None:
    cmd = NodeCommand("/bin/node", "v20.0.0", ["--max-old-space-size=64", "/nm/run"], {}, "")
    argv = nodejs_argv(cmd, project(tmp_path), "127.0.0.1:1", SimpleNamespace(stack="dev", preview=preview, parallel=4))
    assert argv[:3] == ["/bin/node", "--max-old-space-size=64", "/nm/run"]
    assert ("--dry-run" in argv) is preview
    assert argv[-1] == "." and argv[argv.index("--monitor") + 1] == argv[argv.index("--engine") + 1]


@pytest.mark.parametrize(
    ("options", "message"),
    [({"typescript": "yes"}, "typescript option must be a boolean"),
     ({"nodeargs": 3}, "nodeargs option must be a string"),
     ({"tsconfig": ["a"]}, "tsconfigpath option must be a string")],
)  # fmt: skip
def test_mistyped_options_are_refused_as_the_host_does(tmp_path: Path, options: dict, message: str) -> None:
    with pytest.raises(NodeError, match=message):
        node_command(project(tmp_path, **options), {"PATH": ""})


def test_typescript_is_on_by_default_and_tsconfig_is_passed_on(tmp_path: Path, node_modules: Path) -> None:
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    cmd = node_command(project(tmp_path, tsconfig="tsconfig.pulumi.json"), dict(os.environ))
    assert cmd.env["PULUMI_NODEJS_TYPESCRIPT"] == "true"
    assert cmd.env["PULUMI_NODEJS_TSCONFIG_PATH"] == "tsconfig.pulumi.json"
    assert cmd.prefix[-1].endswith("@pulumi/pulumi/cmd/run/index.js"), cmd.prefix
    off = node_command(project(tmp_path, typescript=False), dict(os.environ))
    assert "PULUMI_NODEJS_TYPESCRIPT" not in off.env or off.env["PULUMI_NODEJS_TYPESCRIPT"] != "true"

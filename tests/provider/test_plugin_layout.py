"""The plugin folder is laid out as the Pulumi CLI needs it to install and start a source-based Python plugin.

Sources: the CLI reads ``PulumiPlugin.yaml`` in the plugin folder and accepts no entry point in it ("Plugin's
are not able to set a non-standard entry point", pkg/workspace/plugin.go); the Python language host runs
``python <plugin folder> ...`` when the folder has a ``__main__.py`` (RunPlugin in
sdk/python/cmd/pulumi-language-python/main.go) and installs ``requirements.txt`` from that folder; a folder
holding both ``Pulumi.yaml`` and ``PulumiPlugin.yaml`` is refused ("detected both", LoadBaseProjectFrom in
sdk/go/common/workspace/loaders.go).
"""

from __future__ import annotations

import tomllib

import yaml

from .provider_process import PLUGIN_DIR, REPO


def test_the_plugin_folder_runs_python_from_its_own_main() -> None:
    plugin = yaml.safe_load((PLUGIN_DIR / "PulumiPlugin.yaml").read_text())
    assert plugin["runtime"]["name"] == "python"
    assert "main" not in plugin, "the CLI ignores main: in PulumiPlugin.yaml; the entry is the folder's __main__.py"
    assert (PLUGIN_DIR / "__main__.py").is_file()


def test_no_folder_is_both_a_project_and_a_plugin() -> None:
    assert not (PLUGIN_DIR / "Pulumi.yaml").exists()
    assert not (REPO / "PulumiPlugin.yaml").exists(), "beside the example stack's Pulumi.yaml the CLI refuses both"


def test_the_plugin_requirements_install_this_repository() -> None:
    lines = [line.strip() for line in (PLUGIN_DIR / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(lines) == 1
    target = (PLUGIN_DIR / lines[0].removeprefix("-e ").strip()).resolve()
    assert tomllib.loads((target / "pyproject.toml").read_text())["project"]["name"] == "compliant-cloudtrail"

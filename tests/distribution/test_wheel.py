"""What `pip install` of this repository gives a user: one top-level package, typed, with the whole policy pack."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PACK_FILES = ("PulumiPolicy.yaml", "__main__.py", "requirements.txt", "__init__.py", "policies/pack.py",
              "filter_pattern/__init__.py", "policies/probes.json")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    # From a copy without build leftovers: setuptools would otherwise reuse an egg-info's file list (an editable
    # install leaves one) and ship files that pyproject.toml no longer declares.
    source = tmp_path_factory.mktemp("source") / "compliant-cloudtrail"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "venv", "build", "*.egg-info", "__pycache__", "node_modules", ".hypothesis", "*_cache"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(source)], check=True, capture_output=True, timeout=300)
    [built] = out.glob("compliant_cloudtrail-*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_installs_one_top_level_package(wheel: zipfile.ZipFile) -> None:
    tops = {name.split("/")[0] for name in wheel.namelist() if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"compliant_cloudtrail"}
    assert "compliant_cloudtrail/py.typed" in wheel.namelist()


def test_the_wheel_carries_the_whole_policy_pack(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    missing = [f for f in PACK_FILES if f"compliant_cloudtrail/policy_pack/{f}" not in names]
    assert not missing, f"the installed pack would lack {missing}"
    assert "compliant_cloudtrail/component/cis_catalog.json" in names


def test_console_scripts_are_declared(wheel: zipfile.ZipFile) -> None:
    [entry_points] = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    parser = configparser.ConfigParser()
    parser.read_string(wheel.read(entry_points).decode())
    assert dict(parser["console_scripts"]) == {
        "cloudtrail-check": "compliant_cloudtrail.check.__main__:main",
        "compliant-cloudtrail": "compliant_cloudtrail.cli:main",
    }


def test_one_version_in_pyproject_the_pack_and_the_package() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    pack = yaml.safe_load((ROOT / "compliant_cloudtrail/policy_pack/PulumiPolicy.yaml").read_text())["version"]
    shown = subprocess.run([sys.executable, "-m", "compliant_cloudtrail.cli", "version"], capture_output=True,
                           text=True, check=True, timeout=60).stdout.strip()
    assert declared == str(pack) == shown


def test_pack_path_prints_the_folder_the_cli_can_run() -> None:
    shown = subprocess.run([sys.executable, "-m", "compliant_cloudtrail.cli", "pack-path"], capture_output=True,
                           text=True, check=True, timeout=60).stdout.strip()
    assert (Path(shown) / "PulumiPolicy.yaml").is_file() and (Path(shown) / "__main__.py").is_file()

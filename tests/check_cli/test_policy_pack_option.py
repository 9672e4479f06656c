"""``--policy-pack``: any pack, told the program's project, stack, mode and config as the CLI tells it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from .conftest import EXAMPLES, check, urn

# A throwaway pack whose only policy reports what the pack was told about the stack it judges.
WITNESS_PACK = '''
import pulumi
import pulumi.runtime
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def tell(args, report_violation):
    if args.resource_type == "aws:cloudtrail/trail:Trail":
        report_violation(
            f"project={pulumi.get_project()} stack={pulumi.get_stack()} dry_run={pulumi.runtime.is_dry_run()} "
            f"region={pulumi.Config('aws').get('region')}"
        )


PolicyPack(
    name="witness-pack",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[ResourceValidationPolicy(name="witness", description="Reports the stack it sees.", validate=tell)],
)
'''


def witness_pack(tmp_path: Path) -> Path:
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (tmp_path / "__main__.py").write_text(textwrap.dedent(WITNESS_PACK))
    return tmp_path


def test_another_pack_is_told_the_stack_mode_and_config(tmp_path: Path) -> None:
    pack = witness_pack(tmp_path)
    run = check(
        EXAMPLES / "bare-trail", "--policy-pack", pack, "--stack", "prod", "--preview",
        "--config", "aws:region=eu-west-2", "--json",
    )  # fmt: skip
    report = run.json()
    assert run.code == 1, run.describe()
    assert report["policy_pack"]["name"] == "witness-pack", run.describe()
    (violation,) = report["violations"]
    assert violation["urn"] == urn("bare-trail", "aws:cloudtrail/trail:Trail", "bare", stack="prod"), run.describe()
    assert violation["message"].endswith(
        "project=bare-trail stack=prod dry_run=True region=eu-west-2"
    ), run.describe()

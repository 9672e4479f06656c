"""The line of the program that declared each finding's resource (issue 19), from the ``sourcePosition`` the Pulumi
SDKs send with every registration (pulumi 3.272 Python ``runtime/resource.py`` ``_get_source_position``;
@pulumi/pulumi 3.270 ``resource.js``: the frame below the resource's constructor). For a resource inside a
component, the line that created the component; never an SDK's or an installed library's frame.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzeResult
from compliant_cloudtrail.check.cli import CheckOutcome
from compliant_cloudtrail.check.findings import SourceLocation, build_findings, locations
from compliant_cloudtrail.check.records import ResourceOrigin
from tests.check_cli.conftest import DELIVERY, check
from tests.check_reports.test_formats import line_of
from tests.engine_nodejs.conftest import PROGRAMS, install_fixture_modules

STACK = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"
TRAIL = "aws:cloudtrail/trail:Trail"


def write_component_program(root: Path) -> Path:
    """A trail without CloudWatch Logs inside the user's own component, defined in another file of the program."""
    root.mkdir()
    (root / "Pulumi.yaml").write_text("name: wrapped\nruntime: python\n")
    (root / "audit.py").write_text(
        textwrap.dedent("""\
        import pulumi
        import pulumi_aws as aws


        class AuditTrail(pulumi.ComponentResource):
            def __init__(self, name, opts=None):
                super().__init__("acme:index:AuditTrail", name, None, opts)
                bucket = aws.s3.Bucket(f"{name}-logs", opts=pulumi.ResourceOptions(parent=self))
                aws.cloudtrail.Trail(f"{name}-trail", s3_bucket_name=bucket.id,
                                     opts=pulumi.ResourceOptions(parent=self))
                self.register_outputs({})
    """)
    )
    (root / "__main__.py").write_text("import pulumi\nfrom audit import AuditTrail\n\n\nAuditTrail('team')\n")
    return root


def test_a_resource_inside_a_component_points_at_the_line_that_created_the_component(tmp_path: Path) -> None:
    program = write_component_program(tmp_path / "wrapped")
    run = check(program, "--json")
    report = run.json()
    [delivery] = [v for v in report["violations"] if v["policy"] == DELIVERY]
    assert delivery["name"] == "team-trail", run.describe()
    assert delivery["location"] == {
        "path": "__main__.py",
        "line": line_of(program / "__main__.py", "AuditTrail('team')"),
    }
    assert not any("source positions" in note for note in report["notes"]), report["notes"]


def test_a_typescript_program_points_at_its_ts_lines(tmp_path: Path) -> None:
    root = tmp_path / "programs"
    root.mkdir()
    (root / "node_modules").symlink_to(install_fixture_modules(), target_is_directory=True)
    program = root / "three-trails"
    shutil.copytree(PROGRAMS / "three-trails", program, ignore=shutil.ignore_patterns("node_modules"))
    run = check(program, "--json")
    located = {v["name"]: v["location"] for v in run.json()["violations"] if v["policy"] == DELIVERY}
    index = program / "index.ts"
    assert located == {
        "bare": {"path": "index.ts", "line": line_of(index, 'new aws.cloudtrail.Trail("bare"')},
        "no-wildcard": {"path": "index.ts", "line": line_of(index, 'new aws.cloudtrail.Trail("no-wildcard"')},
    }, run.describe()


def origin(name: str, parent: str, position: tuple[str, int] | None, type_: str = TRAIL) -> ResourceOrigin:
    return ResourceOrigin(f"urn:pulumi:dev::p::{type_}::{name}", type_, name, parent, position)


@pytest.mark.parametrize(
    "position",
    [
        ("file:///prog/venv/lib/python3.11/site-packages/pulumi/runtime/stack.py", 235),  # an SDK frame
        ("file:///prog/node_modules/@pulumi/aws/cloudtrail/trail.js", 10),
        ("file:///elsewhere/lib.py", 3),  # outside the program
        ("https://example.com/x.py", 3),
    ],
)
def test_a_position_outside_the_users_files_is_no_location(position: tuple[str, int]) -> None:
    assert locations([origin("t", STACK, position)], Path("/prog")) == {}


def test_the_outermost_component_line_wins_and_inner_ones_are_the_fallback() -> None:
    comp = origin("c", STACK, ("file:///prog/__main__.py", 7), "acme:index:C")
    inner = origin("t", comp.urn, ("file:///prog/lib/c.py", 12))
    assert locations([comp, inner], Path("/prog"))[inner.urn] == SourceLocation("__main__.py", 7)
    sdk_made = origin("c2", STACK, ("file:///prog/node_modules/x/index.js", 1), "acme:index:C")
    inner2 = origin("t2", sdk_made.urn, ("file:///prog/index.ts", 4))
    assert locations([sdk_made, inner2], Path("/prog"))[inner2.urn] == SourceLocation("index.ts", 4)


def outcome(tmp_path: Path, origins: list[ResourceOrigin]) -> CheckOutcome:
    return CheckOutcome(tmp_path, "p", "dev", False, tmp_path, "pack", "1", len(origins), AnalyzeResult(),
                        origins=origins)  # fmt: skip


def test_a_program_whose_sdk_sent_no_positions_is_said_once(tmp_path: Path) -> None:
    findings = build_findings(outcome(tmp_path, [origin("a", STACK, None), origin("b", STACK, None)]))
    assert findings.positions_note.startswith("the program's Pulumi SDK sent no source positions")
    sent = build_findings(outcome(tmp_path, [origin("a", STACK, (tmp_path.joinpath("x.py").as_uri(), 1))]))
    assert sent.positions_note == ""


def test_an_export_says_it_has_no_positions(tmp_path: Path) -> None:
    export = tmp_path / "stack.json"
    export.write_text(json.dumps({"version": 3, "deployment": {"manifest": {}, "resources": []}}))
    run = check("--state", export, "--json")
    assert any("export holds no source positions" in note for note in run.json()["notes"]), run.describe()

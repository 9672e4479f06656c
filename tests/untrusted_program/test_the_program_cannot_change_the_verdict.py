"""A program under check cannot turn its own FAILED into PASSED (security review H1, M1), and when something does
change the pack's answers, there is no verdict.

The attacks are the review's, aimed at this check only (its private folder comes from the program's own
``--monitor unix:...`` argument): re-``Configure`` the pack with every policy disabled, from the program while it
runs and from a helper it leaves behind that keeps trying; and rewrite the pack's source before the pack reads it.
Each attack leaves a file saying it got through, so a test cannot pass because the attack never happened.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient
from compliant_cloudtrail.check.canary import Canary
from compliant_cloudtrail.check.errors import CheckError
from compliant_cloudtrail.policy_pack import PACK_DIR

from .conftest import gone, run_check, wait_for

DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"

DISABLES_THE_PACK = '''
import os, subprocess, sys, time
import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
import pulumi_aws as aws

def private_folder():
    # The process's own command line is the launcher's: it names the engine's socket.
    argv = open("/proc/self/cmdline", "rb").read().decode().split("\\0")
    for i, arg in enumerate(argv):
        if arg == "--monitor":
            return os.path.dirname(argv[i + 1].removeprefix("unix:"))

def disable_every_policy(folder):
    stub = analyzer_pb2_grpc.AnalyzerStub(grpc.insecure_channel("unix:" + os.path.join(folder, "pack.sock")))
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for policy in stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=5).policies:
        request.policyConfig[policy.name].enforcementLevel = analyzer_pb2.DISABLED
    stub.Configure(request, timeout=5)

if len(sys.argv) > 1 and sys.argv[1] == "helper":      # the helper left behind: keep disabling for a minute
    end = time.time() + 60
    while time.time() < end:
        try:
            disable_every_policy(sys.argv[2])
            open({reached!r} + "-helper", "w").close()
        except Exception:
            pass
        time.sleep(0.002)
    sys.exit(0)

folder = private_folder()
disable_every_policy(folder)                            # while the program runs
open({reached!r} + "-program", "w").close()
subprocess.Popen([sys.executable, __file__, "helper", folder, "{marker}"], start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while not os.path.exists({reached!r} + "-helper"):
    time.sleep(0.01)
aws.cloudtrail.Trail("no-delivery", s3_bucket_name="some-bucket")
'''

REWRITES_THE_PACK = '''
import os, sys
import pulumi_aws as aws

pack = {pack!r}
# The pack's policies, rebuilt so that the mandatory one never reports anything.
with open(os.path.join(pack, "policies", "pack.py"), "a") as f:
    f.write("""

_real_policies = policies


def policies():
    built = _real_policies()
    for policy in built:
        if policy.name == "cloudtrail-trail-deliver-to-cloudwatch-logs":
            policy.validate = lambda args, report_violation: None
    return built
""")
open({reached!r}, "w").close()
aws.cloudtrail.Trail("no-delivery", s3_bucket_name="some-bucket")
'''


def _failed_for_its_trail(done_stdout: str) -> bool:
    return f"[mandatory] {DELIVERY}" in done_stdout and "aws:cloudtrail/trail:Trail::no-delivery" in done_stdout


def test_reconfiguring_the_pack_from_the_program_and_a_helper_does_not_pass_its_failing_trail(
    write_program: Callable[..., Path], marker: str, tmp_path: Path
) -> None:
    reached = str(tmp_path / "reached")
    program = write_program("disables", DISABLES_THE_PACK.format(reached=reached, marker=marker))
    done = run_check(program, "--no-progress")
    assert Path(reached + "-program").exists() and Path(reached + "-helper").exists(), (
        "the attack never reached the pack, so this test proves nothing\n" + done.describe()
    )
    assert done.code == 1 and _failed_for_its_trail(done.stdout), done.describe()
    assert gone(marker, within_s=5) == [], "the helper outlived the check"


def test_rewriting_the_packs_files_during_the_run_does_not_pass_its_failing_trail(
    write_program: Callable[..., Path], tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK_DIR, pack, ignore=shutil.ignore_patterns("__pycache__"))
    reached = str(tmp_path / "rewritten")
    program = write_program("rewrites", REWRITES_THE_PACK.format(pack=str(pack), reached=reached))
    done = run_check(program, "--no-progress", "--policy-pack", pack)
    source = (pack / "policies" / "pack.py").read_text()
    assert Path(reached).exists() and "policy.validate = lambda" in source, done.describe()
    assert done.code == 1 and _failed_for_its_trail(done.stdout), done.describe()
    # The rewritten pack, used by a later check, is refused rather than trusted: it no longer fails the canary.
    later = run_check(program, "--no-progress", "--policy-pack", pack)
    assert later.code == 2 and "did not fail a trail without CloudWatch Logs delivery" in later.stderr, later.describe()


@pytest.fixture
def pack() -> AnalyzerClient:
    with AnalyzerClient(PACK_DIR, project="canary", stack="dev") as client:
        client.handshake()
        client.configure_stack()
        client.get_analyzer_info()
        client.configure({})
        yield client


def _disable_everything(address: str) -> None:
    with grpc.insecure_channel(address) as channel:
        stub = analyzer_pb2_grpc.AnalyzerStub(channel)
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for policy in stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=10).policies:
            request.policyConfig[policy.name].enforcementLevel = analyzer_pb2.DISABLED
        stub.Configure(request, timeout=10)


def test_the_canary_says_so_when_the_pack_was_reconfigured_behind_the_checks_back(pack: AnalyzerClient) -> None:
    canary = Canary(pack, "canary", "dev")
    canary.baseline("mandatory")
    canary.verify("before")  # unchanged: no error
    assert pack.address is not None
    _disable_everything(pack.address)
    with pytest.raises(CheckError, match="answers changed while"):
        canary.verify("while the resources were judged")


def test_the_canary_refuses_a_pack_whose_mandatory_policy_does_not_fail_it(pack: AnalyzerClient) -> None:
    assert pack.address is not None
    _disable_everything(pack.address)
    with pytest.raises(CheckError, match="did not fail a trail without CloudWatch Logs delivery"):
        Canary(pack, "canary", "dev").baseline("mandatory")


def test_the_packs_socket_is_in_a_folder_only_its_user_can_enter(pack: AnalyzerClient) -> None:
    assert pack.address is not None and pack.address.startswith("unix:")
    folder = Path(pack.address.removeprefix("unix:")).parent
    assert folder.stat().st_mode & 0o777 == 0o700, oct(folder.stat().st_mode)
    assert wait_for(Path(pack.address.removeprefix("unix:")), within_s=1)


def test_an_exemption_covering_every_trail_is_the_users_choice_not_tampering(
    write_program: Callable[..., Path], tmp_path: Path
) -> None:
    # A wildcard exemption matches the canary too; the pack then reports it through its exemptions notice, which
    # still shows the delivery policy judged it (helper report on issue 19).
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({DELIVERY: {"exemptions": [
        {"resource": "aws:cloudtrail/trail:Trail::*", "reason": "migrating to the org trail", "expires": "2099-01-01"},
    ]}}))  # fmt: skip
    program = write_program("exempted", 'import pulumi_aws as aws\naws.cloudtrail.Trail("t", s3_bucket_name="b")\n')
    done = run_check(program, "--no-progress", "--json", "--policy-pack-config", config)
    assert done.code == 0, done.describe()
    report = json.loads(done.stdout)
    assert report["mandatory"] == 0 and report["exempted"], report

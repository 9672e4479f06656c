"""Entry point the Pulumi CLI runs; it only builds the pack (PolicyPack serves gRPC and never returns).

The CLI runs this file with the pack's folder first on ``sys.path``. The folder is also the package
``compliant_cloudtrail.policy_pack`` when the library is installed, so its modules import each other
relatively; here it is loaded as one package under a fixed name, whatever the folder is called once
``pulumi policy publish`` has copied it elsewhere, and without needing the library installed.
"""

import gc
import importlib.util
import sys
from pathlib import Path

from pulumi_policy import EnforcementLevel, PolicyPack

PACKAGE = "compliant_cloudtrail_pack"
_here = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location(PACKAGE, _here / "__init__.py", submodule_search_locations=[str(_here)])
assert _spec is not None and _spec.loader is not None
sys.modules[PACKAGE] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sys.modules[PACKAGE])
pack = importlib.import_module(f"{PACKAGE}.policies.pack")

# AnalyzeStack makes pulumi-policy build hundreds of thousands of short-lived, acyclic objects (dicts, proxies,
# PolicyResource) per stack policy; at the default thresholds (700, 10, 10) the cyclic collector ran so often
# that it took about a third of the call and grew faster than the stack. Measured by benchmarks/ on 10,000 and
# 20,000 resources: 1.52 s -> 1.04 s and 3.50 s -> 2.03 s. This process only serves the pack, so collecting
# less often affects nothing else.
gc.set_threshold(100_000, 50, 100)

PolicyPack(
    name=pack.PACK_NAME,
    policies=pack.policies(),
    enforcement_level=EnforcementLevel.ADVISORY,
    description=pack.PACK_DESCRIPTION,
    display_name=pack.PACK_DISPLAY_NAME,
    readme=pack.pack_readme(),
    provider=pack.PACK_PROVIDER,
    tags=pack.PACK_TAGS,
    repository=pack.PACK_REPOSITORY,
)

"""A Node.js program that fails ends the check with its own error, as soon as it has failed.

@pulumi/pulumi reports an uncaught error with ``util.inspect(err, {colors: true})``; on Node 20.20 the colouring of
a source-mapped SDK frame (``.../node_modules/@pulumi/resource.ts:...``) does not end until V8 refuses the string
(about 30 s). The launcher's preload (check/launchers/nodejs_preload.js) inspects errors without colours.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from compliant_cloudtrail.check.errors import CheckError
from compliant_cloudtrail.check.program import run_for_check

#: well above the few seconds such a program needs, well below the ~30 s the coloured inspect spins
WATCHDOG_S = 15


def test_a_program_that_throws_while_it_loads_is_reported_with_its_error_not_the_watchdogs(
    place: Callable[[str], Path],
) -> None:
    program = place("throws-at-load")
    with pytest.raises(CheckError) as raised:
        run_for_check(program, stack="dev", config={}, preview=False, timeout_s=WATCHDOG_S)
    message = str(raised.value)
    assert message.endswith("failed: Error: the audit bucket name is not configured"), message
    assert f"{program / 'index.js'}:5:7" in raised.value.detail, raised.value.detail

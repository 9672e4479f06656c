"""Each statement the component declares must be needed by a request AWS makes (or must refuse).

Removing a statement must deny a request AWS must allow, or, for a Deny, allow a request it must refuse.
"""

from __future__ import annotations

import pytest

from .declared import VARIANT_NAMES, deployed
from .mutation import unneeded_statements
from .requests import build_requests


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_every_statement_is_needed(variant: str) -> None:
    declared = deployed(variant)
    assert unneeded_statements(build_requests(declared), declared.policies()) == [], (
        f"{variant}: statement needed by no modelled request (remove it, or model the request that needs it)"
    )

"""One provider process for the folder (it imports pulumi-aws once); a fresh fake monitor per Construct."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .fake_engine import FakeEngine, engine_serving
from .provider_process import RunningProvider, started_provider


@pytest.fixture(scope="session")
def engine() -> Iterator[FakeEngine]:
    yield FakeEngine()


@pytest.fixture(scope="session")
def provider(engine: FakeEngine) -> Iterator[RunningProvider]:
    with engine_serving(engine) as engine_address, started_provider(engine_address) as running:
        yield running

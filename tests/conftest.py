"""Shared test settings: async tests run on asyncio through anyio's pytest plugin, and the
hypothesis profiles of the property suites ("default" for `make test`, "fuzz" for `make fuzz`,
picked with HYPOTHESIS_PROFILE)."""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=350, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("fuzz", settings.get_profile("default"), max_examples=2500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"

"""Every feature scenario starts from the freshly seeded stub."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_stub_per_scenario(fresh_stub):
    """Reset and reseed the in-process stub before each scenario."""
    return fresh_stub

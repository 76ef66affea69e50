"""Fixtures of the contracts tests: the real SMIC history in reference.SmicRate."""

import pytest

from tests.contracts.smic import ensure_smic_rates


@pytest.fixture
def smic_rates(db):
    ensure_smic_rates()

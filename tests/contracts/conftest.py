"""Fixtures of the contracts tests: the real SMIC history in reference.SmicRate."""

import pytest

from tests.contracts.smic import ensure_smic_rates


@pytest.fixture
def smic_rates(db):
    ensure_smic_rates()


@pytest.fixture
def baker_diploma(db):
    """CAP Boulanger, CFD 50022137 (real: diplomes/Kit_apprentissage_20231218.csv), if load_reference did not."""
    from alternance.reference.models import Diploma
    from tests.contracts.contract_data import BAKER_CFD

    Diploma.objects.get_or_create(cfd=BAKER_CFD, defaults={"title": "BOULANGER (CAP)", "level": 3})


def as_post(data: dict) -> dict:
    """Typed contract values -> the strings a browser posts (checkboxes absent when unticked)."""
    post = {}
    for key, value in data.items():
        if value is True:
            post[key] = "on"
        elif value is False or value is None:
            continue
        else:
            post[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return post

"""Short names of the ja_* fixtures (tests/job_applications/fixtures.py) for the modules that test applications
only, where ``company``, ``offer`` and ``training`` shadow nothing. Imported by those modules (pytest registers
a fixture under its ``name``), never a plugin."""

import pytest


@pytest.fixture(name="company")
def company_alias(ja_company):
    return ja_company


@pytest.fixture(name="offer")
def offer_alias(ja_offer):
    return ja_offer


@pytest.fixture(name="training")
def training_alias(ja_training):
    return ja_training

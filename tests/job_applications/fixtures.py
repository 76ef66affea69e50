"""Fixtures of applications and appointments (a plugin of tests/conftest.py, for tests/job_applications,
tests/web, tests/api and tests/e2e). Named ja_* so that no other package's fixture is shadowed."""

import pytest

from tests.factories import CompanyFactory, OfferFactory, TrainingFactory


@pytest.fixture
def private_storage(settings, tmp_path):
    """CVs of each test go to a fresh folder."""
    settings.PRIVATE_STORAGE_DIR = tmp_path / "private"
    return settings.PRIVATE_STORAGE_DIR


@pytest.fixture
def ja_company(db, private_storage):
    return CompanyFactory(contact_email="recrutement@example.org")


@pytest.fixture
def ja_offer(ja_company):
    return OfferFactory(company=ja_company, questions=["Avez-vous le permis B ?"])


@pytest.fixture
def ja_training(db, private_storage):
    training = TrainingFactory(romes=["D1102"])
    training.organisation.contact_email = "contact-cfa@example.org"
    training.organisation.save()
    return training

import shutil

import pytest
from django.conf import settings

from tests.factories import CompanyFactory, OfferFactory, TrainingFactory


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """CVs of each test go to a fresh folder."""
    settings.PRIVATE_STORAGE_DIR = tmp_path / "private"
    yield settings.PRIVATE_STORAGE_DIR
    shutil.rmtree(settings.PRIVATE_STORAGE_DIR, ignore_errors=True)


@pytest.fixture
def company(db):
    return CompanyFactory(contact_email="recrutement@example.org")


@pytest.fixture
def offer(company):
    return OfferFactory(company=company, questions=["Avez-vous le permis B ?"])


@pytest.fixture
def training(db):
    training = TrainingFactory(romes=["D1102"])
    training.organisation.contact_email = "contact-cfa@example.org"
    training.organisation.save()
    return training


_ = settings

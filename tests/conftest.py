"""Test harness: the real referentials are loaded once per session from ../shared/data."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from alternance.organisations.models import Organisation
from alternance.reference.management.commands.load_reference import Command as LoadReference
from alternance.reference.models import Commune, NafCode, RomeNafWeight, RomeOccupation

pytest_plugins = ["tests.job_applications.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ALTERNANCE_DATA_DIR") or ROOT.parent / "shared" / "data")


def pytest_collection_modifyitems(config, items):
    """Browser journeys flush the database (live server): run them last."""
    items.sort(key=lambda item: "/e2e/" in str(item.fspath).replace("\\", "/"))


def _load_reference():
    """Load the referentials unless every table is there (a transactional test may have flushed some)."""
    tables = (RomeOccupation, NafCode, Commune, RomeNafWeight, Organisation)
    if not all(model.objects.exists() for model in tables):
        # The command object, not its name: inside a browser journey (available_apps without `reference`)
        # Django's command lookup does not list the commands of the apps left out.
        call_command(LoadReference(), source=str(DATA_DIR), force=True, verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_reference()


@pytest.fixture
def reference_data(django_db_blocker):
    """The real referentials (reloaded if a transactional test flushed them)."""
    with django_db_blocker.unblock():
        _load_reference()
    return DATA_DIR


@pytest.fixture
def data_dir():
    return DATA_DIR


@pytest.fixture(autouse=True)
def _referential_cache_checks_once_per_test(monkeypatch):
    """Each test reads the latest ReferenceLoad once (earlier tests' loads were rolled back), then the cache
    behaves as in production between two checks (a load saved during the test is seen at once)."""
    from alternance.reference import cache

    monkeypatch.setattr(cache, "CHECK_SECONDS", 3600.0)
    cache.check_again()


@pytest.fixture(autouse=True)
def _batched_rate_counts_start_empty():
    """Searches are counted per process before reaching the shared table (core.ratelimit.hit_batched): counts
    left by an earlier test, whose rows were rolled back, must not be added to this test's."""
    from alternance.core import ratelimit

    ratelimit.forget_local()

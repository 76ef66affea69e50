import pytest


@pytest.fixture(autouse=True)
def _private(private_storage):
    """Every test of this package writes its CVs to its own folder."""
    return private_storage

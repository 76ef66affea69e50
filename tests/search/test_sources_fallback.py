"""Companies are still found when only the registry packages' NAF division -> ROME table is loaded."""

import pytest

from alternance.reference.models import RomeNafWeight
from alternance.search import sources

pytestmark = pytest.mark.django_db


def test_real_hirings_give_the_bakery_sector():
    assert "10.71C" in sources.rome_naf_weights(["D1102"])["D1102"]


def test_without_hirings_the_division_table_still_gives_the_bakery_sector():
    RomeNafWeight.objects.all().delete()
    weights = sources.rome_naf_weights(["D1102"])["D1102"]
    assert "10.71C" in weights
    assert max(weights, key=weights.get) in {"10.71B", "10.71C", "10.71D"}

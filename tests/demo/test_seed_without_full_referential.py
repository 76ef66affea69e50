"""seed_demo on a partial referential: what a fresh machine gets from the registry packages alone.

No La Bonne Boite hirings (RomeNafWeight), no ROME appellations, no CFA (organisations) and, in one case, no
diplomas: the command still seeds companies and offers with real codes and says what it did instead.
"""

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from alternance.companies.models import Company
from alternance.core.geo import haversine_km_array
from alternance.demo import synthetic
from alternance.offers.models import Offer
from alternance.organisations.models import Organisation
from alternance.reference import sectors
from alternance.reference.models import (
    Appellation,
    Commune,
    Diploma,
    NafCode,
    NafDivisionRome,
    RomeNafWeight,
    RomeOccupation,
)
from alternance.trainings.models import Training

pytestmark = pytest.mark.django_db

NO_CFA = "formations : aucune, les CFA réels (fichier organismes) ne sont pas chargés"


@pytest.fixture
def registry_only(reference_data):
    """The tables load_reference cannot fill without ../shared/data, emptied inside the test's transaction."""
    Training.objects.all().delete()
    RomeNafWeight.objects.all().delete()
    Appellation.objects.all().delete()
    Organisation.objects.all().delete()
    assert NafDivisionRome.objects.exists() and not RomeNafWeight.objects.exists()


def seed_command(**options) -> str:
    out = StringIO()
    call_command("seed_demo", scale="tiny", seed=5, stdout=out, **options)
    return out.getvalue()


def test_seed_succeeds_and_says_why_there_are_no_trainings(registry_only):
    text = seed_command()
    n_companies, _, n_offers = synthetic.SCALES["tiny"]
    assert f"{n_companies} entreprises, 0 formations" in text and f"{n_offers} offres" in text
    assert NO_CFA in text
    assert "ni les diplômes" not in text  # the diplomas are there, only the CFA are missing
    assert "les embauches ROME × NAF (La Bonne Boite) ne sont pas chargées" in text
    assert "chaque offre porte le libellé de sa fiche ROME" in text
    assert Company.objects.filter(is_demo=True).count() == n_companies
    assert Offer.objects.filter(is_demo=True).count() == n_offers
    assert not Training.objects.filter(is_demo=True).exists()


def test_codes_are_real_and_follow_the_division_table(registry_only):
    seed_command()
    divisions = dict(NafCode.objects.values_list("code", "division_code"))
    listed = set(NafDivisionRome.objects.values_list("division_code", "rome_id"))
    companies = Company.objects.filter(is_demo=True)
    assert set(companies.values_list("commune_id", flat=True)) <= set(Commune.objects.values_list("insee", flat=True))
    listed_divisions = {division for division, _ in listed}
    assert {divisions[naf] for naf in companies.values_list("naf_id", flat=True)} <= listed_divisions
    labels = dict(RomeOccupation.objects.values_list("code", "label"))
    offers = Offer.objects.filter(is_demo=True).values_list("rome_id", "title", "appellation_id", "company__naf_id")
    for rome, title, appellation, naf in offers:
        assert rome in labels and (divisions[naf], rome) in listed
        assert appellation is None and title == labels[rome]


def test_baker_demo_search_still_has_bakeries_near_lyon(registry_only):
    seed_command()
    lyon = Commune.objects.get(insee="69123")
    offers = list(Offer.objects.filter(is_demo=True, rome_id="D1102").values_list("lat", "lon", "company__naf_id"))
    distance = haversine_km_array(lyon.lat, lyon.lon, [o[0] for o in offers], [o[1] for o in offers])
    near = [offer for offer, km in zip(offers, np.asarray(distance).tolist(), strict=True) if km <= 30]
    assert len(near) >= 3
    # Division 10 lists the baker: the label rule sends its hotspot companies to the bakeries' sous-classes.
    assert {naf for *_, naf in near} <= {"10.71B", "10.71C"}


def test_no_diplomas_nor_cfa_is_said(registry_only):
    Diploma.objects.all().delete()
    text = seed_command(companies=120, offers=60, trainings=40)
    assert f"{NO_CFA}, ni les diplômes (BCN, RNCP, kit apprentissage)" in text
    assert "0 formations" in text and Company.objects.filter(is_demo=True).count() == 120


def test_cfa_without_diplomas_is_said(reference_data):
    Training.objects.all().delete()
    Diploma.objects.all().delete()
    text = seed_command(companies=120, offers=60, trainings=40)
    assert "formations : aucune, les diplômes reliés à une certification" in text
    assert NO_CFA not in text and "La Bonne Boite" not in text
    assert Offer.objects.filter(is_demo=True, appellation__isnull=False).count() == 60


def test_without_any_sector_table_the_command_fails_clearly(registry_only):
    from django.core.management.base import CommandError

    NafDivisionRome.objects.all().delete()
    with pytest.raises(CommandError, match="secteurs d'activité reliés aux métiers"):
        seed_command()


def test_full_referential_uses_the_real_hirings(reference_data):
    weights, kind = sectors.rome_naf_weights()
    assert kind == sectors.HIRINGS
    assert weights == {
        (rome, naf): hirings for rome, naf, hirings in RomeNafWeight.objects.values_list("rome_id", "naf_id", "hirings")
    }
    assert synthetic.Referential.from_db().gaps() == []

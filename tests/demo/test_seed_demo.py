"""seed_demo on the real referentials (tiny scale): valid, deterministic, idempotent, leaves real rows alone."""

import datetime as dt
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone

from alternance.companies.models import Company
from alternance.core.geo import haversine_km_array
from alternance.core.identifiers import siret_errors
from alternance.demo import services, synthetic
from alternance.offers.models import Offer
from alternance.reference.models import Appellation, Certification, Commune, NafCode, RomeNafWeight, RomeOccupation
from alternance.trainings.models import Training, TrainingRome
from tests.factories import CompanyFactory, OfferFactory, TrainingFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def seed(seed=1):
    return services.seed_demo("tiny", seed, now=NOW)


def demo_sirets():
    return sorted(Company.objects.filter(is_demo=True).values_list("siret", flat=True))


def test_tiny_seed_is_valid(reference_data):
    counts = seed()
    n_companies, n_trainings, n_offers = synthetic.SCALES["tiny"]
    assert counts["companies"] == Company.objects.filter(is_demo=True).count() == n_companies
    assert counts["offers"] == Offer.objects.filter(is_demo=True).count() == n_offers
    assert counts["trainings"] == Training.objects.filter(is_demo=True).count() == n_trainings

    sirets = demo_sirets()
    assert len(set(sirets)) == len(sirets)
    assert [s for s in sirets if siret_errors(s)] == []

    companies = Company.objects.filter(is_demo=True)
    assert set(companies.values_list("naf_id", flat=True)) <= set(NafCode.objects.values_list("code", flat=True))
    assert set(companies.values_list("commune_id", flat=True)) <= set(Commune.objects.values_list("insee", flat=True))
    hiring_nafs = set(RomeNafWeight.objects.values_list("naf_id", flat=True))
    assert set(companies.values_list("naf_id", flat=True)) <= hiring_nafs
    assert all(" démo " in name for name in companies.values_list("name", flat=True))

    offers = Offer.objects.filter(is_demo=True).select_related("company")
    romes = set(RomeOccupation.objects.values_list("code", flat=True))
    appellation_rome = dict(Appellation.objects.values_list("ogr_code", "rome_id"))
    weights = set(RomeNafWeight.objects.values_list("naf_id", "rome_id"))
    for offer in offers:
        assert offer.rome_id in romes
        assert appellation_rome[offer.appellation_id] == offer.rome_id
        assert (offer.company.naf_id, offer.rome_id) in weights
        assert offer.commune_id == offer.company.commune_id
    published = offers.filter(status="publiee")
    assert published.count() > n_offers / 2
    assert not published.filter(published_at__lt=NOW - dt.timedelta(days=60)).exists()
    assert not published.filter(expires_at__lte=NOW).exists()
    assert not offers.filter(status="expiree", expires_at__gt=NOW).exists()

    trainings = Training.objects.filter(is_demo=True).select_related("organisation", "diploma")
    for training in trainings:
        assert training.status == Training.Status.PUBLISHED
        assert training.commune_id == training.organisation.commune_id
        assert training.diploma.level == training.level
        assert training.start_date > NOW.date() and training.end_date > training.start_date
    assert TrainingRome.objects.filter(training__is_demo=True).exists()
    # The ROMEs of a training are its certification's (plus, for a diploma found by its title, that occupation).
    cert_romes = {}
    for rncp, rome in Certification.romes.through.objects.values_list("certification_id", "romeoccupation_id"):
        cert_romes.setdefault(rncp, set()).add(rome)
    for training in trainings:
        own = set(training.romes.values_list("rome_id", flat=True))
        assert own - cert_romes.get(training.certification_id, set()) <= set(synthetic.HOTSPOT_ROMES)


def test_seed_is_deterministic_and_idempotent_and_keeps_real_rows(reference_data):
    real_offer = OfferFactory()
    real_training = TrainingFactory(romes=["D1102"])
    real_company = CompanyFactory()
    seed(1)
    first = demo_sirets()
    first_titles = sorted(Offer.objects.filter(is_demo=True).values_list("title", flat=True))
    seed(1)
    assert demo_sirets() == first
    assert sorted(Offer.objects.filter(is_demo=True).values_list("title", flat=True)) == first_titles
    assert Company.objects.filter(is_demo=True).count() == synthetic.SCALES["tiny"][0]
    assert Training.objects.filter(is_demo=True).count() == synthetic.SCALES["tiny"][1]
    for row in (real_offer, real_training, real_company, real_offer.company, real_training.organisation):
        row.refresh_from_db()  # still there
    assert real_training.romes.count() == 1
    assert Company.objects.filter(is_demo=False).count() == 2
    seed(2)
    assert demo_sirets() != first
    assert Company.objects.filter(is_demo=True).count() == synthetic.SCALES["tiny"][0]


@pytest.mark.parametrize("city", ["69123", "75056"])
def test_baker_demo_search_has_all_three_kinds(reference_data, city):
    seed()
    centre = Commune.objects.get(insee=city)

    def near(qs):
        rows = list(qs.values_list("lat", "lon"))
        dist = haversine_km_array(centre.lat, centre.lon, [r[0] for r in rows], [r[1] for r in rows])
        return int((np.asarray(dist) <= 30).sum())

    d1102_nafs = RomeNafWeight.objects.filter(rome_id="D1102").values_list("naf_id", flat=True)
    assert near(Offer.objects.searchable(now=NOW).filter(is_demo=True, rome_id="D1102")) >= 3
    assert near(Company.objects.filter(is_demo=True, naf_id__in=list(d1102_nafs))) >= 3
    assert near(Training.objects.visible().filter(is_demo=True, romes__rome_id="D1102")) >= 1


def test_command_prints_counts(reference_data):
    out = StringIO()
    call_command("seed_demo", scale="tiny", seed=3, companies=150, trainings=30, offers=90, stdout=out)
    text = out.getvalue()
    assert "150 entreprises" in text and "30 formations" in text and "90 offres" in text
    assert Company.objects.filter(is_demo=True).count() == 150


def test_referential_from_files_matches_the_database(reference_data):
    from_files = synthetic.Referential.from_files(reference_data)
    from_db = synthetic.Referential.from_db()
    assert from_files.naf_code.tolist() == from_db.naf_code.tolist()
    assert np.array_equal(from_files.naf_hirings, from_db.naf_hirings)
    assert from_files.commune_insee.tolist() == from_db.commune_insee.tolist()
    assert from_files.arrondissements == from_db.arrondissements
    a = synthetic.generate_companies(500, 4, from_files)
    b = synthetic.generate_companies(500, 4, from_db)
    assert a["siret"].tolist() == b["siret"].tolist() and a["naf"].tolist() == b["naf"].tolist()
    assert a["commune"].tolist() == b["commune"].tolist()
    offers = synthetic.generate_offers(300, a, 4, from_files, now=NOW)
    assert offers["title"].tolist() == synthetic.generate_offers(300, b, 4, from_db, now=NOW)["title"].tolist()

"""The search service on the database, with the shared factories."""

import datetime as dt

import pytest
from django.utils import timezone

from alternance.core import geo
from alternance.reference.models import Commune
from alternance.search.services import SearchError, SearchFilters
from tests.factories import CompanyFactory, OfferFactory, TrainingFactory
from tests.search.helpers import LYON, search_lyon

pytestmark = pytest.mark.usefixtures("search_reference")


def _at(insee):
    return Commune.objects.get(insee=insee)


def test_finds_the_three_kinds_nearest_first_with_distances():
    near = OfferFactory()
    far = OfferFactory(company=CompanyFactory(commune=_at("92012")))
    company = CompanyFactory()
    training = TrainingFactory(romes=["D1102"])
    result = search_lyon(sort="distance")
    assert [i.id for i in result.offers.items] == [near.id]
    assert result.offers.total == 1
    assert far.id not in [i.id for i in result.offers.items]
    # companies: the offers' companies and the lone company all belong to the bakery NAF
    assert company.id in [i.id for i in result.companies.items]
    assert [i.id for i in result.trainings.items] == [training.id]
    item = result.offers.items[0]
    assert item.type == "offer" and item.commune_name == "Lyon" and item.company_name == near.company.name
    assert item.distance_km == round(geo.haversine_km(*LYON, near.lat, near.lon), 1)
    assert item.reasons[0].startswith("à ") and item.reasons[0].endswith(" km")
    assert result.counts == {"offer": 1, "company": result.companies.total, "training": 1}


def test_unknown_rome_is_refused_with_field():
    with pytest.raises(SearchError) as exc:
        search_lyon(romes=["Z9999"])
    assert exc.value.code == "unknown_rome" and exc.value.field == "romes"


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"radius_km": 0}, "radius_km"),
        ({"radius_km": 201}, "radius_km"),
        ({"page": 0}, "page"),
        ({"page_size": 101}, "page_size"),
        ({"sort": "price"}, "sort"),
        ({"types": {"job"}}, "types"),
        ({"lat": 95.0}, "lat"),
        ({"filters": SearchFilters(levels=frozenset({2}))}, "levels"),
        ({"filters": SearchFilters(sizes=frozenset({"huge"}))}, "sizes"),
    ],
)
def test_bad_arguments_are_refused(kwargs, field):
    with pytest.raises(SearchError) as exc:
        search_lyon(**kwargs)
    assert exc.value.field == field


def test_hidden_offers_never_show():
    visible = OfferFactory()
    OfferFactory(status="pourvue")
    OfferFactory(status="suspendue")
    past = timezone.now() - dt.timedelta(days=90)
    OfferFactory(published_at=past, expires_at=past + dt.timedelta(days=60))
    result = search_lyon(types={"offer"})
    assert [i.id for i in result.offers.items] == [visible.id]


def test_company_of_an_unrelated_sector_is_not_a_candidate():
    from alternance.reference.models import NafCode

    baker = CompanyFactory()
    butcher = CompanyFactory(naf=NafCode.objects.get(code="47.22Z"))
    ids = [i.id for i in search_lyon(types={"company"}).companies.items]
    assert baker.id in ids and butcher.id not in ids


def test_company_items_say_spontaneous_application():
    CompanyFactory()
    item = search_lyon(types={"company"}).companies.items[0]
    assert "candidature spontanée" in item.reasons
    assert "n'a pas publié d'offre" in item.spontaneous_notice
    assert any("recrutent souvent des boulangers" in r for r in item.reasons)


def test_a_warm_search_reads_only_the_page_from_the_database(settings, django_assert_num_queries, monkeypatch):
    from alternance.reference import cache

    OfferFactory()
    TrainingFactory(romes=["D1102"])
    search_lyon()  # builds the index and the caches
    settings.SEARCH_FRESHNESS_SECONDS = 3600  # no poll during the measured call
    monkeypatch.setattr(cache, "CHECK_SECONDS", 3600.0)  # nor a check for a new referential load
    with django_assert_num_queries(1):  # one query for the pages of the three kinds
        result = search_lyon()
    assert result.offers.total == 1 and result.trainings.total == 1 and result.companies.total >= 1

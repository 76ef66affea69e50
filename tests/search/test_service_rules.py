"""Filters, facets, pagination, widening and neighbouring occupations in the search service."""

import datetime as dt

import pytest
from django.utils import timezone

from alternance.reference.models import Commune
from alternance.search.services import SearchFilters, search
from tests.factories import CompanyFactory, OfferFactory, TrainingFactory
from tests.search.helpers import LYON, search_lyon

pytestmark = pytest.mark.usefixtures("search_reference")


def _spread(n, factory, **kwargs):
    """n items around Lyon, each a little further east."""
    return [factory(lat=LYON[0], lon=LYON[1] + 0.01 * i, **kwargs) for i in range(n)]


def test_level_filter_keeps_items_without_level_and_facets_ignore_their_own_selection():
    cap = OfferFactory(diploma_level=3)
    bts = OfferFactory(diploma_level=5)
    unknown = OfferFactory(diploma_level=None)
    TrainingFactory(level=4, romes=["D1102"])
    result = search_lyon(types={"offer", "training"}, filters=SearchFilters(levels=frozenset({5})))
    assert sorted(i.id for i in result.offers.items) == sorted([bts.id, unknown.id])
    assert cap.id not in [i.id for i in result.offers.items]
    assert result.trainings.total == 0
    # the level facet ignores the level selection: every level still counted
    assert result.facets["levels"][3] == 1 and result.facets["levels"][5] == 1 and result.facets["levels"][4] == 1


def test_size_and_accessibility_filters_and_facets():
    small = CompanyFactory(size_band="01", accessible_disability=True)
    big = CompanyFactory(size_band="32")
    unknown = CompanyFactory(size_band="NN")
    result = search_lyon(types={"company"}, filters=SearchFilters(sizes=frozenset({"250+"})))
    ids = [i.id for i in result.companies.items]
    assert big.id in ids and unknown.id in ids and small.id not in ids
    assert result.facets["sizes"]["0-9"] == 1 and result.facets["sizes"]["250+"] == 1
    assert result.facets["accessible"] == 0  # the accessibility count applies the size selection
    result = search_lyon(types={"company"}, filters=SearchFilters(accessible=True))
    assert [i.id for i in result.companies.items] == [small.id]
    assert result.facets["sizes"]["0-9"] == 1 and result.facets["sizes"]["250+"] == 0


def test_start_date_filter():
    soon = OfferFactory(start_date=timezone.localdate() + dt.timedelta(days=10))
    later = OfferFactory(start_date=timezone.localdate() + dt.timedelta(days=200))
    undated = OfferFactory(start_date=None)
    result = search_lyon(
        types={"offer"}, filters=SearchFilters(start_from=timezone.localdate() + dt.timedelta(days=100))
    )
    assert sorted(i.id for i in result.offers.items) == sorted([later.id, undated.id])
    assert soon.id not in [i.id for i in result.offers.items]


def test_type_selection_and_type_facet():
    OfferFactory()
    TrainingFactory(romes=["D1102"])
    result = search_lyon(types={"training"})
    assert result.offers.total == 0 and result.offers.items == [] and result.trainings.total == 1
    assert result.facets["types"]["offer"] == 1 and result.facets["types"]["training"] == 1


@pytest.mark.parametrize("sort", ["relevance", "distance", "date"])
def test_pagination_is_stable_and_complete(sort):
    _spread(23, CompanyFactory)
    pages = [search_lyon(types={"company"}, sort=sort, page=p, page_size=10) for p in (1, 2, 3)]
    ids = [i.id for page in pages for i in page.companies.items]
    assert len(ids) == 23 == len(set(ids)) == pages[0].companies.total
    again = [
        i.id for p in (1, 2, 3) for i in search_lyon(types={"company"}, sort=sort, page=p, page_size=10).companies.items
    ]
    assert ids == again


def test_distance_sort_is_nearest_first():
    _spread(8, OfferFactory)
    items = search_lyon(types={"offer"}, sort="distance").offers.items
    assert [i.distance_km for i in items] == sorted(i.distance_km for i in items)


def test_relevance_prefers_fewer_applications_at_equal_place_and_date():
    now = timezone.now()
    crowded = OfferFactory(applications_count=40, published_at=now)
    quiet = OfferFactory(applications_count=0, published_at=now)
    ids = [i.id for i in search_lyon(types={"offer"}, now=now).offers.items]
    assert ids.index(quiet.id) < ids.index(crowded.id)


def test_date_sort_puts_newest_offers_first():
    now = timezone.now()
    old = OfferFactory(published_at=now - dt.timedelta(days=20))
    new = OfferFactory(published_at=now - dt.timedelta(days=1))
    assert [i.id for i in search_lyon(types={"offer"}, sort="date").offers.items] == [new.id, old.id]


def test_widening_when_nothing_in_the_radius():
    boulogne = Commune.objects.get(insee="92012")
    offer = OfferFactory(company=CompanyFactory(commune=boulogne, lat=boulogne.lat, lon=boulogne.lon))
    paris = Commune.objects.get(insee="75056")
    result = search(romes=["D1102"], lat=paris.lat, lon=paris.lon, radius_km=2, types={"offer"})
    assert result.widened and result.radius_km == 10 and result.requested_radius_km == 2
    assert [i.id for i in result.offers.items] == [offer.id]
    assert "élargi la recherche à 10 km" in result.notices[0]
    direct = search(romes=["D1102"], lat=paris.lat, lon=paris.lon, radius_km=20, types={"offer"})
    assert not direct.widened and direct.notices == []


def test_neighbour_occupations_when_nothing_within_100_km():
    marseille = Commune.objects.get(insee="13055")
    TrainingFactory(commune=marseille, lat=marseille.lat, lon=marseille.lon, romes=["D1104"])
    result = search(romes=["D1102"], lat=marseille.lat, lon=marseille.lon, radius_km=30, types={"training"})
    assert result.total == 0 and result.radius_km == 100
    assert [s.rome for s in result.suggestions] == ["D1104"]
    assert result.suggestions[0].count == 1
    assert any("métier proche" in n for n in result.notices)


def test_offer_reasons_in_plain_french():
    today = timezone.localdate()
    OfferFactory(applications_count=12, published_at=timezone.now() - dt.timedelta(days=3), diploma_level=3)
    item = search_lyon(types={"offer"}, today=today).offers.items[0]
    assert "déjà 12 candidatures" in item.reasons
    assert "publiée il y a 3 jours" in item.reasons
    assert "niveau CAP" in item.reasons
    assert item.reasons[0] == f"à {item.distance_km:.1f} km".replace(".", ",")


def test_page_size_up_to_100():
    _spread(3, CompanyFactory)
    assert len(search_lyon(types={"company"}, page_size=100).companies.items) == 3


# --- one validation, one set of error codes, the order across kinds decided by the domain -----------------


def test_a_search_error_takes_only_a_documented_code():
    from alternance.search.types import ERROR_CODES, SearchError

    assert SearchError("invalid_sort", "…", "sort").code in ERROR_CODES
    with pytest.raises(ValueError):
        SearchError("invalid_location", "…", "lat")


def _item(kind, item_id, distance, score):
    from alternance.search.types import SearchItem

    return SearchItem(kind, item_id, distance, "", "", "", 0.0, 0.0, score=score)


@pytest.mark.parametrize(
    "sort,expected",
    [
        ("relevance", [("company", 2), ("training", 3), ("offer", 1), ("offer", 4)]),
        ("distance", [("training", 3), ("offer", 1), ("offer", 4), ("company", 2)]),
        ("date", [("offer", 1), ("offer", 4), ("company", 2), ("training", 3)]),
    ],
)
def test_the_order_across_kinds_follows_the_sort(sort, expected):
    from alternance.search.types import KindResult, SearchResult

    result = SearchResult(
        offers=KindResult(2, [_item("offer", 1, 5.0, 0.8), _item("offer", 4, 6.0, 0.1)]),
        companies=KindResult(1, [_item("company", 2, 9.0, 0.9)]),
        trainings=KindResult(1, [_item("training", 3, 1.0, 0.8)]),
        page=1,
        page_size=20,
        sort=sort,
        radius_km=30,
        requested_radius_km=30,
    )
    assert [(item.type, item.id) for item in result.items()] == expected

"""The page rows a worker keeps (search/pages.py): no round trip for rows read less than the freshness delay
ago, and an edit shows up within that delay (at once when the index's change feed sees the item change)."""

import pytest

from alternance.search import index as search_index
from alternance.search import pages
from tests.factories import CompanyFactory, OfferFactory, TrainingFactory
from tests.search.helpers import search_lyon

pytestmark = pytest.mark.usefixtures("search_reference")


@pytest.fixture
def kept_rows(settings, monkeypatch):
    """Rows kept for an hour, on a clock the test moves; no referential check during the test."""
    from alternance.reference import cache

    monkeypatch.setattr(cache, "CHECK_SECONDS", 3600.0)
    clock = [1000.0]
    monkeypatch.setattr(pages, "_clock", lambda: clock[0])
    for kind in pages.FIELDS:
        pages.forget(kind)
    search_lyon()  # the index follows the database (freshness 0 until now)
    settings.SEARCH_FRESHNESS_SECONDS = 3600
    yield clock
    for kind in pages.FIELDS:
        pages.forget(kind)


def _titles(result):
    return {(item.type, item.id): item.title for item in result.items()}


def test_a_page_read_once_costs_no_round_trip_then(kept_rows, django_assert_num_queries):
    OfferFactory()
    TrainingFactory(romes=["D1102"])
    CompanyFactory()
    search_index.get_source().refresh(force=True)
    with django_assert_num_queries(1):
        first = search_lyon()
    with django_assert_num_queries(0):
        again = search_lyon()
    assert _titles(again) == _titles(first) and len(_titles(first)) >= 3
    assert [i.reasons for i in again.items()] == [i.reasons for i in first.items()]


def test_an_edited_offer_shows_up_when_the_index_sees_it(kept_rows):
    offer = OfferFactory()
    search_index.get_source().refresh(force=True)
    assert _titles(search_lyon())[("offer", offer.id)] == offer.title
    offer.title = "Boulanger de nuit (H/F)"
    offer.save()
    search_index.get_source().refresh(force=True)  # the change feed: every 2 s in production
    assert _titles(search_lyon())[("offer", offer.id)] == "Boulanger de nuit (H/F)"


def test_a_joined_value_shows_up_after_the_delay(kept_rows, settings):
    """A company renamed: its offers' rows are not in the feed, they are read again after the delay."""
    offer = OfferFactory()
    search_index.get_source().refresh(force=True)
    company = offer.company
    assert search_lyon(types={"offer"}).offers.items[0].company_name == company.name
    company.name = "Boulangerie Renommée"
    company.save()
    kept_rows[0] += 3599  # within the delay: the kept row
    assert search_lyon(types={"offer"}).offers.items[0].company_name != "Boulangerie Renommée"
    kept_rows[0] += 2  # past it
    assert search_lyon(types={"offer"}).offers.items[0].company_name == "Boulangerie Renommée"


def test_nothing_is_kept_without_a_freshness_delay(settings, django_assert_num_queries):
    settings.SEARCH_FRESHNESS_SECONDS = 0
    offer = OfferFactory()
    search_lyon()
    assert offer.id not in pages._ROWS["offer"]

"""Offer lifecycle services: the transition table, dates, locking and bulk expiry."""

import datetime as dt

import pytest
from django.utils import timezone

from alternance.offers import services
from alternance.offers.models import Offer
from alternance.offers.workflow import TRANSITIONS, InvalidTransition, OfferStatus, OfferTransition
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)

# Every (status, transition) pair: the expected target, or None when the table forbids it.
EXPECTED = {
    (OfferStatus.DRAFT, OfferTransition.PUBLISH): OfferStatus.PUBLISHED,
    (OfferStatus.PUBLISHED, OfferTransition.PAUSE): OfferStatus.PAUSED,
    (OfferStatus.PAUSED, OfferTransition.RESUME): OfferStatus.PUBLISHED,
    (OfferStatus.PUBLISHED, OfferTransition.FILL): OfferStatus.FILLED,
    (OfferStatus.PAUSED, OfferTransition.FILL): OfferStatus.FILLED,
    (OfferStatus.PUBLISHED, OfferTransition.EXPIRE): OfferStatus.EXPIRED,
    (OfferStatus.PAUSED, OfferTransition.EXPIRE): OfferStatus.EXPIRED,
    (OfferStatus.PUBLISHED, OfferTransition.EXTEND): OfferStatus.PUBLISHED,
    (OfferStatus.EXPIRED, OfferTransition.EXTEND): OfferStatus.PUBLISHED,
    (OfferStatus.DRAFT, OfferTransition.CANCEL): OfferStatus.CANCELLED,
    (OfferStatus.PUBLISHED, OfferTransition.CANCEL): OfferStatus.CANCELLED,
    (OfferStatus.PAUSED, OfferTransition.CANCEL): OfferStatus.CANCELLED,
}
ALL_PAIRS = [(s, t) for s in OfferStatus for t in OfferTransition]


def make(status):
    """An offer in `status`, published 10 days before NOW and expiring 50 days after (no dates for a draft)."""
    if status == OfferStatus.DRAFT:
        return OfferFactory(status=status, published_at=None, expires_at=None)
    published_at = NOW - dt.timedelta(days=10)
    return OfferFactory(status=status, published_at=published_at, expires_at=published_at + dt.timedelta(days=60))


def test_expected_table_matches_workflow():
    allowed = {(s, t) for t, (sources, _) in TRANSITIONS.items() for s in sources}
    assert allowed == set(EXPECTED)
    assert all(TRANSITIONS[t][1] == target for (_, t), target in EXPECTED.items())


@pytest.mark.parametrize(("status", "transition"), ALL_PAIRS, ids=[f"{s}-{t}" for s, t in ALL_PAIRS])
def test_each_transition_follows_the_table(status, transition):
    offer = make(status)
    before = Offer.objects.filter(pk=offer.pk).values_list("updated_at", flat=True).get()
    target = EXPECTED.get((status, transition))
    if target is None:
        with pytest.raises(InvalidTransition):
            services.apply_transition(offer, transition, now=NOW)
        offer.refresh_from_db()
        assert offer.status == status
        assert offer.updated_at == before
    else:
        result = services.apply_transition(offer.pk, transition, now=NOW)
        assert result.status == target
        assert Offer.objects.get(pk=offer.pk).status == target
        assert result.updated_at > before


def test_publish_sets_dates_for_sixty_days():
    offer = make(OfferStatus.DRAFT)
    services.publish(offer, now=NOW)
    assert offer.status == OfferStatus.PUBLISHED
    assert offer.published_at == NOW
    assert offer.expires_at == NOW + dt.timedelta(days=60)
    assert Offer.objects.searchable(now=NOW + dt.timedelta(days=59)).filter(pk=offer.pk).exists()
    assert not Offer.objects.searchable(now=NOW + dt.timedelta(days=61)).filter(pk=offer.pk).exists()


def test_publish_with_custom_validity():
    offer = services.publish(make(OfferStatus.DRAFT), now=NOW, validity=dt.timedelta(days=30))
    assert offer.expires_at == NOW + dt.timedelta(days=30)


def test_pause_hides_and_resume_shows_again():
    offer = OfferFactory(published_at=NOW, expires_at=NOW + dt.timedelta(days=60))
    services.pause(offer, now=NOW)
    assert not Offer.objects.searchable(now=NOW).filter(pk=offer.pk).exists()
    services.resume(offer, now=NOW)
    assert Offer.objects.searchable(now=NOW).filter(pk=offer.pk).exists()
    assert offer.expires_at == NOW + dt.timedelta(days=60)


def test_expire_before_the_date_ends_publication_now():
    offer = OfferFactory(published_at=NOW, expires_at=NOW + dt.timedelta(days=60))
    services.expire(offer, now=NOW + dt.timedelta(days=5))
    assert offer.status == OfferStatus.EXPIRED
    assert offer.expires_at == NOW + dt.timedelta(days=5)


def test_extend_published_adds_sixty_days_to_expiry():
    offer = OfferFactory(published_at=NOW, expires_at=NOW + dt.timedelta(days=60))
    services.extend(offer, now=NOW + dt.timedelta(days=50))
    assert offer.expires_at == NOW + dt.timedelta(days=120)
    assert offer.published_at == NOW


def test_extend_expired_counts_from_now():
    offer = OfferFactory(status=OfferStatus.EXPIRED, published_at=NOW, expires_at=NOW + dt.timedelta(days=60))
    later = NOW + dt.timedelta(days=100)
    services.extend(offer, now=later)
    assert offer.status == OfferStatus.PUBLISHED
    assert offer.expires_at == later + dt.timedelta(days=60)


def test_extend_is_capped_one_year_after_first_publication():
    offer = OfferFactory(published_at=NOW, expires_at=NOW + dt.timedelta(days=330))
    services.extend(offer, now=NOW + dt.timedelta(days=320))
    assert offer.expires_at == NOW + dt.timedelta(days=365)
    with pytest.raises(services.ExtensionLimitReached) as excinfo:
        services.extend(offer, now=NOW + dt.timedelta(days=330))
    assert "un an" in str(excinfo.value)
    offer.refresh_from_db()
    assert offer.expires_at == NOW + dt.timedelta(days=365)


def test_extend_expired_after_one_year_is_refused():
    offer = OfferFactory(status=OfferStatus.EXPIRED, published_at=NOW, expires_at=NOW + dt.timedelta(days=60))
    with pytest.raises(services.ExtensionLimitReached):
        services.extend(offer, now=NOW + dt.timedelta(days=400))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED


def test_invalid_transition_message_is_french():
    offer = OfferFactory(status=OfferStatus.FILLED)
    with pytest.raises(InvalidTransition, match="impossible depuis le statut"):
        services.resume(offer, now=NOW)


def test_expire_overdue_expires_only_overdue_published_or_paused():
    overdue = OfferFactory(published_at=NOW - dt.timedelta(days=61), expires_at=NOW - dt.timedelta(days=1))
    overdue_paused = OfferFactory(
        status=OfferStatus.PAUSED, published_at=NOW - dt.timedelta(days=61), expires_at=NOW - dt.timedelta(days=1)
    )
    current = OfferFactory(published_at=NOW, expires_at=NOW + dt.timedelta(days=60))
    filled = OfferFactory(
        status=OfferStatus.FILLED, published_at=NOW - dt.timedelta(days=61), expires_at=NOW - dt.timedelta(days=1)
    )
    before = timezone.now()
    assert services.expire_overdue(now=NOW) == 2
    statuses = dict(Offer.objects.values_list("pk", "status"))
    assert statuses[overdue.pk] == statuses[overdue_paused.pk] == OfferStatus.EXPIRED
    assert statuses[current.pk] == OfferStatus.PUBLISHED
    assert statuses[filled.pk] == OfferStatus.FILLED
    assert Offer.objects.get(pk=overdue.pk).updated_at >= before
    assert services.expire_overdue(now=NOW) == 0


def test_expire_offers_command():
    from io import StringIO

    from django.core.management import call_command

    now = timezone.now()
    overdue = OfferFactory(published_at=now - dt.timedelta(days=61), expires_at=now - dt.timedelta(days=1))
    out = StringIO()
    call_command("expire_offers", stdout=out)
    assert Offer.objects.get(pk=overdue.pk).status == OfferStatus.EXPIRED
    assert "1 offre(s) expirée(s)" in out.getvalue()


def test_the_daily_expiry_task_expires_overdue_offers_and_returns_the_count():
    from alternance.offers.tasks import expire_offers

    now = timezone.now()
    overdue = OfferFactory(published_at=now - dt.timedelta(days=61), expires_at=now - dt.timedelta(days=1))
    current = OfferFactory(published_at=now, expires_at=now + dt.timedelta(days=30))
    assert expire_offers.enqueue().return_value == 1
    assert Offer.objects.get(pk=overdue.pk).status == OfferStatus.EXPIRED
    assert Offer.objects.get(pk=current.pk).status != OfferStatus.EXPIRED

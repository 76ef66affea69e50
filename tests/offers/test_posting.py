"""Postings through the services: drafts, edits, « Publier » with every rule, the history of every
transition, and the search following a published, paused or cancelled offer within its freshness bound."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from alternance.offers import services
from alternance.offers.models import Offer, OfferStatusChange
from alternance.offers.workflow import OfferStatus, OfferTransition
from alternance.reference.models import Appellation, Commune, RomeOccupation
from alternance.search import index as search_index
from tests.factories import BAKER_APPELLATION, BAKER_ROME, PARIS, CompanyFactory, OfferFactory

pytestmark = pytest.mark.django_db

DESCRIPTION = "Vous apprendrez la panification, le façonnage et la cuisson au fournil avec notre équipe."


def draft(company=None, **kwargs):
    return services.create_draft(
        company or CompanyFactory(),
        rome=RomeOccupation.objects.get(code=BAKER_ROME),
        appellation=Appellation.objects.get(ogr_code=BAKER_APPELLATION),
        title="Boulanger / Boulangère",
        **kwargs,
    )


def complete(offer, **overrides):
    values = {"diploma_level": 3, "start_asap": True, "duration_months": 24, "openings": 1,
              "description": DESCRIPTION, "questions": ["Pourquoi la boulangerie ?", " "]}  # fmt: skip
    return services.update_posting(offer, values | overrides)


def test_a_draft_takes_the_company_place_unless_another_is_chosen():
    company = CompanyFactory()
    offer = draft(company)
    assert (offer.status, offer.commune_id, offer.lat, offer.lon) == (
        OfferStatus.DRAFT, company.commune_id, company.lat, company.lon,
    )  # fmt: skip
    paris = Commune.objects.get(insee=PARIS)
    services.update_posting(offer, {"commune": paris})
    assert (offer.commune_id, offer.lat) == (paris.insee, paris.lat)
    assert list(offer.status_changes.values_list("transition", "from_status", "to_status")) == [
        ("create", "", OfferStatus.DRAFT)
    ]


def test_update_keeps_three_questions_and_asap_clears_the_date():
    offer = complete(draft(), start_date=timezone.localdate(), questions=["a ?", "", "b ?", "c ?", "d ?"])
    assert offer.questions == ["a ?", "b ?", "c ?"]
    assert offer.start_date is None and offer.start_asap


def test_submit_refuses_an_incomplete_posting_then_publishes_for_sixty_days():
    offer = draft()
    with pytest.raises(services.OfferIncomplete) as excinfo:
        services.submit(offer)
    assert {"description", "duration_months", "diploma_level"} <= set(excinfo.value.errors)
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.DRAFT
    complete(offer)
    now = timezone.now()
    services.submit(offer, now=now)
    assert offer.status == OfferStatus.PUBLISHED and offer.expires_at == now + dt.timedelta(days=60)


def test_closed_offers_are_not_edited():
    offer = OfferFactory(status=OfferStatus.FILLED)
    with pytest.raises(services.OfferNotEditable):
        services.update_posting(offer, {"description": DESCRIPTION})


def test_every_transition_is_kept_with_who_and_why():
    user = User.objects.create_user("patron", "patron@example.org", "x")
    offer = complete(draft(by=user))
    now = timezone.now()
    services.submit(offer, by=user, now=now)
    services.pause(offer, by=user, now=now + dt.timedelta(days=1), reason="Congés d'été")
    services.resume(offer, by=user, now=now + dt.timedelta(days=2))
    services.extend(offer, by=user, now=now + dt.timedelta(days=3))
    services.fill(offer, by=user, now=now + dt.timedelta(days=4), reason="Recrutée par la plateforme")
    rows = list(
        OfferStatusChange.objects.filter(offer=offer).values_list(
            "transition", "from_status", "to_status", "by", "reason"
        )
    )
    assert rows == [
        ("create", "", "brouillon", user.pk, ""),
        ("publish", "brouillon", "publiee", user.pk, ""),
        ("pause", "publiee", "suspendue", user.pk, "Congés d'été"),
        ("resume", "suspendue", "publiee", user.pk, ""),
        ("extend", "publiee", "publiee", user.pk, ""),
        ("fill", "publiee", "pourvue", user.pk, "Recrutée par la plateforme"),
    ]
    assert [c.at for c in offer.status_changes.all()][1:] == [now + dt.timedelta(days=d) for d in range(5)]


def test_a_refused_transition_writes_no_history():
    offer = OfferFactory(status=OfferStatus.FILLED)
    with pytest.raises(services.InvalidTransition):
        services.resume(offer)
    assert not offer.status_changes.exists()


def test_expire_overdue_keeps_history_for_each_offer():
    now = timezone.now()
    overdue = OfferFactory(published_at=now - dt.timedelta(days=61), expires_at=now - dt.timedelta(days=1))
    OfferFactory()
    assert services.expire_overdue(now=now) == 1
    change = overdue.status_changes.get()
    assert (change.transition, change.from_status, change.to_status, change.by) == (
        OfferTransition.EXPIRE, OfferStatus.PUBLISHED, OfferStatus.EXPIRED, None,
    )  # fmt: skip


def test_extension_never_goes_beyond_one_year_after_first_publication():
    first = timezone.now() - dt.timedelta(days=300)
    offer = OfferFactory(published_at=first, expires_at=first + dt.timedelta(days=60), status=OfferStatus.EXPIRED)
    services.extend(offer, now=first + dt.timedelta(days=320))
    assert offer.expires_at == first + dt.timedelta(days=365)
    with pytest.raises(services.ExtensionLimitReached):
        services.extend(offer, now=first + dt.timedelta(days=321))
    assert offer.status_changes.filter(transition="extend").count() == 1


# ---------------------------------------------------------------------------------------------- search
FRESHNESS_BOUND = 5.0
"""Issue 10: a published offer is in the search within 5 s (the index polls every SEARCH_FRESHNESS_SECONDS)."""


def _found(worker, offer) -> bool:
    return offer.pk in worker.candidates("offer", [BAKER_ROME], offer.lat, offer.lon, 30)["id"].tolist()


@pytest.mark.parametrize("close", ["pause", "cancel", "fill"])
def test_published_offer_is_searchable_within_the_bound_and_leaves_when_closed(close, settings, monkeypatch):
    settings.SEARCH_FRESHNESS_SECONDS = 2  # the production default
    assert settings.SEARCH_FRESHNESS_SECONDS <= FRESHNESS_BOUND
    clock = [1000.0]
    monkeypatch.setattr(search_index.time, "monotonic", lambda: clock[0])
    worker = search_index.build_index()  # a worker process started before the publication
    offer = complete(draft())
    assert not _found(worker, offer)
    services.submit(offer)
    clock[0] += FRESHNESS_BOUND
    assert _found(worker, offer)
    getattr(services, close)(offer)
    clock[0] += FRESHNESS_BOUND
    assert not _found(worker, offer)

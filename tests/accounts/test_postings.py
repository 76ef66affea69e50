"""Offers posted by members and by CFAs under a mandate; the expiry reminder to the members."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from alternance.accounts import postings, services
from alternance.accounts.services import MembershipError
from alternance.companies.models import Company
from alternance.core.identifiers import make_siret
from alternance.offers.models import Recipient
from alternance.reference.models import RomeOccupation
from tests.factories import BAKER_ROME, CompanyFactory, OfferFactory, OrganisationFactory
from tests.job_applications.helpers import apply

pytestmark = pytest.mark.django_db


def person(name):
    return User.objects.create_user(name, f"{name}@example.org", "x")


def rome():
    return RomeOccupation.objects.get(code=BAKER_ROME)


def test_only_active_members_post_for_their_company():
    company = CompanyFactory()
    boss = services.join_company(person("boss"), company.siret).user
    waiting = services.join_company(person("waiting"), company.siret).user
    offer = postings.post_for_company(boss, company, rome=rome())
    assert offer.company == company and offer.created_by == boss and offer.delegated_by is None
    for outsider in (waiting, person("outsider")):
        with pytest.raises(MembershipError):
            postings.post_for_company(outsider, company, rome=rome())


MANDATE = {"mandate": True, "recipient": Recipient.COMPANY, "contact_email": "rh@example.org"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"mandate": False}, "mandate"),
        ({"siret": "12345678901234"}, "siret"),
        ({"recipient": "autre"}, "recipient"),
        ({"contact_email": ""}, "contact_email"),
        ({"siret": make_siret("96000001", "0001")}, "naf_code"),  # unknown: its NAF is asked, as when joining
    ],
)
def test_mandate_refusals(overrides, field):
    cfa = OrganisationFactory(contact_email="")
    karim = services.join_organisation(person("karim"), cfa.uai).user
    company = CompanyFactory(contact_email="")
    with pytest.raises(MembershipError) as excinfo:
        postings.post_under_mandate(karim, cfa, **(MANDATE | {"siret": company.siret} | overrides), rome=rome())
    assert excinfo.value.field == field


def test_cfa_without_address_cannot_receive_the_applications():
    cfa = OrganisationFactory(contact_email="")
    karim = services.join_organisation(person("karim"), cfa.uai).user
    with pytest.raises(MembershipError) as excinfo:
        postings.post_under_mandate(
            karim, cfa, **(MANDATE | {"siret": CompanyFactory().siret, "recipient": Recipient.ORGANISATION}),
            rome=rome(),
        )  # fmt: skip
    assert excinfo.value.code == "organisation_unreachable"


def test_mandate_creates_an_unknown_company_with_its_naf_and_sends_applications_to_the_cfa(
    private_storage, django_capture_on_commit_callbacks
):
    cfa = OrganisationFactory(contact_email="relations@cfa.example.org")
    karim = services.join_organisation(person("karim"), cfa.uai).user
    siret = make_siret("96000002", "0001")
    offer = postings.post_under_mandate(
        karim, cfa, siret=siret, name="Fournil de la Gare", naf_code="10.71C", commune_insee="69123",
        mandate=True, recipient=Recipient.ORGANISATION, rome=rome(),
    )  # fmt: skip
    company = Company.objects.get(siret=siret)
    assert (offer.company, offer.delegated_by, offer.recipient) == (company, cfa, Recipient.ORGANISATION)
    assert company.naf_id == "10.71C" and company.contact_email == ""
    offer.status, offer.published_at, offer.expires_at = "publiee", timezone.now(), timezone.now() + dt.timedelta(60)
    offer.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        apply(offer=offer)
    assert [m.to for m in mail.outbox if m.subject.startswith("Nouvelle candidature")] == [
        ["relations@cfa.example.org"]
    ]


def test_mandate_to_the_company_records_its_address():
    cfa = OrganisationFactory()
    karim = services.join_organisation(person("karim"), cfa.uai).user
    company = CompanyFactory(contact_email="")
    offer = postings.post_under_mandate(karim, cfa, **(MANDATE | {"siret": company.siret}), rome=rome())
    company.refresh_from_db()
    assert company.contact_email == "rh@example.org" and offer.applications_email == "rh@example.org"


def remind(capture, now):
    with capture(execute=True):
        return postings.send_offer_expiry_reminders(now=now)


def test_expiry_reminder_once_per_expiry_date_to_active_members(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    now = timezone.now()
    company = CompanyFactory()
    services.join_company(person("boss"), company.siret)
    services.join_company(person("waiting"), company.siret)  # pending: not reminded
    cfa = OrganisationFactory()
    services.join_organisation(person("karim"), cfa.uai)
    soon = OfferFactory(company=company, delegated_by=cfa, published_at=now - dt.timedelta(days=54))
    OfferFactory(company=company, published_at=now)  # expires in 60 days: not yet
    OfferFactory(company=company, status="suspendue", published_at=now - dt.timedelta(days=55))
    mail.outbox.clear()
    assert remind(capture, now) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.org", "karim@example.org"]
    message = mail.outbox[0]
    assert "expire le" in message.subject and f"/offres/{soon.pk}/" in message.body and "60 jours" in message.body
    assert remind(capture, now + dt.timedelta(days=1)) == 0  # once per expiry date
    from alternance.offers import services as offer_services

    offer_services.extend(soon, now=now + dt.timedelta(days=2))  # a new expiry date: reminded again 7 days before
    assert remind(capture, now + dt.timedelta(days=3)) == 0
    assert remind(capture, soon.expires_at - dt.timedelta(days=6)) == 1
    assert len(mail.outbox) == 4


def test_send_reminders_command_includes_offer_expiry(django_capture_on_commit_callbacks):
    company = CompanyFactory()
    services.join_company(person("boss"), company.siret)
    OfferFactory(company=company, published_at=timezone.now() - dt.timedelta(days=55))
    mail.outbox.clear()
    from io import StringIO

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "1 rappel(s) d'expiration d'offres" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["boss@example.org"]]

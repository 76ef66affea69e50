"""The seeded site the page checks open (fixture `site_data`, plugged in by tests/e2e/conftest.py): the demo
data, one of each kind of page's object (a filled offer, a closed course, an application, an appointment), the
recruiter's and the CFA's spaces, and the signed-in people with their browser sessions."""

import pytest
from django.core.management import call_command

from alternance.companies.models import Company
from alternance.offers.models import Offer
from alternance.offers.workflow import OfferStatus
from alternance.organisations.models import Organisation
from alternance.reference.models import Diploma
from alternance.trainings.models import ImportReport, Training
from alternance.trainings.rules import ABSENT_FROM_FEED
from alternance.trainings.status import change_status
from tests.contracts.contract_data import BAKER_CFD, valid_contract
from tests.contracts.smic import ensure_smic_rates


@pytest.fixture
def site_data(reference_data, django_db_blocker, settings, private_storage):
    from alternance.contracts.services import create_contract
    from alternance.job_applications import services as applications
    from alternance.job_applications import tokens
    from tests.job_applications.files import pdf_bytes

    settings.ALTERNANCE_LOCAL_MAILBOX = True  # /courriels/, as under `make run`

    with django_db_blocker.unblock():
        call_command("seed_demo", scale="tiny", seed=7, verbosity=0)
        ensure_smic_rates()
        Diploma.objects.get_or_create(cfd=BAKER_CFD, defaults={"title": "BOULANGER (CAP)", "level": 3})
        contract = create_contract(valid_contract())
        organisation = Organisation.objects.order_by("pk").first()
        offers = Offer.objects.searchable().order_by("pk")
        offer, filled = offers[0], offers[1]
        filled.status = OfferStatus.FILLED  # a closed offer keeps its page (and proposes similar offers)
        filled.save()
        company = Company.objects.public().filter(accepts_spontaneous=True).order_by("pk").first()
        training, closed_training = Training.objects.visible().order_by("pk")[:2]
        change_status(closed_training, Training.Status.CLOSED, rule=ABSENT_FROM_FEED)  # its page stays, says so
        person = {"first_name": "Inès", "last_name": "Martin", "email": "ines@example.org", "message": "Bonjour."}
        application = applications.submit_application(offer=offer, cv=pdf_bytes(), **person)
        appointment = applications.request_appointment(training=training, reasons=["inscription"], **person)
        space = _recruiter_space(offer, organisation)
        people = signed_in_people(company)
        company_contract = create_contract(valid_contract(employer_siret=company.siret), company=company)
        import_report = ImportReport.objects.create(
            source="e2e", filename="flux.xml", state=ImportReport.State.SUCCEEDED
        )
        warm_indexes()
    assert organisation is not None, "load_reference charge les organismes"
    return {
        "contract": contract.public_id,
        "organisation": organisation.pk,
        "offer": offer.pk,
        "filled_offer": filled.pk,
        "company": company.siret,
        "training": training.pk,
        "closed_training": closed_training.pk,
        "application": application.public_id,
        "appointment": appointment.public_id,
        "follow": tokens.follow_token(application.email_digest),
        "answer": tokens.object_token(tokens.ANSWER_APPLICATION, application.public_id),
        "appointment_answer": tokens.object_token(tokens.ANSWER_APPOINTMENT, appointment.public_id),
        "company_contract": company_contract.public_id,
        "import_report": import_report.pk,
        "people": people,
        **space,
    }


def warm_indexes() -> None:
    """Build the process-wide indexes before the browser asks (the live server runs in this process): on a loaded
    machine their cold build made the first search page exceed the page timeout (as in test_search_phone)."""
    from alternance.reference.suggest import occupation_index, place_index
    from alternance.search import index

    occupation_index()
    place_index()
    index.reset()
    index.get_source()


def _recruiter_space(offer, organisation) -> dict:
    """A recruiter of the offer's company, also member of a CFA that posted an offer under a mandate."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import User

    from alternance.accounts import services as accounts
    from alternance.offers import services as offers

    person = User.objects.create_user("recruteur", "recruteur@example.org", "x")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    accounts.join_company(person, offer.company.siret)
    accounts.join_organisation(person, organisation.uai or organisation.siret)
    draft = offers.create_draft(offer.company, rome=offer.rome, appellation=offer.appellation, by=person)
    offers.update_posting(draft, {"diploma_level": 3, "start_asap": True, "duration_months": 24,
                                  "questions": ["Pourquoi ce métier ?"]})  # fmt: skip
    mandated = offers.create_draft(offer.company, rome=offer.rome, by=person, delegated_by=organisation,
                                   recipient="entreprise")  # fmt: skip
    # the CFA's space: a course of the catalogue and an appointment request to answer
    from alternance.job_applications import services as applications
    from tests.factories import TrainingFactory

    course = TrainingFactory(organisation=organisation, title="CAP Pâtissier")
    appointment = applications.request_appointment(
        training=course, reasons=["inscription"], first_name="Yanis", last_name="Benali",
        email="yanis@example.org", message="Bonjour.",
    )  # fmt: skip
    return {"space_company": offer.company.siret, "space_offer": draft.pk, "space_cfa": organisation.pk,
            "space_cfa_offer": mandated.pk, "space_user": person.pk,
            "space_appointment": appointment.public_id}  # fmt: skip


def session_cookies(live_server, user_id) -> list[dict]:
    """The session of a seeded person (by id), as a browser cookie for the live server."""
    from django.contrib.auth.models import User

    return session_cookie(User.objects.get(pk=user_id), live_server)


def signed_in_people(company) -> dict:
    """The people of SIGNED_IN_PAGES: a staff member and the administrator of ``company``."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import User

    from alternance.accounts import services as accounts

    people = {}
    for name, staff in (("staff", True), ("recruiter", False)):
        user = User.objects.create_user(f"{name}-e2e", f"{name}-e2e@example.org", "x", is_staff=staff)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        people[name] = user
    accounts.join_company(people["recruiter"], company.siret)
    return people


def session_cookie(user, live_server) -> list[dict]:
    """A signed-in session of ``user`` (Django's test client), as a cookie for the browser."""
    from django.conf import settings as django_settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    value = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return [{"name": django_settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}]

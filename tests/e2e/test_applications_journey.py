"""Journeys of issue 9: a candidate applies without an account, the recruiter answers from the link of
the e-mail, the candidate sees the answer; a candidate asks a CFA for an appointment. axe-core on each page."""

import re

import pytest
from django.core import mail
from django.urls import Resolver404, resolve

from tests.e2e.conftest import e2e_db
from tests.factories import CompanyFactory, OfferFactory, TrainingFactory
from tests.job_applications.files import pdf_bytes

pytestmark = [e2e_db]


def link(message, pattern: str) -> str:
    return re.search(rf"https?://[^\s/]+({pattern})", message.body).group(1)


def has_page(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@pytest.fixture
def journey_data(reference_data, private_storage, settings, live_server):
    settings.SITE_URL = live_server.url
    company = CompanyFactory(name="Boulangerie du Parc (démo)", contact_email="recrutement@example.org")
    offer = OfferFactory(company=company, questions=["Quand pouvez-vous commencer ?"])
    training = TrainingFactory(romes=["D1102"])
    training.organisation.contact_email = "contact-cfa@example.org"
    training.organisation.save()
    return {"offer": offer, "training": training}


def test_apply_recruiter_answers_candidate_sees_it(page, live_server, journey_data, assert_accessible, tmp_path):
    offer = journey_data["offer"]
    detail = f"/offres/{offer.pk}/"
    if has_page(detail):  # the offer page of the detail pages' package, once merged
        page.goto(live_server.url + detail)
        page.get_by_role("link", name=re.compile("Postuler")).first.click()
    else:
        page.goto(live_server.url + f"/offres/{offer.pk}/postuler/")
    page.wait_for_url(re.compile(r"/postuler/$"))
    assert_accessible(page)

    # Sent empty: every error is named, the page stays accessible.
    page.get_by_role("button", name="Envoyer ma candidature").press("Enter")
    page.locator("#errors-summary").wait_for()
    assert "Joignez votre CV" in page.locator("#errors-summary").inner_text()
    assert_accessible(page)

    cv = tmp_path / "mon-cv.pdf"
    cv.write_bytes(pdf_bytes())
    page.get_by_label("Prénom").fill("Yanis")
    page.locator("#id_last_name").fill("Benali")
    page.locator("#id_email").fill("yanis.benali@example.org")
    page.locator("#id_cv").set_input_files(str(cv))
    page.locator("#id_message").fill("Je suis motivé.")
    page.locator("#id_answer_1").fill("En septembre.")
    page.get_by_role("button", name="Envoyer ma candidature").press("Enter")
    page.wait_for_url(re.compile(r"/candidatures/[0-9a-f-]+/envoyee/$"))
    text = page.locator("main").inner_text()
    assert "Votre candidature est envoyée" in text and "nous lui enverrons un rappel" in text
    assert_accessible(page)

    recruiter = next(m for m in mail.outbox if m.to == ["recrutement@example.org"])
    candidate = next(m for m in mail.outbox if m.to == ["yanis.benali@example.org"])
    assert recruiter.attachments and recruiter.attachments[0][1].startswith(b"%PDF-")

    # The recruiter opens the link of the e-mail: no password.
    page.goto(live_server.url + link(recruiter, r"/candidatures/\S+/repondre/\S+/"))
    assert "Yanis Benali" in page.locator("h1").inner_text()
    assert "En septembre." in page.locator("main").inner_text()
    assert_accessible(page)
    page.locator("#id_proposer_entretien-message").fill("Venez mardi 10 h, demandez Mme Martin.")
    page.get_by_role("button", name="Proposer un entretien").press("Enter")
    page.locator("#reponse-envoyee").wait_for()
    assert_accessible(page)

    answer = next(m for m in mail.outbox if m.to == ["yanis.benali@example.org"] and "Réponse" in m.subject)
    assert "Entretien proposé" in answer.body

    # The candidate follows the private link of the confirmation e-mail.
    page.goto(live_server.url + link(candidate, r"/mes-candidatures/\S+/"))
    card = page.locator(".candidature").first
    assert "Entretien proposé" in card.text_content()  # the badge is shown in capitals
    assert "Venez mardi 10 h, demandez Mme Martin." in card.text_content()
    assert_accessible(page)


def test_ask_a_cfa_for_an_appointment(mobile_page, live_server, journey_data, assert_accessible):
    page = mobile_page
    training = journey_data["training"]
    page.goto(live_server.url + f"/formations/{training.pk}/rendez-vous/")
    assert_accessible(page)
    page.locator("#id_first_name").fill("Inès")
    page.locator("#id_last_name").fill("Martin")
    page.locator("#id_email").fill("ines@example.org")
    for label in ("Les modalités d'inscription", "De l'aide pour trouver une entreprise"):
        page.get_by_label(label).focus()
        page.keyboard.press("Space")
    assert page.locator("input[name=reasons]:checked").count() == 2
    page.get_by_role("button", name="Envoyer ma demande").press("Enter")
    page.wait_for_url(re.compile(r"/rendez-vous/[0-9a-f-]+/envoyee/$"))
    assert "Le CFA reçoit votre demande par courriel" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)

    cfa = next(m for m in mail.outbox if m.to == ["contact-cfa@example.org"])
    page.goto(live_server.url + link(cfa, r"/rendez-vous/\S+/repondre/\S+/"))
    assert_accessible(page)
    page.locator("#id_refuser-reason").select_option("complet")
    page.get_by_role("button", name="Refuser la demande").press("Enter")
    page.locator("#reponse-envoyee").wait_for()
    receipt = next(m for m in mail.outbox if m.to == ["ines@example.org"])
    page.goto(live_server.url + link(receipt, r"/mes-candidatures/\S+/"))
    assert "La formation est complète" in page.locator(".rendez-vous").text_content()
    assert_accessible(page)

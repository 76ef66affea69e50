"""Journey of issue 10: a recruiter creates an account, verifies the address from the e-mail, joins the
company by SIRET, opens the inbox and refuses an application with a reason; the candidate gets the answer.
axe-core on each page; keyboard only for the forms."""

import re

from django.core import mail

from tests.e2e.conftest import e2e_db
from tests.factories import CompanyFactory, OfferFactory
from tests.job_applications.helpers import apply

pytestmark = [e2e_db]

PASSWORD = "Fournil-Croissant-2026"


def link(message, pattern: str) -> str:
    return re.search(rf"https?://[^\s/]+({pattern})", message.body).group(1)


def test_recruiter_signs_up_joins_the_company_and_refuses_from_the_inbox(
    page, live_server, reference_data, private_storage, settings, assert_accessible
):
    settings.SITE_URL = live_server.url
    company = CompanyFactory(name="Boulangerie du Parc", contact_email="recrutement@example.org")
    offer = OfferFactory(company=company)
    apply(offer=offer, first_name="Yanis", last_name="Benali", email="yanis@example.org")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Espace recruteur").first.click()
    page.wait_for_url(re.compile(r"/comptes/login/"))
    assert_accessible(page)
    page.get_by_role("link", name="Créer un compte").click()
    page.wait_for_url(re.compile(r"/comptes/signup/"))
    assert_accessible(page)
    page.locator("#id_email").fill("patron@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").press("Enter")
    page.wait_for_url(re.compile(r"/comptes/confirm-email/$"))
    assert "Vérifiez votre adresse" in page.locator("h1").inner_text()
    assert_accessible(page)

    confirmation = next(m for m in mail.outbox if m.to == ["patron@example.org"])
    page.goto(live_server.url + link(confirmation, r"/comptes/confirm-email/\S+/"))
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer mon adresse").press("Enter")
    page.wait_for_url(re.compile(r"/espace/"))

    page.goto(live_server.url + "/espace/entreprise/rejoindre/")
    assert_accessible(page)
    page.locator("#id_siret").fill(company.siret)
    page.get_by_role("button", name="Rattacher").press("Enter")
    page.wait_for_url(re.compile(r"/espace/$"))
    assert "Vous administrez désormais « Boulangerie du Parc »" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Candidatures reçues")).click()
    page.wait_for_url(re.compile(r"/candidatures/$"))
    assert "Yanis Benali" in page.locator("#boite-candidatures").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Répondre")).first.click()
    page.locator("#id_refuser-reason").select_option("poste_pourvu")
    page.get_by_role("button", name="Refuser la candidature").press("Enter")
    page.locator("#reponse-envoyee").wait_for()

    answer = next(m for m in mail.outbox if m.to == ["yanis@example.org"] and "Réponse" in m.subject)
    assert "Le poste est déjà pourvu" in answer.body
    page.goto(live_server.url + f"/espace/entreprises/{company.siret}/candidatures/?statut=refusee")
    assert "Yanis Benali" in page.locator("#boite-candidatures").inner_text()

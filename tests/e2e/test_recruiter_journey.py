"""Journey of issue 10: a recruiter creates an account, verifies the address from the e-mail, joins the
company by SIRET and publishes an offer through the stepper (occupation chosen with the keyboard, the legal
pay beside the start date, a question for candidates); a candidate finds it in the search and applies,
answering the question; the recruiter refuses with a reason from the inbox; the candidate sees the answer
on the follow-up page. axe-core on each page; keyboard only for the forms."""

import datetime as dt
import re

from django.core import mail
from django.utils import timezone

from alternance.offers.models import Offer
from tests.contracts.smic import ensure_smic_rates
from tests.e2e.combobox import pick_baker
from tests.e2e.conftest import e2e_db
from tests.factories import CompanyFactory
from tests.job_applications.files import pdf_bytes

pytestmark = [e2e_db]

PASSWORD = "Fournil-Croissant-2026"


def link(message, pattern: str) -> str:
    return re.search(rf"https?://[^\s/]+({pattern})", message.body).group(1)


DESCRIPTION = (
    "Au fournil dès 5 h, vous apprendrez la panification, le façonnage et la cuisson des viennoiseries "
    "avec notre équipe de six personnes."
)
QUESTION = "Pourquoi voulez-vous devenir boulanger ?"


def submit(page, name="Enregistrer et continuer"):
    page.get_by_role("button", name=name).press("Enter")


def publish_an_offer(page, live_server, assert_accessible) -> Offer:
    """From /espace/: the company's offers, then the four steps of the stepper, with the keyboard."""
    page.get_by_role("link", name=re.compile("^Offres")).first.click()
    page.wait_for_url(re.compile(r"/offres/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Publier une offre").click()
    page.wait_for_url(re.compile(r"/offres/nouvelle/$"))
    assert_accessible(page)
    submit(page)  # sent empty: the error summary links to the field
    page.locator("#errors-summary a[href='#id_metier']").wait_for()
    assert_accessible(page)
    pick_baker(page)
    submit(page)

    page.wait_for_url(re.compile(r"/etapes/contrat/$"))
    assert "16 ans" in page.locator("#remuneration").inner_text()
    assert_accessible(page)
    start = timezone.localdate() + dt.timedelta(days=75)
    page.locator("#id_diploma_level").select_option("3")
    page.locator("#id_start_date").fill(start.isoformat())
    page.locator("#id_duration_months").fill("48")
    page.locator("#id_openings").fill("1")
    submit(page)
    page.locator("#errors-summary").wait_for()
    assert "de 6 à 36 mois" in page.locator("#errors-summary").inner_text()
    assert str(start.year) in page.locator("#remuneration").inner_text()  # the pay for the typed date
    assert_accessible(page)
    page.locator("#id_duration_months").fill("24")
    submit(page)

    page.wait_for_url(re.compile(r"/etapes/description/$"))
    assert_accessible(page)
    page.locator("#id_description").fill(DESCRIPTION)
    page.locator("#id_question_1").fill(QUESTION)
    submit(page)

    page.wait_for_url(re.compile(r"/etapes/recapitulatif/$"))
    assert QUESTION in page.locator("#offre-resume").inner_text()
    assert_accessible(page)
    submit(page, "Publier")
    page.wait_for_url(re.compile(r"/offres/\d+/$"))
    assert "est en ligne jusqu" in page.locator("main").inner_text()
    assert "Publication" in page.locator("#historique").inner_text()
    assert_accessible(page)
    return Offer.objects.get(status="publiee")


def candidate_finds_and_applies(browser, live_server, offer, assert_accessible, tmp_path):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(
            live_server.url
            + "/recherche/?metier=Boulanger+%2F+Boulang%C3%A8re&rome=D1102&lieu=Lyon&insee=69123&rayon=30&type=offer"
        )
        card = page.locator("#resultats-offer .fr-card", has_text="Boulangerie du Parc").first
        card.wait_for()
        assert_accessible(page)
        card.get_by_role("link").first.click()
        page.wait_for_url(re.compile(rf"/offres/{offer.pk}/$"))
        page.get_by_role("link", name="Postuler").click()
        page.wait_for_url(re.compile(r"/postuler/$"))
        assert QUESTION in page.locator("main").inner_text()
        assert_accessible(page)
        cv = tmp_path / "cv.pdf"
        cv.write_bytes(pdf_bytes())
        page.locator("#id_first_name").fill("Yanis")
        page.locator("#id_last_name").fill("Benali")
        page.locator("#id_email").fill("yanis@example.org")
        page.locator("#id_cv").set_input_files(str(cv))
        page.locator("#id_answer_1").fill("J'aime le travail du pain.")
        page.get_by_role("button", name="Envoyer ma candidature").press("Enter")
        page.wait_for_url(re.compile(r"/envoyee/$"))
        assert_accessible(page)
    finally:
        context.close()


def test_recruiter_signs_up_publishes_an_offer_and_refuses_from_the_inbox(
    page, browser, live_server, reference_data, private_storage, settings, assert_accessible, tmp_path
):
    settings.SITE_URL = live_server.url
    ensure_smic_rates()
    company = CompanyFactory(name="Boulangerie du Parc", contact_email="recrutement@example.org")

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

    offer = publish_an_offer(page, live_server, assert_accessible)
    candidate_finds_and_applies(browser, live_server, offer, assert_accessible, tmp_path)

    page.goto(live_server.url + "/espace/")
    page.get_by_role("link", name=re.compile("Candidatures reçues")).click()
    page.wait_for_url(re.compile(r"/candidatures/$"))
    assert "Yanis Benali" in page.locator("#boite-candidatures").inner_text()
    assert_accessible(page)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Répondre")).first.click()
    assert "J'aime le travail du pain." in page.locator("main").inner_text()  # the answer to the question
    page.locator("#id_refuser-reason").select_option("poste_pourvu")
    page.get_by_role("button", name="Refuser la candidature").press("Enter")
    page.locator("#reponse-envoyee").wait_for()

    answer = next(m for m in mail.outbox if m.to == ["yanis@example.org"] and "Réponse" in m.subject)
    assert "Le poste est déjà pourvu" in answer.body
    page.goto(live_server.url + f"/espace/entreprises/{company.siret}/candidatures/?statut=refusee")
    assert "Yanis Benali" in page.locator("#boite-candidatures").inner_text()

    # The candidate opens the follow-up link of the confirmation e-mail and sees the answer.
    receipt = next(m for m in mail.outbox if m.to == ["yanis@example.org"] and "envoyée" in m.subject)
    page.goto(live_server.url + link(receipt, r"/mes-candidatures/\S+/"))
    card = page.locator(".candidature").first
    assert "Le poste est déjà pourvu" in card.text_content()
    assert_accessible(page)

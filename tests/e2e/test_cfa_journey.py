"""Journey of issue 10, CFA side: a member of a CFA (joined, accepted by its administrator) signs in,
opens the organisation's space and corrects its contact address with the keyboard; the public register page
shows it with the source « déclaration de l'organisme ». Then the administrator creates an API key: the
secret is shown once, and once revoked the API refuses it. axe-core on each page."""

import re

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.test import Client

from alternance.accounts import services as accounts
from tests.e2e.conftest import e2e_db
from tests.factories import OrganisationFactory, TrainingFactory

pytestmark = [e2e_db]

PASSWORD = "Lilas-Apprentis-2026"


def person(name: str) -> User:
    email = f"{name}@cfa-lilas.example.org"
    user = User.objects.create_user(name, email, PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/comptes/login/")
    page.locator("#id_login").fill(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/espace/$"))


def test_a_member_corrects_the_address_and_an_admin_manages_a_key(page, live_server, reference_data, assert_accessible):
    organisation = OrganisationFactory(name="CFA des Lilas", address="1 place Bellecour", postcode="69002")
    TrainingFactory(organisation=organisation, title="CAP Pâtissier")
    admin = accounts.join_organisation(person("karim"), organisation.uai).user
    membership = accounts.join_organisation(person("lea"), organisation.uai)
    accounts.accept_member(membership, admin)

    sign_in(page, live_server, "lea@cfa-lilas.example.org")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Espace de l'organisme")).click()
    page.wait_for_url(re.compile(rf"/espace/organismes/{organisation.pk}/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Fiche de l'organisme").click()
    page.wait_for_url(re.compile(r"/fiche/$"))
    assert_accessible(page)

    # keyboard only: each field reached with Tab from the one before, sent with Enter
    page.locator("#id_address").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("12 rue des Lilas")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("69003")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("Paris")  # not the commune of 69003: refused with a French message
    page.keyboard.press("Enter")
    page.locator(".fr-error-text", has_text="n'a pas le code postal 69003").wait_for()
    assert page.title().startswith("Erreur")
    assert_accessible(page)
    page.locator("#id_commune").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Lyon")
    page.keyboard.press("Enter")
    page.locator(".fr-alert--success").wait_for()
    assert "publiées sur la page du registre" in page.locator("main").inner_text()
    assert "12 rue des Lilas" in page.locator("#declarations").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="la page du registre").click()
    page.wait_for_url(re.compile(rf"/organismes/{organisation.pk}/$"))
    contact = page.locator("#coordonnees").inner_text()
    assert "12 rue des Lilas, 69003 Lyon" in contact
    assert "Source\u00a0: déclaration de l'organisme" in contact or "Source : déclaration de l'organisme" in contact
    assert "1 place Bellecour" in page.locator("main").inner_text()  # the official value, kept beside
    assert_accessible(page)

    # a member who is not an administrator sees the keys but cannot create one
    page.goto(live_server.url + f"/espace/organismes/{organisation.pk}/cles/")
    assert page.locator("#formulaire-cle").count() == 0
    page.context.clear_cookies()

    sign_in(page, live_server, "karim@cfa-lilas.example.org")
    page.goto(live_server.url + f"/espace/organismes/{organisation.pk}/cles/")
    assert_accessible(page)
    page.locator("#id_name").focus()
    page.keyboard.type("Logiciel de scolarité")
    page.keyboard.press("Enter")
    page.locator("#nouvelle-cle").wait_for()
    assert_accessible(page)
    secret = page.locator("#secret").input_value()
    api = Client()
    assert api.get("/api/v1/enrolments", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200

    page.goto(live_server.url + f"/espace/organismes/{organisation.pk}/cles/")
    assert secret not in page.content()  # shown once, never again
    page.get_by_role("button", name=re.compile("Révoquer")).focus()
    page.keyboard.press("Enter")
    page.locator(".fr-alert--success", has_text="révoquée").wait_for()
    assert "révoquée le" in page.locator("#cles").inner_text().lower()
    assert_accessible(page)
    refused = api.get("/api/v1/enrolments", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"

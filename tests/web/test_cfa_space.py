"""The space of a training organisation: scoped to its active members (another CFA's space is a 404), its
record corrected by declarations shown on the register page, its courses with their rule, its appointment
requests answered as from the signed link, its API keys (secret shown once, revocation refused by the API)."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from alternance.accounts import services as accounts
from alternance.accounts.models import ApiKey
from alternance.job_applications import tokens
from alternance.job_applications.models import AppointmentRequest
from alternance.organisations.models import Organisation
from alternance.trainings.models import StatusChange, Training
from tests.factories import OrganisationFactory, TrainingFactory
from tests.job_applications.helpers import ask

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&nbsp;", "\u00a0")


@pytest.fixture
def cfa(db, private_storage, reference_data):
    organisation = OrganisationFactory(name="CFA des Lilas", contact_email="contact@cfa-lilas.example.org")
    admin = accounts.join_organisation(User.objects.create_user("karim", "karim@example.org", "x"), organisation.uai)
    member = accounts.join_organisation(User.objects.create_user("lea", "lea@example.org", "x"), organisation.uai)
    pending = accounts.join_organisation(User.objects.create_user("paul", "paul@example.org", "x"), organisation.uai)
    accounts.accept_member(member, admin.user)
    return {"organisation": organisation, "admin": admin.user, "member": member.user, "pending": pending.user}


def _login(client, user):
    client.force_login(user)
    return client


def test_the_space_is_for_the_active_members_only(client, cfa):
    organisation = cfa["organisation"]
    other = OrganisationFactory()
    url = f"/espace/organismes/{organisation.pk}/"
    assert client.get(url).status_code == 302
    _login(client, cfa["pending"])
    assert client.get(url).status_code == 404
    _login(client, cfa["member"])
    home = client.get(url)
    assert home.status_code == 200 and "no-store" in home["Cache-Control"] and home["X-Robots-Tag"]
    assert client.get(f"/espace/organismes/{other.pk}/").status_code == 404
    assert client.get(f"/espace/organismes/{other.pk}/fiche/").status_code == 404
    assert f'href="/espace/organismes/{organisation.pk}/"' in _text(client.get("/espace/"))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"contact_email": "contact@"}, "contact_email", "vérifiez le format nom@domaine.fr"),
        ({"phone": "04 78 12"}, "phone", "vous en avez saisi 6"),
        ({"website": "https://localhost"}, "website", "contenir un nom de domaine"),
        ({"address": "12 rue des Lilas", "postcode": "99999", "commune": "Lyon"}, "postcode", "n'existe pas"),
        ({"address": "12 rue des Lilas", "postcode": "69003", "commune": "Paris"}, "commune", "communes de ce code"),
        ({"address": "", "postcode": "69003", "commune": "Lyon"}, "address", "Indiquez le numéro et la voie"),
    ],
)
def test_wrong_values_are_refused_with_a_french_message(client, cfa, data, field, message):
    organisation = cfa["organisation"]
    _login(client, cfa["member"])
    fields = {"contact_email": "", "phone": "", "website": "", "address": "", "postcode": "", "commune": ""}
    response = client.post(f"/espace/organismes/{organisation.pk}/fiche/", {"action": "contact", **fields, **data})
    html = _text(response)
    assert response.status_code == 400 and message in html
    assert re.search(rf'id="id_{field}"[^>]*aria-invalid="true"|id="id_{field}"[^>]*fr-input--error', html) or (
        f"{field}-desc-error" in html or "fr-input-group--error" in html
    )
    assert not organisation.facts.filter(source="declaration_organisme").exists()


def test_a_correction_is_shown_on_the_register_page_with_its_source(client, cfa):
    organisation = cfa["organisation"]
    _login(client, cfa["member"])
    response = client.post(
        f"/espace/organismes/{organisation.pk}/fiche/",
        {"action": "contact", "contact_email": "accueil@cfa-lilas.example.org", "phone": "+33 4 78 12 34 56",
         "website": "https://www.cfa-lilas.example.org", "address": "12 rue des Lilas", "postcode": "69003",
         "commune": "Lyon"},
    )  # fmt: skip
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.phone == "04 78 12 34 56" and organisation.address == "12 rue des Lilas"
    today = timezone.localdate()
    client.logout()
    page = _text(client.get(f"/organismes/{organisation.pk}/"))
    contact = page.split('id="coordonnees"')[1].split("</dl>")[0]
    assert "accueil@cfa-lilas.example.org" in contact and "04 78 12 34 56" in contact
    assert "12 rue des Lilas, 69003 Lyon" in contact
    assert contact.count("Source\u00a0: déclaration de l'organisme") == 4
    from alternance.web.templatetags.alternance_tags import date_fr

    assert date_fr(today) in contact
    # the official value stays in the sources table, beside the declaration
    assert "contact@cfa-lilas.example.org" in page and "déclaration de l'organisme" in page

    _login(client, cfa["member"])
    record = _text(client.get(f"/espace/organismes/{organisation.pk}/fiche/"))
    assert "lea@example.org" in record and 'value="accueil@cfa-lilas.example.org"' in record


def test_a_training_site_is_declared(client, cfa):
    organisation = cfa["organisation"]
    _login(client, cfa["member"])
    url = f"/espace/organismes/{organisation.pk}/fiche/"
    missing = client.post(url, {"action": "site", "lieu-name": "", "lieu-address": "", "lieu-postcode": ""})
    assert missing.status_code == 400 and "Indiquez l'adresse du lieu de formation" in _text(missing)
    done = client.post(
        url, {"action": "site", "lieu-name": "Site de Vaise", "lieu-address": "3 quai Paul Sédaillan",
              "lieu-postcode": "69009", "lieu-commune": "Lyon"},
    )  # fmt: skip
    assert done.status_code == 302
    page = _text(client.get(f"/organismes/{organisation.pk}/"))
    assert "Site de Vaise, 3 quai Paul Sédaillan, 69009 Lyon" in page


def test_the_courses_with_their_status_and_rule(client, cfa):
    organisation = cfa["organisation"]
    published = TrainingFactory(organisation=organisation, title="CAP Boulanger")
    held = TrainingFactory(organisation=organisation, title="BTS Sans lieu", status=Training.Status.TO_CHECK)
    StatusChange.objects.create(
        training=held, from_status="publiee", to_status="a_verifier", rule="sans_lieu",
        reason="Le lieu de formation n'a pas pu être situé.",
    )  # fmt: skip
    TrainingFactory(title="CAP d'un autre CFA")
    _login(client, cfa["member"])
    html = _text(client.get(f"/espace/organismes/{organisation.pk}/formations/"))
    assert f'href="/formations/{published.pk}/"' in html and f'href="/formations/{held.pk}/"' not in html
    assert "sans_lieu" in html and "Le lieu de formation n'a pas pu être situé." in html and "À vérifier" in html
    assert "autre CFA" not in html
    filtered = _text(client.get(f"/espace/organismes/{organisation.pk}/formations/?statut=a_verifier"))
    assert "BTS Sans lieu" in filtered and "CAP Boulanger" not in filtered


def test_the_inbox_filters_pages_and_answers_as_the_signed_link(client, cfa, django_capture_on_commit_callbacks):
    organisation = cfa["organisation"]
    training = TrainingFactory(organisation=organisation)
    requests = [ask(training, email=f"jeune{n}@example.org", last_name=f"Jeune{n:02d}") for n in range(21)]
    other = ask(TrainingFactory(), email="ailleurs@example.org", last_name="Ailleurs")
    _login(client, cfa["member"])
    url = f"/espace/organismes/{organisation.pk}/rendez-vous/"
    first = _text(client.get(url))
    assert first.count(">Répondre à ") == 20 and "Ailleurs" not in first and "Page suivante" in first
    assert "Jeune00" in first  # the oldest waiting first
    assert "Jeune20" in _text(client.get(url + "?page=2"))
    assert client.get(f"{url}{other.public_id}/").status_code == 404

    target = requests[0]
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(
            f"{url}{target.public_id}/", {"action": "refuser", "refuser-reason": "complet", "refuser-message": ""}
        )
    assert answered.status_code == 302 and answered["Location"].endswith("?fait=1")
    target.refresh_from_db()
    assert target.status == "refusee" and target.decline_reason == "complet"
    assert any(m.to == [target.email] for m in mail.outbox)
    refused = _text(client.get(url + "?statut=refusee"))
    assert "Jeune00" in refused and "Jeune01" not in refused
    past = client.post(
        f"{url}{requests[1].public_id}/",
        {"action": "proposer_date", "proposer_date-day": "2020-01-06", "proposer_date-hour": "10:00"},
    )
    assert past.status_code == 200 and "doit être dans le futur" in _text(past)  # the signed link's message
    day = timezone.localdate() + dt.timedelta(days=7)
    proposed = client.post(
        f"{url}{requests[1].public_id}/",
        {"action": "proposer_date", "proposer_date-day": day.isoformat(), "proposer_date-hour": "10:00"},
    )
    assert proposed.status_code == 302
    assert AppointmentRequest.objects.get(pk=requests[1].pk).status == "date_proposee"


def test_an_admin_creates_a_key_shown_once_and_revokes_it(client, cfa):
    organisation = cfa["organisation"]
    _login(client, cfa["admin"])
    url = f"/espace/organismes/{organisation.pk}/cles/"
    empty = client.post(url, {"name": " "})
    assert empty.status_code == 400 and "Donnez un nom à la clé" in _text(empty)
    created = client.post(url, {"name": "Logiciel Ypareo"})
    html = _text(created)
    secret = re.search(r'id="secret" type="text" readonly value="([^"]+)"', html).group(1)
    assert created.status_code == 200 and "no-store" in created["Cache-Control"]
    key = ApiKey.objects.get(organisation=organisation)
    assert key.scopes == ["enrolments"] and key.name == "Logiciel Ypareo" and secret not in str(key.__dict__)
    assert secret not in _text(client.get(url))  # never shown again
    api = client.get("/api/v1/enrolments", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200
    listed = _text(client.get(url))
    assert "Logiciel Ypareo" in listed and "Active" in listed

    revoked = client.post(f"{url}{key.pk}/revoquer/")
    assert revoked.status_code == 302
    refused = client.get("/api/v1/enrolments", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
    assert "Révoquée le" in _text(client.get(url))


def test_only_admins_create_or_revoke_keys(client, cfa):
    organisation = cfa["organisation"]
    key, _ = ApiKey.issue("logiciel", ["enrolments"], organisation=organisation)
    _login(client, cfa["member"])
    url = f"/espace/organismes/{organisation.pk}/cles/"
    page = _text(client.get(url))
    assert "logiciel" in page and 'id="formulaire-cle"' not in page
    refused = client.post(url, {"name": "le mien"})
    assert refused.status_code == 403 and "Seul un administrateur" in _text(refused)
    assert client.post(f"{url}{key.pk}/revoquer/").status_code == 403
    other = OrganisationFactory()
    stranger = accounts.join_organisation(User.objects.create_user("zoe", "zoe@example.org", "x"), other.uai).user
    _login(client, stranger)
    assert client.post(f"{url}{key.pk}/revoquer/").status_code == 404
    assert client.post(f"/espace/organismes/{other.pk}/cles/{key.pk}/revoquer/").status_code == 404
    key.refresh_from_db()
    assert key.is_active and ApiKey.objects.filter(organisation=organisation).count() == 1
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_an_unchanged_address_is_not_checked_again(client, cfa):
    """A CEDEX postcode from the official file does not block a change of the phone number."""
    organisation = cfa["organisation"]
    Organisation.objects.filter(pk=organisation.pk).update(postcode="69361", address="BP 12", commune=None)
    _login(client, cfa["member"])
    url = f"/espace/organismes/{organisation.pk}/fiche/"
    form = {"action": "contact", "contact_email": organisation.contact_email, "phone": "0478123456", "website": "",
            "address": "BP 12", "postcode": "69361", "commune": "Lyon"}  # fmt: skip
    assert client.post(url, form).status_code == 302
    organisation.refresh_from_db()
    assert organisation.phone == "04 78 12 34 56" and organisation.postcode == "69361"
    assert not organisation.facts.filter(field__in=["address", "postcode", "commune"]).exists()


def test_the_inbox_holds_the_requests_of_the_courses_it_teaches_for_another_cfa(
    client, cfa, django_capture_on_commit_callbacks
):
    """A course whose responsible CFA is another one, taught by this organisation (organisme formateur): it
    answers as itself (the candidate replies to it, the request counts in its reply rate)."""
    organisation = cfa["organisation"]
    taught = ask(TrainingFactory(trainer=organisation), email="formee@example.org", last_name="Formée")
    ask(TrainingFactory(), email="ailleurs@example.org", last_name="Ailleurs")
    _login(client, cfa["member"])
    url = f"/espace/organismes/{organisation.pk}/rendez-vous/"
    inbox = _text(client.get(url))
    assert "Formée" in inbox and "Ailleurs" not in inbox
    assert "1 demande" in _text(client.get(f"/espace/organismes/{organisation.pk}/"))
    assert client.get(f"{url}{taught.public_id}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(f"{url}{taught.public_id}/", {"action": "rappeler", "rappeler-message": ""})
    assert answered.status_code == 302
    taught.refresh_from_db()
    assert taught.answered_by == organisation and taught.organisation != organisation
    [answer] = [m for m in mail.outbox if m.to == ["formee@example.org"] and "répondu" in m.body]
    assert answer.reply_to == ["contact@cfa-lilas.example.org"] and "CFA des Lilas a répondu" in answer.body
    follow = _text(client.get(f"/mes-candidatures/{tokens.follow_token(taught.email_digest)}/"))
    assert "Réponse de CFA des Lilas, qui donne la formation." in follow

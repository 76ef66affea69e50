"""Accounts (django-allauth): sign-up with a verified e-mail, sign-in, lockout, password reset, the personal
space (memberships, members to accept, the candidate's applications), French DSFR pages."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail

from alternance.accounts import services
from alternance.accounts.models import Membership
from tests.factories import CompanyFactory
from tests.job_applications.helpers import apply, ask

pytestmark = pytest.mark.django_db

PASSWORD = "Fournil-Croissant-2026"


def link_in(message) -> str:
    return re.search(r"https?://[^\s]+", message.body).group(0)


def verified_user(email: str, staff: bool = False) -> User:
    person = User.objects.create_user(email.split("@")[0], email, PASSWORD, is_staff=staff)
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    return person


def test_sign_up_sends_a_french_confirmation_then_the_link_signs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/comptes/signup/", {"email": "paul@example.org", "password1": PASSWORD, "password2": PASSWORD}
        )
    assert response.status_code == 302 and response["Location"] == "/comptes/confirm-email/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["paul@example.org"] and message.subject == "Confirmez votre adresse électronique"
    assert "Pour confirmer que c'est bien vous" in message.body
    # mandatory verification: no sign-in before the link is opened
    refused = client.post("/comptes/login/", {"login": "paul@example.org", "password": PASSWORD})
    assert refused.status_code == 302 and refused["Location"] == "/comptes/confirm-email/"
    assert "_auth_user_id" not in client.session
    path = link_in(message).split("testserver", 1)[-1]
    page = client.get(path)
    assert page.status_code == 200 and "Confirmer mon adresse" in page.content.decode()
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="paul@example.org").verified
    assert client.get("/espace/").status_code == 200


def test_sign_in_page_is_french_dsfr_without_inline_code(client):
    response = client.get("/comptes/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Se connecter</h1>" in html and 'class="fr-input' in html and 'for="id_login"' in html
    assert 'style="' not in html and "<script>" not in html and " onclick=" not in html
    assert "ProConnect" not in html  # off by default


def test_proconnect_button_when_configured(client, settings):
    settings.PROCONNECT_CLIENT_ID, settings.PROCONNECT_CLIENT_SECRET = "id", "secret"
    html = client.get("/comptes/login/").content.decode()
    assert "ProConnect" in html and "/comptes/oidc/proconnect/login/" in html


def test_wrong_passwords_lock_the_sign_in_out(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_failures": (3, 900)}
    settings.ACCOUNT_RATE_LIMITS = False  # our lockout alone here
    verified_user("rita@example.org")
    for _ in range(3):
        assert client.post("/comptes/login/", {"login": "rita@example.org", "password": "faux"}).status_code == 200
    locked = client.post("/comptes/login/", {"login": "rita@example.org", "password": PASSWORD})
    assert locked.status_code == 429 and "Mot de passe oublié" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_signs_in(client):
    verified_user("sam@example.org")
    response = client.post("/comptes/login/", {"login": "sam@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/espace/"


def test_password_reset_by_e_mail(client, django_capture_on_commit_callbacks):
    verified_user("tom@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/comptes/password/reset/", {"email": "tom@example.org"})
    assert response.status_code == 302
    assert mail.outbox[-1].subject == "Choisissez un nouveau mot de passe"
    path = link_in(mail.outbox[-1]).split("testserver", 1)[-1]
    form = client.get(path, follow=True)
    assert "Choisir un nouveau mot de passe" in form.content.decode()
    new = "Pain-Au-Levain-2027"
    done = client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302
    assert User.objects.get(email="tom@example.org").check_password(new)


def test_e_mails_also_go_to_the_local_mailbox(client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MAILERS = {"default": {"BACKEND": "alternance.core.mailbox.MailboxBackend"}}
    settings.MAILBOX_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/comptes/signup/", {"email": "ugo@example.org", "password1": PASSWORD, "password2": PASSWORD})
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1 and "ugo@example.org" in files[0].read_text()


def test_private_space_needs_a_sign_in(client):
    response = client.get("/espace/")
    assert response.status_code == 302 and response["Location"] == "/comptes/login/?next=/espace/"


def test_candidate_sees_applications_made_with_a_verified_address(client, ja_offer):
    apply(offer=ja_offer, email="ines.martin@example.org", answers=["Oui."])
    apply(offer=ja_offer, email="quelqu.un@example.org", answers=["Non."])
    person = verified_user("ines.martin@example.org")
    EmailAddress.objects.create(user=person, email="autre@example.org", verified=False)
    client.force_login(person)
    html = client.get("/espace/").content.decode()
    assert ja_offer.title in html and "Envoyées avec ines.martin@example.org" in html
    assert "quelqu.un@example.org" not in html


def test_candidate_sees_appointment_requests_made_with_a_verified_address(client, ja_training):
    """The follow-up page lists applications and appointment requests: the space lists both too."""
    ask(ja_training, email="ines.martin@example.org")
    ask(ja_training, email="quelqu.un@example.org", last_name="Autre")
    client.force_login(verified_user("ines.martin@example.org"))
    html = client.get("/espace/").content.decode()
    assert "Demandes de rendez-vous aux CFA" in html and ja_training.title in html
    assert html.count(ja_training.title) == 1 and "Envoyée, en attente de réponse" in html


def test_join_company_page_then_an_admin_accepts(client):
    company = CompanyFactory()
    admin = verified_user("vic@example.org")
    client.force_login(admin)
    response = client.post("/espace/entreprise/rejoindre/", {"siret": company.siret})
    assert response.status_code == 302
    newcomer = verified_user("wes@example.org")
    pending = services.join_company(newcomer, company.siret)
    html = client.get("/espace/").content.decode()
    assert "wes@example.org" in html and "Accepter wes@example.org" in html
    assert client.post(f"/espace/membres/{pending.pk}/accepter/").status_code == 302
    assert Membership.objects.get(pk=pending.pk).status == "active"


def test_members_of_another_company_get_404(client):
    mine = services.join_company(verified_user("xan@example.org"), CompanyFactory().siret)
    theirs = services.join_company(verified_user("yul@example.org"), CompanyFactory().siret)
    pending = services.join_company(verified_user("zoe@example.org"), theirs.company.siret)
    client.force_login(mine.user)
    assert client.post(f"/espace/membres/{pending.pk}/accepter/").status_code == 404
    assert client.post(f"/espace/membres/{pending.pk}/retirer/").status_code == 404
    assert Membership.objects.get(pk=pending.pk).status == "pending"


def test_join_company_errors_name_the_field(client):
    client.force_login(verified_user("abe@example.org"))
    response = client.post("/espace/entreprise/rejoindre/", {"siret": "12345678901234"})
    html = response.content.decode()
    assert response.status_code == 400 and "clé de contrôle du SIRET est fausse" in html


def test_inbox_lists_the_company_applications_waiting_first_and_answers_by_the_signed_page(client, ja_offer):
    from alternance.job_applications import rules as ja_rules
    from alternance.job_applications import services as ja_services

    older = apply(offer=ja_offer, email="a@example.org", answers=["Oui."])
    spontaneous = apply(company=ja_offer.company, email="b@example.org", first_name="Basile")
    ja_services.answer_application(older, "refuser", reason=next(iter(ja_rules.REFUSAL_REASONS)))
    recruiter = services.join_company(verified_user("rec@example.org"), ja_offer.company.siret)
    client.force_login(recruiter.user)
    url = f"/espace/entreprises/{ja_offer.company.siret}/candidatures/"
    html = client.get(url).content.decode()
    table = html.split("<tbody>")[1]
    assert table.index("Basile") < table.index("Refusée")  # the waiting one first
    assert f"/candidatures/{spontaneous.public_id}/repondre/" in html
    filtered = client.get(url, {"offre": "spontanee"}).content.decode()
    assert "Basile" in filtered and ja_offer.title not in filtered.split("<tbody>")[1]
    assert "Basile" not in client.get(url, {"statut": "refusee"}).content.decode()


def test_inbox_of_another_company_is_404_and_anonymous_must_sign_in(client, ja_offer):
    other = services.join_company(verified_user("oth@example.org"), CompanyFactory().siret)
    url = f"/espace/entreprises/{ja_offer.company.siret}/candidatures/"
    assert client.get(url).status_code == 302
    client.force_login(other.user)
    assert client.get(url).status_code == 404
    pending = verified_user("pen@example.org")
    services.join_company(verified_user("adm@example.org"), ja_offer.company.siret)
    services.join_company(pending, ja_offer.company.siret)
    client.force_login(pending)
    assert client.get(url).status_code == 404
    client.force_login(verified_user("staff@example.org", staff=True))
    assert client.get(url).status_code == 200


def test_members_write_the_public_profile_shown_on_the_company_page(client):
    company = CompanyFactory()
    member = services.join_company(verified_user("pro@example.org"), company.siret)
    client.force_login(member.user)
    url = f"/espace/entreprises/{company.siret}/fiche/"
    bad = client.post(url, {"contact_email": "pas-une-adresse", "website": "exemple"})
    assert bad.status_code == 400 and "vérifiez le format nom@domaine.fr" in bad.content.decode()
    data = {
        "contact_email": "recrutement@example.org",
        "description": "Fournil de quartier, levain naturel.",
        "website": "https://www.example.org",
        "accessible_disability": "on",
    }
    assert client.post(url, data).status_code == 302
    company.refresh_from_db()
    assert (company.contact_email, company.accessible_disability) == ("recrutement@example.org", True)
    page = client.get(f"/entreprises/{company.siret}/").content.decode()
    assert "Fournil de quartier, levain naturel." in page and "https://www.example.org" in page

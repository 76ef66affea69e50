"""Pages of applications and appointments: forms without JavaScript, signed links, CV download, limits."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signing import TimestampSigner
from lxml import html as lxml_html

from alternance.job_applications import rules, tokens
from alternance.job_applications.models import Application, AppointmentRequest
from tests.factories import CompanyFactory, OfferFactory
from tests.job_applications.aliases import company_alias, offer_alias, training_alias  # noqa: F401 (fixtures)
from tests.job_applications.files import EXECUTABLE, PNG, docx_bytes, oversized_pdf, pdf_bytes
from tests.job_applications.helpers import apply, ask

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "first_name": "Inès",
        "last_name": "Martin",
        "email": "ines.martin@example.org",
        "phone": "06 12 34 56 78",
        "message": "Bonjour",
        "answer_1": "Oui.",
    }
    data.update(overrides)
    return data


def post_application(client, url, cv_name="cv.pdf", cv=None, **overrides):
    data = form_data(**overrides)
    data["cv"] = SimpleUploadedFile(cv_name, pdf_bytes() if cv is None else cv, content_type="application/pdf")
    return client.post(url, data)


def test_apply_form_shows_the_questions_and_needs_no_javascript(client, offer):
    response = client.get(f"/offres/{offer.pk}/postuler/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html and "Avez-vous le permis B ?" in html
    assert "<script>" not in html.split("</main>")[0] and 'style="' not in html


def test_apply_then_confirmation_says_when_the_recruiter_is_reminded(client, offer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_application(client, f"/offres/{offer.pk}/postuler/")
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/candidatures/{application.public_id}/envoyee/"
    page = client.get(response["Location"]).content.decode()
    assert "Votre candidature est envoyée" in page
    assert "nous lui enverrons un rappel" in page
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("cv.pdf", EXECUTABLE, "PDF ou Word"),
        ("photo.pdf", PNG, "PDF ou Word"),
        ("cv.pdf", oversized_pdf(), "3,1 Mo"),
    ],
    ids=["renamed-executable", "image-renamed-pdf", "3.1-mb"],
)
def test_bad_cv_is_refused_with_a_french_message_naming_the_field(client, offer, name, content, message):
    response = post_application(client, f"/offres/{offer.pk}/postuler/", cv_name=name, cv=content)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'href="#id_cv"' in html
    assert not Application.objects.exists()


def test_a_docx_with_a_pdf_name_is_accepted_by_its_content(client, offer):
    response = post_application(client, f"/offres/{offer.pk}/postuler/", cv_name="cv.pdf", cv=docx_bytes())
    assert response.status_code == 302
    assert Application.objects.get().cv_kind == "docx"


def test_duplicate_application_is_answered_409_with_a_french_message(client, offer):
    post_application(client, f"/offres/{offer.pk}/postuler/")
    response = post_application(client, f"/offres/{offer.pk}/postuler/")
    assert response.status_code == 409
    assert "déjà envoyé une candidature à cette offre" in response.content.decode()


def test_full_offer_page_says_complete_and_shows_no_form(client, offer):
    offer.applications_count = rules.MAX_PER_OFFER
    offer.save()
    html = client.get(f"/offres/{offer.pk}/postuler/").content.decode()
    assert "Offre complète" in html and "formulaire-candidature" not in html


def test_per_address_rate_limit_on_the_form(client, company, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "forms": (2, 600)}
    url = f"/entreprises/{company.siret}/candidature/"
    codes = [post_application(client, url, email=f"p{i}@example.org").status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert "Trop de demandes" in post_application(client, url, email="p9@example.org").content.decode()


def test_spontaneous_application_page_never_calls_the_company_an_offer(client, company):
    html = client.get(f"/entreprises/{company.siret}/candidature/").content.decode()
    assert "Candidature spontanée" in html and "n'a pas publié d'offre" in html
    assert client.get("/entreprises/00000000000000/candidature/").status_code == 404


def test_forms_of_a_draft_offer_or_an_unpublished_training_are_404(client, company):
    """What has no public page has no form either: the title of a draft or rejected course never shows."""
    from alternance.offers.workflow import OfferStatus
    from alternance.trainings.models import Training
    from tests.factories import TrainingFactory

    draft = OfferFactory(company=company, status=OfferStatus.DRAFT, title="Offre encore en brouillon")
    response = client.get(f"/offres/{draft.pk}/postuler/")
    assert response.status_code == 404 and "Offre encore en brouillon" not in response.content.decode()
    assert post_application(client, f"/offres/{draft.pk}/postuler/").status_code == 404
    rejected = TrainingFactory(status=Training.Status.REJECTED, title="Formation refusée au catalogue")
    response = client.get(f"/formations/{rejected.pk}/rendez-vous/")
    assert response.status_code == 404 and "Formation refusée au catalogue" not in response.content.decode()
    assert not Application.objects.exists()


def test_the_form_of_a_closed_course_says_so_and_shows_the_way_on(client, training):
    """An old link to « Demander un rendez-vous » of a course closed after publication: a French page that says
    the course is closed (200, like a filled offer's form), with its page and the same search nearby; a
    closed course never published stays a 404."""
    from alternance.trainings.models import Training
    from alternance.trainings.rules import ABSENT_FROM_FEED
    from alternance.trainings.status import change_status
    from tests.factories import TrainingFactory

    change_status(training, Training.Status.CLOSED, rule=ABSENT_FROM_FEED)
    url = f"/formations/{training.pk}/rendez-vous/"
    response = client.get(url)
    html = response.content.decode().replace("&#x27;", "'")
    doc = lxml_html.fromstring(html)
    assert response.status_code == 200 and "formulaire-rendez-vous" not in html
    assert "Formation fermée" in doc.xpath("string(//h1)")
    assert "ne prend plus de demandes de rendez-vous" in doc.xpath('string(//*[@id="formation-fermee"])')
    links = doc.xpath('//*[@id="formation-fermee"]//a/@href')
    assert f"/formations/{training.pk}/" in links
    [search] = [link for link in links if link.startswith("/recherche/")]
    assert "rome=D1102" in search and f"insee={training.commune.insee}" in search and "type=training" in search
    assert client.post(url, form_data(reasons=["inscription"])).status_code == 200
    assert not AppointmentRequest.objects.exists()
    never = TrainingFactory(status=Training.Status.CLOSED, title="Formation jamais publiée")
    response = client.get(f"/formations/{never.pk}/rendez-vous/")
    assert response.status_code == 404 and "Formation jamais publiée" not in response.content.decode()


def test_unreachable_company_shows_why_and_no_form(client):
    company = CompanyFactory(contact_email="")
    html = client.get(f"/entreprises/{company.siret}/candidature/").content.decode()
    assert "adresse de contact sur la plateforme" in html and "formulaire-candidature" not in html


# ---------------------------------------------------------------------------------------------- recruiter
def answer_path(application) -> str:
    token = tokens.object_token(tokens.ANSWER_APPLICATION, application.public_id)
    return f"/candidatures/{application.public_id}/repondre/{token}/"


def test_recruiter_answers_from_the_signed_link_and_the_candidate_sees_it(
    client, offer, django_capture_on_commit_callbacks
):
    application = apply(offer, answers=["Oui."])
    url = answer_path(application)
    page = client.get(url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Inès Martin" in page.content.decode() and "Oui." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "refuser", "refuser-reason": "distance", "refuser-message": "Courage !"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "refusee" and application.refusal_reason == "distance"
    assert "Le lieu de travail est trop loin" in mail.outbox[-1].body
    follow = f"/mes-candidatures/{tokens.follow_token(application.email_digest)}/"
    html = client.get(follow).content.decode()
    assert "Refusée" in html and "Courage !" in html and "Le lieu de travail est trop loin" in html


def test_interview_without_message_is_refused_with_the_field_named(client, offer):
    application = apply(offer, answers=["Oui."])
    response = client.post(answer_path(application), {"action": "proposer_entretien", "proposer_entretien-message": ""})
    assert response.status_code == 200 and "Saisissez « Votre message au candidat »" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "nouvelle"


def test_tampered_expired_and_other_applications_links_are_refused(client, offer, monkeypatch):
    first = apply(offer, answers=["Oui."])
    second = apply(offer, answers=["Oui."], email="autre@example.org")
    good = answer_path(first)
    assert client.get(good).status_code == 200
    tampered = good[:-3] + ("x" if good[-3] != "x" else "y") + good[-2:]
    assert client.get(tampered).status_code == 403
    other_token = tokens.object_token(tokens.ANSWER_APPLICATION, second.public_id)
    assert client.get(f"/candidatures/{first.public_id}/repondre/{other_token}/").status_code == 403
    cv_token = tokens.object_token(tokens.CV, first.public_id)  # a CV token does not answer
    assert client.get(f"/candidatures/{first.public_id}/repondre/{cv_token}/").status_code == 403
    monkeypatch.setitem(tokens.MAX_AGES, tokens.ANSWER_APPLICATION, -1)
    expired = client.get(good)
    assert expired.status_code == 410 and "Ce lien a expiré" in expired.content.decode()


def test_cv_is_served_only_through_its_signed_link(client, offer, monkeypatch):
    application = apply(offer, answers=["Oui."])
    token = tokens.object_token(tokens.CV, application.public_id)
    response = client.get(f"/candidatures/{application.public_id}/cv/{token}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    answer_token = tokens.object_token(tokens.ANSWER_APPLICATION, application.public_id)
    assert client.get(f"/candidatures/{application.public_id}/cv/{answer_token}/").status_code == 403
    forged = TimestampSigner(salt="autre").sign(application.public_id.hex)
    assert client.get(f"/candidatures/{application.public_id}/cv/{forged}/").status_code == 403
    monkeypatch.setitem(tokens.MAX_AGES, tokens.CV, -1)
    assert client.get(f"/candidatures/{application.public_id}/cv/{token}/").status_code == 410


def test_cv_files_are_not_under_static_or_media(settings, offer):
    application = apply(offer, answers=["Oui."])
    path = application.cv.path
    assert not path.startswith(str(settings.STATIC_ROOT)) and "media" not in path.split("/")


# ---------------------------------------------------------------------------------------------- candidate
def test_follow_page_withdraw_and_delete_my_data(client, offer, private_storage, django_capture_on_commit_callbacks):
    application = apply(offer, answers=["Oui."])
    other = apply(offer, answers=["Oui."], email="autre@example.org")
    token = tokens.follow_token(application.email_digest)
    html = client.get(f"/mes-candidatures/{token}/").content.decode()
    assert offer.title in html and "Envoyée, en attente de réponse" in html
    assert str(other.public_id) not in html
    # Withdrawing someone else's application with my link: 404.
    assert client.post(f"/mes-candidatures/{token}/retirer/{other.public_id}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mes-candidatures/{token}/retirer/{application.public_id}/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "retiree"
    assert "Supprimer définitivement" in client.get(f"/mes-candidatures/{token}/supprimer/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.post(f"/mes-candidatures/{token}/supprimer/")
    assert "Vos données sont supprimées" in deleted.content.decode()
    assert list(Application.objects.all()) == [other]
    assert not any((private_storage / "cv").rglob(f"{application.public_id.hex}.*"))
    assert "Aucune candidature." in client.get(f"/mes-candidatures/{token}/").content.decode()


def test_follow_link_holds_neither_the_id_nor_the_address(offer):
    application = apply(offer, answers=["Oui."])
    token = tokens.follow_token(application.email_digest)
    value = token.split(":")[0]
    assert "ines.martin" not in token.lower() and "example" not in token.lower()
    assert value == application.email_digest and len(value) == 64  # a keyed digest, not the row's id


def test_bad_follow_link(client):
    assert client.get("/mes-candidatures/abc:def:ghi/").status_code == 403


# ---------------------------------------------------------------------------------------------- appointments
def test_appointment_form_and_cfa_answer(client, training, django_capture_on_commit_callbacks):
    url = f"/formations/{training.pk}/rendez-vous/"
    assert "Sur quoi portent vos questions" in client.get(url).content.decode()
    data = form_data(reasons=["inscription", "entreprise"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    request = AppointmentRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rendez-vous/{request.public_id}/envoyee/"
    assert "Le CFA reçoit votre demande par courriel" in client.get(response["Location"]).content.decode()
    cfa_mail = next(m for m in mail.outbox if m.to == ["contact-cfa@example.org"])
    path = re.search(r"http://[^/]+(/rendez-vous/\S+/repondre/\S+/)", cfa_mail.body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(path, {"action": "rappeler", "rappeler-message": "Je vous appelle lundi."})
    assert answered.status_code == 302
    request.refresh_from_db()
    assert request.status == "rappel"
    follow = client.get(f"/mes-candidatures/{tokens.follow_token(request.email_digest)}/").content.decode()
    assert "Le CFA va vous rappeler" in follow and "Je vous appelle lundi." in follow


def test_appointment_without_reason_names_the_field(client, training):
    response = client.post(f"/formations/{training.pk}/rendez-vous/", form_data())
    assert "Cochez au moins un sujet" in response.content.decode()


def test_cfa_without_address_is_said_on_the_form(client, training):
    training.organisation.contact_email = ""
    training.organisation.save()
    html = client.get(f"/formations/{training.pk}/rendez-vous/").content.decode()
    assert "ne peut pas encore être joint par courriel" in html


def test_appointment_link_of_another_request_is_refused(client, training):
    first = ask(training)
    second = ask(training, email="autre@example.org")
    token = tokens.object_token(tokens.ANSWER_APPOINTMENT, second.public_id)
    assert client.get(f"/rendez-vous/{first.public_id}/repondre/{token}/").status_code == 403


# ---------------------------------------------------------------------------------------------- figures, mailbox
def test_statistics_page_shows_platform_figures_without_personal_data(client, offer):
    apply(offer, answers=["Oui."])
    html = client.get("/statistiques/").content.decode()
    assert "Taux de réponse" in html and "Inès" not in html and "example.org" not in html


def test_mailbox_page_only_for_local_trial_or_staff(client, settings, tmp_path):
    settings.DEBUG = False
    settings.ALTERNANCE_LOCAL_MAILBOX = False
    assert client.get("/courriels/").status_code == 404
    settings.ALTERNANCE_LOCAL_MAILBOX = True
    settings.MAILBOX_DIR = tmp_path / "mail"
    from django.core.mail import EmailMessage

    from alternance.core.mailbox import MailboxBackend

    MailboxBackend().send_messages(
        [EmailMessage("Objet de test", "Lien : http://127.0.0.1:8000/x/", to=["a@example.org"])]
    )
    html = client.get("/courriels/").content.decode()
    assert "Objet de test" in html
    name = re.search(r'href="/courriels/([^/"]+)/"', html).group(1)
    message = client.get(f"/courriels/{name}/").content.decode()
    assert '<a href="http://127.0.0.1:8000/x/"' in message
    assert client.get("/courriels/..%2Fsecret/").status_code == 404


def test_offer_factory_questions_default_to_none(db, company):
    assert OfferFactory(company=company).questions == []


def test_company_page_shows_its_reply_rate_and_median_delay(client, company):
    company.reply_rate, company.median_reply_days = 0.456, 2.6
    company.save()
    html = client.get(f"/entreprises/{company.siret}/").content.decode()
    assert "46\u00a0%" in html and "3 jours" in html


def test_detail_pages_link_to_the_application_pages(client, offer, training):
    assert f'href="/offres/{offer.pk}/postuler/"' in client.get(f"/offres/{offer.pk}/").content.decode()
    assert f"/formations/{training.pk}/rendez-vous/" in client.get(f"/formations/{training.pk}/").content.decode()


def test_cfa_proposes_a_date_from_its_link(client, training, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    request = ask(training)
    token = tokens.object_token(tokens.ANSWER_APPOINTMENT, request.public_id)
    url = f"/rendez-vous/{request.public_id}/repondre/{token}/"
    past = client.post(
        url, {"action": "proposer_date", "proposer_date-day": "2020-01-06", "proposer_date-hour": "14:30"}
    )
    assert "doit être dans le futur" in past.content.decode()
    day = timezone.localdate() + dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "proposer_date", "proposer_date-day": day.isoformat(), "proposer_date-hour": "14h30"}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "date_proposee"
    assert timezone.localtime(request.proposed_date).strftime("%H:%M") == "14:30"
    assert "à 14 h 30" in mail.outbox[-1].body


def test_training_page_says_when_the_cfa_cannot_be_reached_by_email(client, training):
    html = client.get(f"/formations/{training.pk}/").content.decode()
    assert 'id="cfa-injoignable"' not in html
    training.organisation.contact_email = ""
    training.organisation.reply_rate = None
    training.organisation.save()
    html = client.get(f"/formations/{training.pk}/").content.decode()
    assert 'id="cfa-injoignable"' in html and "ne peut pas encore être joint par courriel" in html

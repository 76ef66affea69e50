"""Services of applications and appointments: limits, transitions with history, e-mails after commit,
reminders, reply rates, deletion."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from alternance.job_applications import rules, services
from alternance.job_applications.models import Application, AppointmentRequest, EmailLog
from alternance.job_applications.services import RequestError
from alternance.job_applications.tokens import email_digest
from alternance.offers.models import Offer
from alternance.organisations.models import Organisation
from tests.factories import CompanyFactory, OfferFactory, OrganisationFactory

from .aliases import company_alias, offer_alias, training_alias  # noqa: F401 (fixtures)
from .files import EXECUTABLE, PNG, docx_bytes, oversized_pdf
from .helpers import apply, ask

pytestmark = pytest.mark.django_db


ANSWER = ["Oui, depuis un an."]


def test_apply_stores_the_application_its_cv_and_history(offer, private_storage):
    application = apply(offer, answers=ANSWER)
    assert application.status == "nouvelle" and application.company == offer.company
    assert application.answers == [{"question": "Avez-vous le permis B ?", "answer": "Oui, depuis un an."}]
    assert application.cv_kind == "pdf"
    path = private_storage / "cv" / application.cv.name
    assert path.is_file() and path.read_bytes().startswith(b"%PDF-")
    assert application.cv.name == f"{application.public_id.hex[:2]}/{application.public_id.hex}.pdf"
    assert [e.transition for e in application.events.all()] == ["envoyer"]
    offer.refresh_from_db()
    assert offer.applications_count == 1
    with pytest.raises(ValueError):
        application.cv.url  # noqa: B018 — no public address for a CV


def test_a_docx_cv_is_accepted(offer):
    assert apply(offer, answers=ANSWER, cv=docx_bytes()).cv_kind == "docx"


@pytest.mark.parametrize(
    "cv,code,status", [(EXECUTABLE, "bad_type", 415), (PNG, "bad_type", 415), (oversized_pdf(), "too_large", 413)]
)
def test_bad_cv_files_are_refused_and_nothing_is_stored(offer, private_storage, cv, code, status):
    with pytest.raises(RequestError) as error:
        apply(offer, answers=ANSWER, cv=cv)
    assert (error.value.code, error.value.status, error.value.field) == (code, status, "cv")
    assert not Application.objects.exists()
    assert not (private_storage / "cv").exists() or not any((private_storage / "cv").rglob("*.*"))


def test_answers_to_the_recruiter_questions_are_required(offer):
    with pytest.raises(RequestError) as error:
        apply(offer)
    assert error.value.field == "answer_1" and "permis B" in error.value.message


def test_one_application_per_email_per_offer(offer, private_storage):
    apply(offer, answers=ANSWER)
    with pytest.raises(RequestError) as error:
        apply(offer, answers=ANSWER, email="  INES.MARTIN@example.org ")
    assert (error.value.code, error.value.status) == ("duplicate", 409)
    assert Application.objects.count() == 1
    assert len(list((private_storage / "cv").rglob("*.pdf"))) == 1  # the refused CV is not kept


def test_one_spontaneous_application_per_email_per_company(company):
    apply(company=company)
    with pytest.raises(RequestError) as error:
        apply(company=company)
    assert error.value.status == 409
    # Applying to one of its offers is still possible.
    apply(OfferFactory(company=company))


def test_an_offer_takes_at_most_80_applications(offer):
    Offer.objects.filter(pk=offer.pk).update(applications_count=rules.MAX_PER_OFFER - 1)
    offer.refresh_from_db()
    apply(offer, answers=ANSWER)
    offer.refresh_from_db()
    with pytest.raises(RequestError) as error:
        apply(offer, answers=ANSWER, email="autre@example.org")
    assert (error.value.code, error.value.status) == ("full", 409)
    assert "complète" in error.value.message


def test_at_most_100_a_day_per_email(company, monkeypatch):
    monkeypatch.setattr(rules, "MAX_PER_DAY_PER_EMAIL", 3)
    now = timezone.now()
    for _ in range(3):
        apply(company=CompanyFactory(contact_email="r@example.org"), now=now)
    with pytest.raises(RequestError) as error:
        apply(company=company, now=now)
    assert (error.value.code, error.value.status) == ("daily_limit", 429)
    assert 0 < error.value.retry_after <= 86400
    # The next day it works again.
    assert apply(company=company, now=now + dt.timedelta(days=1, minutes=1)).pk


def test_a_closed_offer_or_an_unreachable_company_refuses(company):
    closed = OfferFactory(company=company, status="pourvue")
    with pytest.raises(RequestError) as error:
        apply(closed)
    assert (error.value.code, error.value.status) == ("closed", 409)
    with pytest.raises(RequestError) as error:
        apply(company=CompanyFactory(contact_email=""))
    assert error.value.code == "unreachable"


@pytest.mark.parametrize(
    "field,value",
    [("first_name", " "), ("last_name", ""), ("email", "pas-une-adresse"), ("message", "x" * 3001)],
)
def test_contact_fields_are_checked(company, field, value):
    with pytest.raises(RequestError) as error:
        apply(company=company, **{field: value})
    assert (error.value.field, error.value.status) == (field, 422)


# ---------------------------------------------------------------------------------------------- e-mails
def test_emails_are_sent_after_commit_with_the_cv(offer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application = apply(offer, answers=ANSWER)
        assert mail.outbox == []  # nothing before commit
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2
    recruiter, candidate = sorted(mail.outbox, key=lambda m: m.to[0] != "recrutement@example.org")
    assert recruiter.to == ["recrutement@example.org"] and recruiter.reply_to == ["ines.martin@example.org"]
    assert offer.title in recruiter.subject
    assert "Inès Martin" in recruiter.body and "permis B" in recruiter.body and "Oui, depuis un an." in recruiter.body
    assert f"/candidatures/{application.public_id}/repondre/" in recruiter.body
    [(name, content, mimetype)] = recruiter.attachments
    assert name == "CV-Martin-Inès.pdf" and content.startswith(b"%PDF-") and mimetype == "application/pdf"
    html = recruiter.alternatives[0][0]
    assert "Répondre à cette candidature" in html
    assert candidate.to == ["ines.martin@example.org"]
    assert "/mes-candidatures/" in candidate.body
    reminder = services.reminder_date(application.created_at)
    assert str(reminder.year) in candidate.body
    assert set(EmailLog.objects.values_list("status", flat=True)) == {"envoye"}


def test_no_email_when_the_transaction_rolls_back(offer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            apply(offer, answers=ANSWER)
            raise RuntimeError("échec après la candidature")
    assert callbacks == [] and mail.outbox == []
    assert not Application.objects.exists()


def test_a_failed_send_is_retried_then_abandoned_with_the_error_kept(
    offer, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.mail import EmailMultiAlternatives

    calls = []

    def broken(self, fail_silently=False):
        calls.append(self.to)
        raise ConnectionRefusedError("serveur de courriel injoignable")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        apply(offer, answers=ANSWER)
    logs = list(EmailLog.objects.all())
    assert len(logs) == 2
    for log in logs:
        assert log.status == "abandonne" and log.attempts == 4
        assert log.last_error == "ConnectionRefusedError: serveur de courriel injoignable"
    assert len(calls) == 8


def test_a_failed_send_succeeds_on_a_later_attempt(offer, django_capture_on_commit_callbacks, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send
    failures = {"left": 1}

    def flaky(self, fail_silently=False):
        if failures["left"]:
            failures["left"] -= 1
            raise TimeoutError("délai dépassé")
        return original(self, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        apply(offer, answers=ANSWER)
    statuses = sorted(EmailLog.objects.values_list("status", "attempts"))
    assert statuses == [("envoye", 1), ("envoye", 2)]
    assert len(mail.outbox) == 2


# ---------------------------------------------------------------------------------------------- answers
@pytest.mark.parametrize(
    "transition,kwargs,status,phrase",
    [
        ("proposer_entretien", {"message": "Venez mardi à 10 h."}, "entretien_propose", "Venez mardi à 10 h."),
        ("refuser", {"reason": "poste_pourvu", "message": ""}, "refusee", "Le poste est déjà pourvu"),
        ("embaucher", {}, "embauche", "Embauche"),
    ],
)
def test_recruiter_answers_reach_the_candidate(
    offer, django_capture_on_commit_callbacks, transition, kwargs, status, phrase
):
    application = apply(offer, answers=ANSWER)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answered = services.answer_application(application, transition, **kwargs)
    assert answered.status == status and answered.answered_at is not None
    assert [e.to_status for e in answered.events.all()] == ["nouvelle", status]
    [message] = mail.outbox
    assert message.to == ["ines.martin@example.org"] and phrase in message.body


def test_a_course_closed_after_publication_refuses_requests_with_a_conflict(training):
    """409 training_closed (its page and record stay and say it is closed); a course never published: 404."""
    from alternance.trainings.models import Training
    from alternance.trainings.rules import ABSENT_FROM_FEED
    from alternance.trainings.status import change_status
    from tests.factories import TrainingFactory

    change_status(training, Training.Status.CLOSED, rule=ABSENT_FROM_FEED)
    with pytest.raises(RequestError) as error:
        ask(training)
    assert (error.value.code, error.value.status, error.value.field) == ("training_closed", 409, "training_id")
    assert error.value.message.startswith("Cette formation est fermée")
    never = TrainingFactory(status=Training.Status.CLOSED)
    with pytest.raises(RequestError) as error:
        ask(never)
    assert (error.value.code, error.value.status) == ("not_found", 404)
    assert not AppointmentRequest.objects.exists()


@pytest.mark.parametrize(
    "transition,kwargs,field",
    [("proposer_entretien", {"message": " "}, "message"), ("refuser", {"reason": "inconnu"}, "reason")],
)
def test_answers_need_a_message_or_a_listed_reason(offer, transition, kwargs, field):
    application = apply(offer, answers=ANSWER)
    with pytest.raises(RequestError) as error:
        services.answer_application(application, transition, **kwargs)
    assert error.value.field == field
    application.refresh_from_db()
    assert application.status == "nouvelle"


def test_withdrawal_tells_the_recruiter_and_blocks_later_answers(offer, django_capture_on_commit_callbacks):
    from alternance.job_applications.workflow import InvalidTransition

    application = apply(offer, answers=ANSWER)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_application(application)
    [message] = mail.outbox
    assert message.to == ["recrutement@example.org"] and "retiré" in message.body
    with pytest.raises(InvalidTransition):
        services.answer_application(application, "embaucher")


# ---------------------------------------------------------------------------------------------- scheduled work
def test_reminder_after_7_days_only_once_and_notice_after_30(offer, django_capture_on_commit_callbacks):
    now = timezone.now()
    old = apply(offer, answers=ANSWER, now=now - dt.timedelta(days=8))
    fresh = apply(offer, answers=ANSWER, email="autre@example.org", now=now - dt.timedelta(days=2))
    answered = apply(offer, answers=ANSWER, email="trois@example.org", now=now - dt.timedelta(days=9))
    services.answer_application(answered, "embaucher", now=now - dt.timedelta(days=8))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.send_reminders(now=now)
    assert counts == {"recruiter_reminders": 1, "cfa_reminders": 0, "candidate_notices": 0}
    [reminder] = mail.outbox
    assert reminder.to == ["recrutement@example.org"] and "7 jours" in reminder.subject
    assert f"/candidatures/{old.public_id}/repondre/" in reminder.body
    with django_capture_on_commit_callbacks(execute=True):
        again = services.send_reminders(now=now + dt.timedelta(days=1))
    assert again["recruiter_reminders"] == 0 and len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        late = services.send_reminders(now=now + dt.timedelta(days=23))
    assert late == {"recruiter_reminders": 1, "cfa_reminders": 0, "candidate_notices": 1}  # fresh's reminder
    notice = mail.outbox[-1] if mail.outbox[-1].to == ["ines.martin@example.org"] else mail.outbox[-2]
    assert notice.to == ["ines.martin@example.org"] and "30 jours" in notice.subject
    assert "/recherche/?" in notice.body and "D1102" in notice.body
    fresh.refresh_from_db()
    assert fresh.reminded_at is not None


def test_reply_rate_and_median_delay_are_stored_on_the_company(company, django_capture_on_commit_callbacks):
    now = timezone.now()
    offers = [OfferFactory(company=company) for _ in range(4)]
    applications = [apply(o, now=now - dt.timedelta(days=20)) for o in offers]
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_application(applications[0], "embaucher", now=now - dt.timedelta(days=18))
        services.answer_application(applications[1], "refuser", reason="profil", now=now - dt.timedelta(days=16))
    services.refresh_reply_stats(company_ids=[company.pk], now=now)
    company.refresh_from_db()
    assert company.reply_rate == pytest.approx(0.5)
    assert company.median_reply_days == 3.0
    figures = services.platform_reply_stats(now=now)["applications"]
    assert (figures.considered, figures.answered) == (4, 2)


def test_purge_deletes_rows_and_cvs_two_years_after_last_activity(offer, training, private_storage):
    now = timezone.now()
    old = apply(offer, answers=ANSWER, now=now - dt.timedelta(days=800))
    kept = apply(offer, answers=ANSWER, email="recent@example.org", now=now - dt.timedelta(days=700))
    old_request = ask(training, now=now - dt.timedelta(days=731))
    old_path = private_storage / "cv" / old.cv.name
    assert old_path.is_file()
    from django.test.utils import CaptureQueriesContext  # noqa: F401 — purge runs file deletion on commit

    with transaction.atomic():
        counts = services.purge_expired(now=now)
    assert counts == {"applications": 1, "appointments": 1}
    assert not Application.objects.filter(pk=old.pk).exists() and Application.objects.filter(pk=kept.pk).exists()
    assert not AppointmentRequest.objects.filter(pk=old_request.pk).exists()
    assert not EmailLog.objects.filter(object_id=old.public_id).exists()


def test_purge_removes_the_cv_file_after_commit(offer, private_storage, django_capture_on_commit_callbacks):
    now = timezone.now()
    old = apply(offer, answers=ANSWER, now=now - dt.timedelta(days=800))
    path = private_storage / "cv" / old.cv.name
    with django_capture_on_commit_callbacks(execute=True):
        services.purge_expired(now=now)
    assert not path.exists()


def test_delete_my_data_removes_everything_of_this_address(
    offer, training, private_storage, django_capture_on_commit_callbacks
):
    other = apply(offer, answers=ANSWER, email="quelqu.un@example.org")
    mine = apply(offer, answers=ANSWER)
    ask(training)
    path = private_storage / "cv" / mine.cv.name
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.delete_candidate_data(email_digest("ines.martin@example.org"))
    assert counts == {"applications": 1, "appointments": 1}
    assert list(Application.objects.values_list("pk", flat=True)) == [other.pk]
    assert not path.exists() and (private_storage / "cv" / other.cv.name).exists()
    assert not EmailLog.objects.filter(to="ines.martin@example.org").exists()
    offer.refresh_from_db()
    assert offer.applications_count == 1


# ---------------------------------------------------------------------------------------------- appointments
def test_appointment_request_reaches_the_cfa_and_its_answer_the_candidate(training, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(training)
    assert request.emailed and request.organisation == training.organisation
    assert sorted(m.to[0] for m in mail.outbox) == ["contact-cfa@example.org", "ines.martin@example.org"]
    cfa = next(m for m in mail.outbox if m.to == ["contact-cfa@example.org"])
    assert "Les modalités d'inscription" in cfa.body and f"/rendez-vous/{request.public_id}/repondre/" in cfa.body
    mail.outbox.clear()
    when = timezone.now() + dt.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        answered = services.answer_appointment(request, "proposer_date", proposed_date=when, message="Salle 12.")
    assert answered.status == "date_proposee"
    [message] = mail.outbox
    assert "Rendez-vous proposé" in message.body and "Salle 12." in message.body
    training.organisation.refresh_from_db()
    assert [e.to_status for e in answered.events.all()] == ["nouvelle", "date_proposee"]


def test_a_cfa_without_address_gets_the_request_stored_not_emailed(training, django_capture_on_commit_callbacks):
    training.organisation.contact_email = ""
    training.organisation.save()
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(training)
    assert not request.emailed
    [receipt] = mail.outbox
    assert receipt.to == ["ines.martin@example.org"] and "pas encore d'adresse de contact" in receipt.body


def test_a_demonstration_course_of_a_cfa_without_address_is_answered_from_the_local_mailbox(
    training, django_capture_on_commit_callbacks, client
):
    """Issue 9: demonstration CFAs get a reserved-domain address, so that the loop can be tried locally; the
    register's record keeps no invented address."""
    organisation = training.organisation
    organisation.contact_email = ""
    organisation.save()
    training.is_demo = True
    training.save()
    assert "cfa-injoignable" not in client.get(f"/formations/{training.pk}/").content.decode()
    assert "cfa-injoignable" not in client.get(f"/formations/{training.pk}/rendez-vous/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(training)
    assert request.emailed
    address = f"cfa-{organisation.pk}@example.org"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([address, "ines.martin@example.org"])
    [to_cfa] = [m for m in mail.outbox if m.to == [address]]
    assert f"/rendez-vous/{request.public_id}/repondre/" in to_cfa.body
    organisation.refresh_from_db()
    assert organisation.contact_email == ""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.send_reminders(now=timezone.now() + rules.REMINDER_AFTER + dt.timedelta(hours=1))
    assert counts["cfa_reminders"] == 1 and [m.to for m in mail.outbox] == [[address]]


@pytest.mark.parametrize(
    "overrides,field",
    [({"reasons": []}, "reasons"), ({"reasons": ["inconnu"]}, "reasons"), ({"email": "x"}, "email")],
)
def test_appointment_fields_are_checked(training, overrides, field):
    with pytest.raises(RequestError) as error:
        ask(training, **overrides)
    assert error.value.field == field


def test_one_open_appointment_request_per_training(training):
    ask(training)
    with pytest.raises(RequestError) as error:
        ask(training)
    assert error.value.status == 409


@pytest.mark.parametrize(
    "transition,kwargs,field",
    [
        ("proposer_date", {}, "proposed_date"),
        ("proposer_date", {"proposed_date": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)}, "proposed_date"),
        ("refuser", {"reason": ""}, "reason"),
    ],
)
def test_cfa_answers_are_checked(training, transition, kwargs, field):
    request = ask(training)
    with pytest.raises(RequestError) as error:
        services.answer_appointment(request, transition, **kwargs)
    assert error.value.field == field


def test_cfa_reply_rate_is_stored_on_the_organisation(training):
    now = timezone.now()
    requests = [ask(training, email=f"p{i}@example.org", now=now - dt.timedelta(days=10)) for i in range(3)]
    services.answer_appointment(requests[0], "rappeler", now=now - dt.timedelta(days=9))
    services.refresh_reply_stats(organisation_ids=[training.organisation_id], now=now)
    training.organisation.refresh_from_db()
    assert training.organisation.reply_rate == pytest.approx(1 / 3)
    assert training.organisation.median_reply_days == 1.0


def _taught_by_an_antenna(training, count: int):
    """The course taught by another organisation than its responsible CFA (organisme formateur) and `count`
    requests asked 10 days before now: (trainer, now, requests)."""
    trainer = OrganisationFactory(name="Antenne de Villeurbanne", contact_email="antenne@example.org")
    training.trainer = trainer
    training.save()
    now = timezone.now()
    asked = now - dt.timedelta(days=10)
    return trainer, now, [ask(training, email=f"p{i}@example.org", now=asked) for i in range(count)]


def test_the_trainer_cfas_answers_count_for_it_and_the_candidate_replies_to_it(
    training, django_capture_on_commit_callbacks
):
    """A course taught by another organisation (organisme formateur), which answers from its space: the
    candidate's reply goes to the organisation that answered, and the request counts in its reply rate, not
    in the responsible CFA's; a request nobody answered counts for both (the CFA got the e-mail, the trainer
    has it in its inbox)."""
    trainer, now, requests = _taught_by_an_antenna(training, 4)
    asked, responsible = now - dt.timedelta(days=10), training.organisation
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for request in requests[:3]:
            services.answer_appointment(request, "rappeler", by=trainer, now=asked + dt.timedelta(days=2))
    answer = mail.outbox[-1]
    assert answer.reply_to == ["antenne@example.org"] and "Antenne de Villeurbanne a répondu" in answer.body
    assert AppointmentRequest.objects.get(pk=requests[0].pk).answered_by == trainer
    services.refresh_reply_stats(organisation_ids=[trainer.pk, responsible.pk], now=now)
    trainer.refresh_from_db()
    responsible.refresh_from_db()
    assert (trainer.reply_rate, trainer.median_reply_days) == (0.75, 2.0)
    assert responsible.reply_rate is None  # one request left, unanswered: too few to mean anything
    services.answer_appointment(requests[3], "refuser", reason=next(iter(rules.APPOINTMENT_DECLINE_REASONS)))
    assert AppointmentRequest.objects.get(pk=requests[3].pk).answered_by == responsible  # the signed link's CFA


def test_a_trainer_s_reply_rate_counts_the_requests_it_left_unanswered(training):
    """Both organisations receive a request for a course taught for another CFA: the CFA asked (the e-mail) and
    the trainer (its space's inbox). Each one's rate is over the requests it received, less those the other
    answered; those it answered count for it. Only the requests it answered counted for the trainer before
    (its rate was 100 % whatever it left unanswered)."""
    trainer, now, requests = _taught_by_an_antenna(training, 6)
    asked, responsible = now - dt.timedelta(days=10), training.organisation
    for request in requests[:3]:
        services.answer_appointment(request, "rappeler", by=trainer, now=asked + dt.timedelta(days=2))
    services.answer_appointment(requests[3], "rappeler", now=asked + dt.timedelta(days=1))  # the CFA's link
    ask(training, email="recente@example.org", now=now - dt.timedelta(days=1))  # too fresh to count
    for ids in ([trainer.pk, responsible.pk], None):
        Organisation.objects.update(reply_rate=None, median_reply_days=None)
        services.refresh_reply_stats(organisation_ids=ids, now=now)
        trainer.refresh_from_db()
        responsible.refresh_from_db()
        assert (trainer.reply_rate, trainer.median_reply_days) == (pytest.approx(3 / 5), 2.0), ids
        assert (responsible.reply_rate, responsible.median_reply_days) == (pytest.approx(1 / 3), 1.0), ids


def test_an_answer_refreshes_the_rates_of_both_receivers(training, django_capture_on_commit_callbacks):
    """When the CFA asked answers, the request leaves the trainer's rate: the trainer's rate is refreshed too."""
    trainer = OrganisationFactory(name="Antenne de Villeurbanne")
    training.trainer = training.organisation
    training.save()
    asked = timezone.now() - dt.timedelta(days=10)
    requests = [ask(training, email=f"p{i}@example.org", now=asked) for i in range(4)]
    training.trainer = trainer  # the course is now taught by the antenna: its inbox holds the 4 requests
    training.save()
    services.refresh_reply_stats()
    trainer.refresh_from_db()
    assert trainer.reply_rate == 0.0
    with django_capture_on_commit_callbacks(execute=True):
        for request in requests[:3]:
            services.answer_appointment(request, "rappeler")
    trainer.refresh_from_db()
    assert trainer.reply_rate is None  # one request left for it: too few to mean anything

"""Writes on applications and appointment requests: one action function each, one transaction each.

E-mails are queued with `emails.queue`, which creates an EmailLog row and enqueues the sending task in
`transaction.on_commit`: nothing is sent when the transaction rolls back. A refused request raises
RequestError(code, message, field, status) with a French message; the delivery layers show it as is
(pages) or answer it with its status (API: 404, 409, 413, 415, 422, 429).
"""

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from alternance.companies.models import Company
from alternance.offers.models import Offer
from alternance.organisations.models import Organisation
from alternance.trainings.models import Training

from . import emails, rules, tokens
from .models import Application, ApplicationEvent, AppointmentEvent, AppointmentRequest, EmailLog
from .workflow import (
    ApplicationTransition,
    AppointmentStatus,
    AppointmentTransition,
    InvalidTransition,
    next_application_status,
    next_appointment_status,
)

logger = logging.getLogger(__name__)

CANDIDATE, RECRUITER, CFA, SYSTEM = "candidat", "recruteur", "cfa", "systeme"


class RequestError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None, status: int = 422, retry_after=None):
        super().__init__(message)
        self.code, self.message, self.field, self.status = code, message, field, status
        self.retry_after = retry_after  # seconds, with a 429


def _clean_contact(first_name: str, last_name: str, email: str, phone: str, message: str) -> dict:
    data = {
        "first_name": (first_name or "").strip(),
        "last_name": (last_name or "").strip(),
        "email": (email or "").strip().lower(),
        "phone": (phone or "").strip(),
        "message": (message or "").strip(),
    }
    if not data["first_name"]:
        raise RequestError("invalid", "Saisissez votre prénom.", "first_name")
    if not data["last_name"]:
        raise RequestError("invalid", "Saisissez votre nom.", "last_name")
    if "@" not in data["email"] or "." not in data["email"].rpartition("@")[2]:
        raise RequestError("invalid", "Saisissez une adresse électronique valide, par exemple nom@exemple.fr.", "email")
    if len(data["message"]) > rules.MAX_MESSAGE_CHARS:
        raise RequestError(
            "invalid", f"Le message dépasse {rules.MAX_MESSAGE_CHARS} caractères ; raccourcissez-le.", "message"
        )
    return data


def _check_daily_limit(digest: str, now: dt.datetime) -> None:
    since = now - dt.timedelta(days=1)
    recent = [
        *Application.objects.filter(email_digest=digest, created_at__gte=since).values_list("created_at", flat=True),
        *AppointmentRequest.objects.filter(email_digest=digest, created_at__gte=since).values_list(
            "created_at", flat=True
        ),
    ]
    if len(recent) >= rules.MAX_PER_DAY_PER_EMAIL:
        recent.sort()
        oldest_counted = recent[max(0, len(recent) - rules.MAX_PER_DAY_PER_EMAIL)] if recent else now
        frees_at = oldest_counted + dt.timedelta(days=1)
        raise RequestError(
            "daily_limit",
            f"Vous avez déjà envoyé {rules.MAX_PER_DAY_PER_EMAIL} demandes aujourd'hui avec cette adresse : "
            "c'est le maximum. Réessayez demain.",
            "email",
            429,
            retry_after=max(1, int((frees_at - now).total_seconds())),
        )


def reminder_date(created_at: dt.datetime) -> dt.date:
    """The day the recruiter (or CFA) is reminded if they have not answered."""
    return timezone.localdate(created_at + rules.REMINDER_AFTER)


# ---------------------------------------------------------------------------------------------- applications
def application_target_problem(offer: Offer | None, company: Company | None, now=None) -> RequestError | None:
    """Why this offer or company cannot take an application now (None: it can). Read by the pages too."""
    now = now or timezone.now()
    field = "offer_id" if offer is not None else "company_siret"
    if offer is not None:
        company = offer.company
        if not Offer.objects.searchable(now).filter(pk=offer.pk).exists():
            return RequestError(
                "closed", "Cette offre n'est plus en ligne : elle n'accepte plus de candidatures.", field, 409
            )
        if offer.applications_count >= rules.MAX_PER_OFFER:
            return RequestError(
                "full",
                f"Cette offre est complète : elle a reçu {rules.MAX_PER_OFFER} candidatures, le maximum. "
                "Cherchez des offres proches ou proposez une candidature spontanée.",
                field,
                409,
            )
    elif company is not None and not company.accepts_spontaneous:
        return RequestError("closed", "Cette entreprise ne reçoit pas de candidatures spontanées.", field, 409)
    if company is None:
        return RequestError("not_found", "Entreprise introuvable.", field, 404)
    if not (offer.applications_email if offer is not None else company.contact_email):
        return RequestError(
            "unreachable",
            "Cette entreprise n'a pas encore d'adresse de contact sur la plateforme : "
            "elle ne peut pas recevoir de candidature ici pour l'instant.",
            field,
            422,
        )
    return None


def submit_application(
    *,
    offer: Offer | None = None,
    company: Company | None = None,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    message: str = "",
    cv: bytes,
    answers: list[str] | None = None,
    api_key=None,
    now: dt.datetime | None = None,
) -> Application:
    """Apply to an offer, or spontaneously to a company (offer=None). Checks every limit, stores the CV
    privately, and queues the recruiter's e-mail (with the CV) and the candidate's confirmation."""
    now = now or timezone.now()
    if offer is not None:
        company = offer.company
    if problem := application_target_problem(offer, company, now):
        raise problem
    data = _clean_contact(first_name, last_name, email, phone, message)
    try:
        kind = rules.check_cv(cv)
    except rules.CvError as exc:
        raise RequestError(exc.code, exc.message, "cv", 413 if exc.code == "too_large" else 415) from exc
    questions = list(offer.questions or [])[: rules.MAX_QUESTIONS] if offer is not None else []
    answers = [(a or "").strip() for a in (answers or [])]
    pairs = []
    for i, question in enumerate(questions):
        answer = answers[i] if i < len(answers) else ""
        if not answer:
            raise RequestError(
                "invalid", f"Répondez à la question {i + 1} du recruteur : « {question} ».", f"answer_{i + 1}"
            )
        if len(answer) > rules.MAX_ANSWER_CHARS:
            raise RequestError(
                "invalid", f"La réponse {i + 1} dépasse {rules.MAX_ANSWER_CHARS} caractères.", f"answer_{i + 1}"
            )
        pairs.append({"question": question, "answer": answer})
    digest = tokens.email_digest(data["email"])
    _check_daily_limit(digest, now)
    duplicate = RequestError(
        "duplicate",
        "Vous avez déjà envoyé une candidature à cette offre avec cette adresse : "
        "suivez-la avec le lien reçu par courriel."
        if offer is not None
        else "Vous avez déjà envoyé une candidature spontanée à cette entreprise avec cette adresse : "
        "suivez-la avec le lien reçu par courriel.",
        "email",
        409,
    )
    application = Application(
        offer=offer, company=company, answers=pairs, cv_kind=kind, email_digest=digest, api_key=api_key,
        created_at=now, last_activity_at=now, **data,
    )  # fmt: skip
    try:
        with transaction.atomic():
            if offer is not None:
                locked = Offer.objects.select_for_update().get(pk=offer.pk)
                if locked.applications_count >= rules.MAX_PER_OFFER:
                    raise application_target_problem(locked, None, now)
            same = Application.objects.filter(email_digest=digest)
            if (same.filter(offer=offer) if offer is not None else same.filter(offer=None, company=company)).exists():
                raise duplicate
            application.cv.save(f"cv.{kind}", ContentFile(cv), save=False)
            application.save()
            ApplicationEvent.objects.create(
                application=application, transition="envoyer", to_status=application.status, actor=CANDIDATE, at=now
            )
            if offer is not None:
                Offer.objects.filter(pk=offer.pk).update(applications_count=F("applications_count") + 1, updated_at=now)
            emails.queue(emails.NEW_APPLICATION, application, recruiter_email(application))
            emails.queue(emails.APPLICATION_RECEIPT, application, application.email)
    except IntegrityError as exc:  # two submissions at once: the unique constraint decides
        _delete_file(application)
        raise duplicate from exc
    except RequestError:
        _delete_file(application)
        raise
    return application


def recruiter_email(application: Application) -> str:
    """Who answers this application: the offer's recipient (a mandate may name the CFA), else the company."""
    if application.offer_id is not None:
        return application.offer.applications_email
    return application.company.contact_email if application.company_id else ""


def _delete_file(application: Application) -> None:
    if application.cv and application.cv.name:
        application.cv.storage.delete(application.cv.name)


def _move_application(application: Application, transition: str, actor: str, now, update) -> Application:
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        before = locked.status
        locked.status = next_application_status(before, transition)
        fields = {"status", "last_activity_at"}
        fields |= update(locked)
        locked.last_activity_at = now
        locked.save(update_fields=sorted(fields))
        ApplicationEvent.objects.create(
            application=locked, transition=transition, from_status=before, to_status=locked.status,
            actor=actor, reason=locked.refusal_reason if transition == ApplicationTransition.REFUSE else "", at=now,
        )  # fmt: skip
    return locked


def answer_application(
    application: Application, transition: str, *, message: str = "", reason: str = "", now=None
) -> Application:
    """The recruiter's answer: propose an interview (a message is needed), refuse (a reason from
    rules.REFUSAL_REASONS, optional message) or mark hired. The candidate is told by e-mail."""
    now = now or timezone.now()
    transition = ApplicationTransition(transition)
    if transition == ApplicationTransition.WITHDRAW:
        raise InvalidTransition(application.status, transition)
    message = (message or "").strip()
    if transition == ApplicationTransition.PROPOSE_INTERVIEW and not message:
        raise RequestError(
            "invalid", "Écrivez au candidat comment et quand vous le rencontrez (date, lieu, contact).", "message"
        )
    if transition == ApplicationTransition.REFUSE and reason not in rules.REFUSAL_REASONS:
        raise RequestError("invalid", "Choisissez le motif du refus dans la liste.", "reason")
    if len(message) > rules.MAX_MESSAGE_CHARS:
        raise RequestError("invalid", f"Le message dépasse {rules.MAX_MESSAGE_CHARS} caractères.", "message")

    def update(a):
        a.recruiter_message = message
        a.refusal_reason = reason if transition == ApplicationTransition.REFUSE else ""
        fields = {"recruiter_message", "refusal_reason"}
        if a.answered_at is None:
            a.answered_at = now
            fields.add("answered_at")
        return fields

    with transaction.atomic():
        answered = _move_application(application, transition, RECRUITER, now, update)
        emails.queue(emails.APPLICATION_ANSWER, answered, answered.email)
        if answered.company_id:
            transaction.on_commit(lambda: refresh_reply_stats(company_ids=[answered.company_id]))
    return answered


def withdraw_application(application: Application, now=None) -> Application:
    """The candidate withdraws; the recruiter is told."""
    now = now or timezone.now()
    with transaction.atomic():
        withdrawn = _move_application(application, ApplicationTransition.WITHDRAW, CANDIDATE, now, lambda a: set())
        if address := recruiter_email(withdrawn):
            emails.queue(emails.APPLICATION_WITHDRAWN, withdrawn, address)
    return withdrawn


# ---------------------------------------------------------------------------------------------- appointments
def cfa_email(training: Training | None, organisation: Organisation | None = None) -> str:
    """Where the CFA receives appointment requests: the contact address the register holds for it. A
    demonstration course of a CFA without one uses a reserved-domain address (RFC 2606, like the demonstration
    companies'), so that a person trying the platform locally follows the whole loop in the local mailbox; the
    register itself is never given an invented address."""
    organisation = organisation or (training.organisation if training is not None else None)
    if organisation is None:
        return ""
    if organisation.contact_email:
        return organisation.contact_email
    if training is not None and training.is_demo:
        return f"cfa-{organisation.pk}@example.org"
    return ""


TRAINING_CLOSED = (
    "Cette formation est fermée\u00a0: elle ne prend plus de demandes de rendez-vous. Cherchez une formation "
    "proche qui prépare le même métier."
)


def appointment_target_problem(training: Training | None) -> RequestError | None:
    """Why this course takes no appointment request: closed after it was published (its public record says so,
    409), or without a public record (never published, being checked, rejected: 404); None when it takes them."""
    if training is not None and training.status == Training.Status.PUBLISHED:
        return None
    if training is not None and Training.objects.public().filter(pk=training.pk).exists():
        return RequestError("training_closed", TRAINING_CLOSED, "training_id", 409)
    return RequestError("not_found", "Formation introuvable.", "training_id", 404)


def request_appointment(
    *,
    training: Training,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    message: str = "",
    reasons: list[str],
    api_key=None,
    now: dt.datetime | None = None,
) -> AppointmentRequest:
    """Ask a training's CFA for an appointment. Sent by e-mail when the CFA has a contact address, else
    stored (the pages say that the CFA cannot be reached by e-mail yet)."""
    now = now or timezone.now()
    if problem := appointment_target_problem(training):
        raise problem
    data = _clean_contact(first_name, last_name, email, phone, message)
    reasons = list(dict.fromkeys(reasons or []))
    if not reasons:
        raise RequestError("invalid", "Choisissez au moins un sujet pour le rendez-vous.", "reasons")
    unknown = [r for r in reasons if r not in rules.APPOINTMENT_REASONS]
    if unknown:
        raise RequestError("invalid", f"Sujet inconnu : « {unknown[0]} » ; choisissez dans la liste.", "reasons")
    digest = tokens.email_digest(data["email"])
    _check_daily_limit(digest, now)
    organisation = training.organisation
    address = cfa_email(training, organisation)
    with transaction.atomic():
        if AppointmentRequest.objects.filter(
            email_digest=digest, training=training, status=AppointmentStatus.NEW
        ).exists():
            raise RequestError(
                "duplicate",
                "Vous avez déjà demandé un rendez-vous pour cette formation : le CFA ne vous a pas encore répondu. "
                "Suivez votre demande avec le lien reçu par courriel.",
                "email",
                409,
            )
        request = AppointmentRequest.objects.create(
            training=training, organisation=organisation, reasons=reasons, email_digest=digest, api_key=api_key,
            created_at=now, last_activity_at=now, emailed=bool(address), **data,
        )  # fmt: skip
        AppointmentEvent.objects.create(
            request=request, transition="envoyer", to_status=request.status, actor=CANDIDATE, at=now
        )
        if address:
            emails.queue(emails.NEW_APPOINTMENT, request, address)
        emails.queue(emails.APPOINTMENT_RECEIPT, request, request.email)
    return request


def answer_appointment(
    request: AppointmentRequest,
    transition: str,
    *,
    message: str = "",
    reason: str = "",
    proposed_date: dt.datetime | None = None,
    by: Organisation | None = None,
    now=None,
) -> AppointmentRequest:
    """The CFA's answer: propose a date, say it will call back, or decline with a reason. `by` is the
    organisation answering (the course's trainer from its space); by default the CFA asked (the signed link
    of its e-mail). It becomes the candidate's correspondent (reply-to) and the request counts in its reply
    rate (and leaves the other receiver's: _appointment_pairs)."""
    now = now or timezone.now()
    transition = AppointmentTransition(transition)
    message = (message or "").strip()
    if transition == AppointmentTransition.PROPOSE_DATE and proposed_date is None:
        raise RequestError("invalid", "Indiquez la date et l'heure du rendez-vous proposé.", "proposed_date")
    if transition == AppointmentTransition.PROPOSE_DATE and proposed_date <= now:
        raise RequestError("invalid", "La date du rendez-vous doit être dans le futur.", "proposed_date")
    if transition == AppointmentTransition.DECLINE and reason not in rules.APPOINTMENT_DECLINE_REASONS:
        raise RequestError("invalid", "Choisissez le motif du refus dans la liste.", "reason")
    with transaction.atomic():
        locked = AppointmentRequest.objects.select_for_update().get(pk=request.pk)
        before = locked.status
        locked.status = next_appointment_status(before, transition)
        locked.cfa_message = message
        locked.decline_reason = reason if transition == AppointmentTransition.DECLINE else ""
        locked.proposed_date = proposed_date if transition == AppointmentTransition.PROPOSE_DATE else None
        locked.answered_at = locked.answered_at or now
        locked.answered_by = by or locked.organisation
        locked.last_activity_at = now
        locked.save()
        AppointmentEvent.objects.create(
            request=locked, transition=transition, from_status=before, to_status=locked.status, actor=CFA,
            reason=locked.decline_reason, at=now,
        )  # fmt: skip
        emails.queue(emails.APPOINTMENT_ANSWER, locked, locked.email)
        trainer_id = locked.training.trainer_id if locked.training_id else None  # it received the request too
        concerned = {pk for pk in (locked.organisation_id, locked.answered_by_id, trainer_id) if pk}
        if concerned:
            transaction.on_commit(lambda: refresh_reply_stats(organisation_ids=sorted(concerned)))
    return locked


# ---------------------------------------------------------------------------------------------- candidate's data
def delete_candidate_data(digest: str) -> dict[str, int]:
    """« Supprimer mes données »: delete for good every application (with its CV file) and appointment request
    of this address, and the e-mail log rows about them."""
    with transaction.atomic():
        applications = list(Application.objects.filter(email_digest=digest).select_related("offer"))
        appointments = list(AppointmentRequest.objects.filter(email_digest=digest).values_list("public_id", flat=True))
        ids = [a.public_id for a in applications] + appointments
        files = [(a.cv.storage, a.cv.name) for a in applications if a.cv and a.cv.name]
        for a in applications:
            if a.offer_id:
                Offer.objects.filter(pk=a.offer_id, applications_count__gt=0).update(
                    applications_count=F("applications_count") - 1
                )
        EmailLog.objects.filter(object_id__in=ids).delete()
        n_applications = (
            Application.objects.filter(email_digest=digest).delete()[1].get("job_applications.Application", 0)
        )
        n_appointments = (
            AppointmentRequest.objects.filter(email_digest=digest)
            .delete()[1]
            .get("job_applications.AppointmentRequest", 0)
        )
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return {"applications": n_applications, "appointments": n_appointments}


# ---------------------------------------------------------------------------------------------- scheduled work
def send_reminders(now: dt.datetime | None = None) -> dict[str, int]:
    """One reminder to the recruiter or CFA of each request unanswered for 7 days; after 30 days without
    answer, the candidate is told plainly (once). Run daily (manage.py send_reminders)."""
    now = now or timezone.now()
    counts = {"recruiter_reminders": 0, "cfa_reminders": 0, "candidate_notices": 0}
    due = now - rules.REMINDER_AFTER
    late = now - rules.UNANSWERED_NOTICE_AFTER
    for application in (
        Application.objects.awaiting_reply()
        .filter(reminded_at__isnull=True, created_at__lte=due, company__isnull=False)
        .select_related("company", "offer__company", "offer__delegated_by")
    ):
        address = recruiter_email(application)
        if not address:
            continue
        with transaction.atomic():
            if Application.objects.filter(pk=application.pk, reminded_at__isnull=True).update(reminded_at=now):
                emails.queue(emails.APPLICATION_REMINDER, application, address)
                counts["recruiter_reminders"] += 1
    for request in (
        AppointmentRequest.objects.awaiting_reply()
        .filter(reminded_at__isnull=True, created_at__lte=due, emailed=True, organisation__isnull=False)
        .select_related("organisation", "training")
    ):
        address = cfa_email(request.training, request.organisation)
        if not address:
            continue
        with transaction.atomic():
            if AppointmentRequest.objects.filter(pk=request.pk, reminded_at__isnull=True).update(reminded_at=now):
                emails.queue(emails.APPOINTMENT_REMINDER, request, address)
                counts["cfa_reminders"] += 1
    for model, kind in (
        (Application, emails.APPLICATION_UNANSWERED),
        (AppointmentRequest, emails.APPOINTMENT_UNANSWERED),
    ):
        for item in model.objects.awaiting_reply().filter(unanswered_notice_at__isnull=True, created_at__lte=late):
            with transaction.atomic():
                if model.objects.filter(pk=item.pk, unanswered_notice_at__isnull=True).update(unanswered_notice_at=now):
                    emails.queue(kind, item, item.email)
                    counts["candidate_notices"] += 1
    refresh_reply_stats(now=now)
    return counts


def purge_expired(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete for good (rows and CV files) applications and appointment requests without activity for 2 years,
    and applications whose company was removed. Run daily (manage.py purge_personal_data)."""
    now = now or timezone.now()
    limit = now - rules.RETENTION
    with transaction.atomic():
        applications = Application.objects.filter(last_activity_at__lt=limit) | Application.objects.filter(
            company__isnull=True
        )
        applications = Application.objects.filter(pk__in=applications.values("pk"))
        files = [(a.cv.storage, a.cv.name) for a in applications.only("pk", "cv", "public_id", "cv_kind") if a.cv]
        appointments = AppointmentRequest.objects.filter(last_activity_at__lt=limit)
        ids = list(applications.values_list("public_id", flat=True)) + list(
            appointments.values_list("public_id", flat=True)
        )
        EmailLog.objects.filter(object_id__in=ids).delete()
        EmailLog.objects.filter(created_at__lt=limit).delete()
        n_applications = applications.delete()[1].get("job_applications.Application", 0)
        n_appointments = appointments.delete()[1].get("job_applications.AppointmentRequest", 0)
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return {"applications": n_applications, "appointments": n_appointments}


def _application_pairs(ids, since):
    """(company id, received_at, answered_at) of the applications a company received."""
    rows = Application.objects.filter(created_at__gte=since, company_id__isnull=False)
    if ids is not None:
        rows = rows.filter(company_id__in=ids)
    return rows.values_list("company_id", "created_at", "answered_at")


def _appointment_pairs(ids, since):
    """(organisation id, received_at, answered_at) of the appointment requests an organisation received: asked
    of it (the CFA responsible for the course: the e-mail), or for a course it teaches (its space's inbox). An
    answered request counts for the organisation that answered it (answered_by; the CFA asked for older rows),
    not for the other one (it was answered for it); an unanswered one for each that received it."""
    rows = AppointmentRequest.objects.filter(created_at__gte=since)
    if ids is not None:
        rows = rows.filter(Q(organisation_id__in=ids) | Q(training__trainer_id__in=ids) | Q(answered_by_id__in=ids))
    fields = ("organisation_id", "training__trainer_id", "answered_by_id", "created_at", "answered_at")
    for asked, trainer, answerer, received, answered in rows.values_list(*fields):
        if answered is not None:
            if answerer or asked:
                yield answerer or asked, received, answered
            continue
        for receiver in {asked, trainer} - {None}:
            yield receiver, received, None


def refresh_reply_stats(*, company_ids=None, organisation_ids=None, now=None) -> int:
    """Recompute reply rate and median reply delay (rules.reply_stats, last 12 months) of these companies and
    CFAs, or of every one with a request in the window; returns the number of rows changed. Who an appointment
    request counts for: _appointment_pairs."""
    now = now or timezone.now()
    since = now - rules.STATS_WINDOW
    updated = 0
    for pairs, target, ids in (
        (_application_pairs, Company, company_ids),
        (_appointment_pairs, Organisation, organisation_ids),
    ):
        if ids is None and (company_ids is not None or organisation_ids is not None):
            continue
        wanted = None if ids is None else set(ids)
        by_target: dict[int, list] = {}
        for key, received, answered in pairs(ids, since):
            if wanted is None or key in wanted:
                by_target.setdefault(key, []).append((received, answered))
        keys = list(ids if ids is not None else by_target)
        current = dict(
            (pk, (rate, days)) for pk, rate, days in
            target.objects.filter(pk__in=keys).values_list("pk", "reply_rate", "median_reply_days")
        )  # fmt: skip
        for key in keys:
            stats = rules.reply_stats(by_target.get(key, []), now)
            if key in current and current[key] != (stats.rate, stats.median_days):
                changes = {"reply_rate": stats.rate, "median_reply_days": stats.median_days}
                if target is Company:
                    changes["updated_at"] = timezone.now()  # the search index picks the new rate up
                updated += target.objects.filter(pk=key).update(**changes)
    return updated


def platform_reply_stats(now=None) -> dict[str, rules.ReplyStats]:
    """Platform-wide reply rate and median delay over 12 months (aggregate figures, no personal data)."""
    now = now or timezone.now()
    since = now - rules.STATS_WINDOW
    return {
        "applications": rules.reply_stats(
            list(Application.objects.filter(created_at__gte=since).values_list("created_at", "answered_at")), now
        ),
        "appointments": rules.reply_stats(
            list(AppointmentRequest.objects.filter(created_at__gte=since).values_list("created_at", "answered_at")), now
        ),
    }

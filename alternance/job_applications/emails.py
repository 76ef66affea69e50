"""The platform's e-mails about applications and appointments: French templates (text + HTML), sent by a
background task after commit, retried on failure and logged (EmailLog) without content beyond the address.

    queue(NEW_APPLICATION, application, to)   # inside the action's transaction

The message is built when the task runs, from the row as it then is: a request deleted meanwhile
(« supprimer mes données ») sends nothing.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alternance.search.scoring import date_fr

from . import rules, tokens
from .workflow import APPLICATION_LABELS, APPOINTMENT_LABELS

NEW_APPLICATION = "new_application"  # to the recruiter, with the CV
APPLICATION_RECEIPT = "application_receipt"  # to the candidate, with the follow-up link
APPLICATION_ANSWER = "application_answer"  # to the candidate
APPLICATION_WITHDRAWN = "application_withdrawn"  # to the recruiter
APPLICATION_REMINDER = "application_reminder"  # to the recruiter, after 7 days
APPLICATION_UNANSWERED = "application_unanswered"  # to the candidate, after 30 days
NEW_APPOINTMENT = "new_appointment"  # to the CFA
APPOINTMENT_RECEIPT = "appointment_receipt"
APPOINTMENT_ANSWER = "appointment_answer"
APPOINTMENT_REMINDER = "appointment_reminder"
APPOINTMENT_UNANSWERED = "appointment_unanswered"

APPOINTMENT_KINDS = frozenset(
    {NEW_APPOINTMENT, APPOINTMENT_RECEIPT, APPOINTMENT_ANSWER, APPOINTMENT_REMINDER, APPOINTMENT_UNANSWERED}
)
MAX_ATTEMPTS = 4
"""A failed send is tried again, at most 4 attempts in all, 5, 30 then 120 minutes apart."""
RETRY_DELAYS_MINUTES = (5, 30, 120)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def follow_url(email_digest: str) -> str:
    return absolute(reverse("job_applications:follow", args=[tokens.follow_token(email_digest)]))


def answer_url(application) -> str:
    token = tokens.object_token(tokens.ANSWER_APPLICATION, application.public_id)
    return absolute(reverse("job_applications:answer", args=[application.public_id, token]))


def cv_url(application) -> str:
    token = tokens.object_token(tokens.CV, application.public_id)
    return absolute(reverse("job_applications:cv", args=[application.public_id, token]))


def appointment_answer_url(request) -> str:
    token = tokens.object_token(tokens.ANSWER_APPOINTMENT, request.public_id)
    return absolute(reverse("job_applications:appointment_answer", args=[request.public_id, token]))


def search_url(item) -> str:
    """Other results for the same occupation near the same place (pointed to after 30 days without answer)."""
    offer, company = getattr(item, "offer", None), getattr(item, "company", None)
    commune = offer.commune if offer is not None else company.commune if company is not None else None
    if offer is None or commune is None:
        return absolute(reverse("search:home"))
    query = urlencode(
        {"metier": offer.rome.label, "rome": offer.rome.code, "lieu": commune.name, "insee": commune.insee}
    )
    return absolute(reverse("search:results") + "?" + query)


def queue(kind: str, obj, to: str):
    """Log the e-mail and enqueue its sending after the current transaction commits."""
    from .models import EmailLog
    from .tasks import send_email

    log = EmailLog.objects.create(kind=kind, object_id=obj.public_id, to=to)
    transaction.on_commit(lambda: send_email.enqueue(log.pk))
    return log


SUBJECTS = {
    NEW_APPLICATION: "Nouvelle candidature : {target}",
    APPLICATION_RECEIPT: "Votre candidature est envoyée : {target}",
    APPLICATION_ANSWER: "Réponse à votre candidature : {target}",
    APPLICATION_WITHDRAWN: "Candidature retirée : {target}",
    APPLICATION_REMINDER: "Rappel : une candidature attend votre réponse depuis 7 jours",
    APPLICATION_UNANSWERED: "Votre candidature est sans réponse depuis 30 jours",
    NEW_APPOINTMENT: "Demande de rendez-vous : {target}",
    APPOINTMENT_RECEIPT: "Votre demande de rendez-vous est envoyée : {target}",
    APPOINTMENT_ANSWER: "Réponse du CFA : {target}",
    APPOINTMENT_REMINDER: "Rappel : une demande de rendez-vous attend votre réponse depuis 7 jours",
    APPOINTMENT_UNANSWERED: "Votre demande de rendez-vous est sans réponse depuis 30 jours",
}


def _context(kind: str, obj) -> dict:
    from .services import reminder_date

    ctx = {"item": obj, "follow_url": follow_url(obj.email_digest), "site_url": settings.SITE_URL}
    ctx["reminder_date"] = date_fr(reminder_date(obj.created_at))
    ctx["sent_date"] = date_fr(timezone.localdate(obj.created_at))
    if getattr(obj, "proposed_date", None):
        local = timezone.localtime(obj.proposed_date)
        ctx["proposed_date"] = f"{date_fr(local.date())} à {local:%H} h {local:%M}"
    if kind in APPOINTMENT_KINDS:
        training = obj.training
        ctx.update(
            target=training.title if training else "formation",
            training=training,
            # the answer names the organisation that answered (the course's trainer may answer for the CFA asked)
            organisation=(obj.answered_by or obj.organisation) if kind == APPOINTMENT_ANSWER else obj.organisation,
            status_label=APPOINTMENT_LABELS.get(obj.status, obj.status),
            reasons=[rules.APPOINTMENT_REASONS[r] for r in obj.reasons if r in rules.APPOINTMENT_REASONS],
            decline_reason=rules.APPOINTMENT_DECLINE_REASONS.get(obj.decline_reason, ""),
            answer_url=appointment_answer_url(obj),
        )
    else:
        target = (
            obj.offer.title if obj.offer_id else f"candidature spontanée à {obj.company.name if obj.company else ''}"
        )
        ctx.update(
            target=target,
            offer=obj.offer,
            company=obj.company,
            status_label=APPLICATION_LABELS.get(obj.status, obj.status),
            refusal_reason=rules.REFUSAL_REASONS.get(obj.refusal_reason, ""),
            answer_url=answer_url(obj),
            cv_url=cv_url(obj),
            cv_days=rules.CV_LINK_MAX_AGE // 86400,
            search_url=search_url(obj),
        )
    return ctx


def build(kind: str, obj, to: str) -> EmailMultiAlternatives:
    ctx = _context(kind, obj)
    subject = SUBJECTS[kind].format(target=ctx["target"])
    text = render_to_string(f"job_applications/emails/{kind}.txt", ctx)
    html = render_to_string(f"job_applications/emails/{kind}.html", ctx)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers={"Auto-Submitted": "auto-generated"})
    if kind in (NEW_APPLICATION, NEW_APPOINTMENT, APPLICATION_REMINDER, APPOINTMENT_REMINDER):
        message.reply_to = [obj.email]  # the recruiter or CFA may simply answer the candidate
    elif kind == APPLICATION_ANSWER and (
        address := obj.offer.applications_email if obj.offer_id else obj.company.contact_email if obj.company else ""
    ):
        message.reply_to = [address]
    elif kind == APPOINTMENT_ANSWER and ctx["organisation"] and ctx["organisation"].contact_email:
        message.reply_to = [ctx["organisation"].contact_email]  # the organisation that answered
    message.attach_alternative(html, "text/html")
    if kind == NEW_APPLICATION and obj.cv:
        with obj.cv.open("rb") as handle:
            message.attach(
                f"CV-{obj.last_name}-{obj.first_name}.{obj.cv_kind}".replace(" ", "-"),
                handle.read(),
                rules.CONTENT_TYPES.get(obj.cv_kind, "application/octet-stream"),
            )
    return message

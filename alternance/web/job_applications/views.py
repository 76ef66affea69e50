"""Pages: apply to an offer or a company, ask a CFA for an appointment, follow one's requests (signed link),
answer as a recruiter or a CFA (signed link, no password), download a CV (signed link), platform figures,
and the local mailbox (/courriels/) for trying the platform without a mail server."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_POST

from alternance.companies.models import Company
from alternance.core import mailbox
from alternance.job_applications import rules, services, tokens
from alternance.job_applications.models import Application, AppointmentRequest
from alternance.job_applications.services import RequestError
from alternance.job_applications.workflow import (
    APPLICATION_LABELS,
    APPOINTMENT_LABELS,
    OPEN_APPLICATION,
    ApplicationTransition,
    allowed_application_transitions,
)
from alternance.offers.models import Offer
from alternance.search.scoring import date_fr

from ..decorators import private_page, rate_limited
from ..trainings.public import first_occupation, is_closed, public_training, same_search_url
from . import appointment_answers
from .forms import (
    ApplicationForm,
    AppointmentForm,
    InterviewForm,
    RefusalForm,
    attach_error,
)

PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "same-origin"}


def page(request, template: str, context: dict, status: int = 200, private: bool = False):
    """Render a DSFR page; a page reached by a signed link is never sent as referrer to another site."""
    response = render(request, template, context, status=status)
    if private:
        response["Referrer-Policy"] = "same-origin"
    return response


def _existing(path: str) -> str | None:
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def back_link(offer=None, company=None, training=None) -> tuple[str, str]:
    """The detail page when it exists (built by the detail pages' package), else the search."""
    if offer is not None and (url := _existing(f"/offres/{offer.pk}/")):
        return url, "Retour à l'offre"
    if company is not None and (url := _existing(f"/entreprises/{company.siret}/")):
        return url, "Retour à l'entreprise"
    if training is not None and (url := _existing(f"/formations/{training.pk}/")):
        return url, "Retour à la formation"
    return reverse("search:home"), "Retour à la recherche"


# ---------------------------------------------------------------------------------------------- applying
@rate_limited("forms")
def apply_offer(request, pk: int):
    # A draft has no public page: its form is a 404 too (the title of an unpublished offer never shows).
    offer = get_object_or_404(Offer.objects.public().select_related("company", "commune"), pk=pk)
    return _apply(request, offer, offer.company)


@rate_limited("forms")
def apply_company(request, siret: str):
    company = get_object_or_404(Company.objects.select_related("commune", "naf"), siret=siret)
    return _apply(request, None, company)


def _apply(request, offer, company):
    problem = services.application_target_problem(offer, company)
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        questions=offer.questions if offer is not None else [],
    )
    status = 200
    if request.method == "POST" and problem is None:
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = services.submit_application(
                    offer=offer, company=company, first_name=data["first_name"], last_name=data["last_name"],
                    email=data["email"], phone=data["phone"], message=data["message"], cv=data["cv"],
                    answers=form.answers,
                )  # fmt: skip
            except RequestError as exc:
                attach_error(form, exc)
                status = exc.status if exc.status in (409, 429) else 200
            else:
                return redirect("job_applications:sent", application.public_id)
    back_url, back_label = back_link(offer=offer, company=company)
    title = f"Postuler : {offer.title}" if offer is not None else f"Candidature spontanée : {company.name}"
    return page(
        request,
        "job_applications/apply.html",
        {
            "title": title,
            "offer": offer,
            "company": company,
            "form": form,
            "problem": problem,
            "back_url": back_url,
            "back_label": back_label,
            "action": request.path,
            "reply_rate": rules.percent_fr(company.reply_rate),
            "reply_days": rules.days_fr(company.median_reply_days),
        },
        status=status,
    )


@private_page
def application_sent(request, public_id):
    application = get_object_or_404(Application.objects.select_related("offer", "company"), public_id=public_id)
    back = back_link(offer=application.offer, company=application.company)
    return _sent(request, "job_applications/sent.html", "Candidature envoyée", {"application": application}, back)


def _sent(request, template: str, title: str, item: dict, back: tuple[str, str]):
    """The page after sending an application or an appointment request: when the reminder goes, the way back."""
    [sent] = item.values()
    back_url, back_label = back
    reminder_date = date_fr(services.reminder_date(sent.created_at))
    context = {"title": title, **item, "reminder_date": reminder_date, "back_url": back_url, "back_label": back_label}
    return page(request, template, context, private=True)


# ---------------------------------------------------------------------------------------------- appointments
@rate_limited("forms")
def request_appointment(request, pk: int):
    # A course without a public page (never published, to check, rejected) has no form either: 404. A course
    # closed after publication answers the old links with a page that says so and shows the way on (200, as a
    # filled offer's form).
    training = public_training(pk, "organisation", "commune")
    if is_closed(training):
        return _closed_course(request, training)
    problem = services.appointment_target_problem(training)
    form = AppointmentForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and problem is None:
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = services.request_appointment(
                    training=training, first_name=data["first_name"], last_name=data["last_name"],
                    email=data["email"], phone=data["phone"], message=data["message"], reasons=data["reasons"],
                )  # fmt: skip
            except RequestError as exc:
                attach_error(form, exc)
                status = exc.status if exc.status in (409, 429) else 200
            else:
                return redirect("job_applications:appointment_sent", appointment.public_id)
    back_url, back_label = back_link(training=training)
    organisation = training.organisation
    return page(
        request,
        "job_applications/appointment.html",
        {
            "title": f"Demander un rendez-vous : {training.title}",
            "training": training,
            "organisation": organisation,
            "cfa_reachable": bool(services.cfa_email(training, organisation)),
            "form": form,
            "problem": problem,
            "back_url": back_url,
            "back_label": back_label,
            "reply_rate": rules.percent_fr(organisation.reply_rate),
            "reply_days": rules.days_fr(organisation.median_reply_days),
        },
        status=status,
    )


def _closed_course(request, training):
    occupation = first_occupation(training)
    return page(
        request,
        "job_applications/appointment.html",
        {
            "title": f"Formation fermée\u00a0: {training.title}",
            "training": training,
            "organisation": training.organisation,
            "closed": True,
            "occupation": occupation,
            "training_url": reverse("trainings:detail", args=[training.pk]),
            "search_url": same_search_url(training, occupation),
            "back_url": reverse("trainings:detail", args=[training.pk]),
            "back_label": "Retour à la formation",
        },
    )


@private_page
def appointment_sent(request, public_id):
    appointment = get_object_or_404(
        AppointmentRequest.objects.select_related("training", "organisation"), public_id=public_id
    )
    back = back_link(training=appointment.training)
    title = "Demande de rendez-vous envoyée"
    return _sent(request, "job_applications/appointment_sent.html", title, {"appointment": appointment}, back)


# ---------------------------------------------------------------------------------------------- signed links
@private_page
def _bad_link_page(request, expired: bool):
    response = page(
        request,
        "job_applications/bad_link.html",
        {"title": "Lien expiré" if expired else "Lien non valide", "expired": expired},
        status=410 if expired else 403,
        private=True,
    )
    response._has_been_logged = True  # django.request would log the path, and with it the link's token
    return response


def bad_link(request, exc: tokens.BadLink):
    return _bad_link_page(request, exc.expired)


def _digest(token: str) -> str:
    return tokens.read_follow(token)


@private_page
def follow(request, token: str):
    try:
        digest = _digest(token)
    except tokens.BadLink as exc:
        return bad_link(request, exc)
    applications = list(
        Application.objects.of_candidate(digest).select_related("offer", "company").prefetch_related("events")
    )
    appointments = list(
        AppointmentRequest.objects.of_candidate(digest)
        .select_related("training", "organisation", "answered_by")
        .prefetch_related("events")
    )
    for a in applications:
        a.status_label = APPLICATION_LABELS.get(a.status, a.status)
        a.refusal_label = rules.REFUSAL_REASONS.get(a.refusal_reason, "")
        a.can_withdraw = a.status in OPEN_APPLICATION
        a.sent_fr = date_fr(a.created_at.date())
        a.reminder_fr = date_fr(services.reminder_date(a.created_at))
    for r in appointments:
        r.status_label = APPOINTMENT_LABELS.get(r.status, r.status)
        r.decline_label = rules.APPOINTMENT_DECLINE_REASONS.get(r.decline_reason, "")
        r.reason_labels = [rules.APPOINTMENT_REASONS.get(x, x) for x in r.reasons]
        r.sent_fr = date_fr(r.created_at.date())
    return page(
        request,
        "job_applications/follow.html",
        {
            "title": "Mes candidatures et demandes de rendez-vous",
            "token": token,
            "applications": applications,
            "appointments": appointments,
            "done": request.GET.get("fait", ""),
            "search_url": reverse("search:home"),
        },
        private=True,
    )


@require_POST
@rate_limited("forms")
def withdraw(request, token: str, public_id):
    try:
        digest = _digest(token)
    except tokens.BadLink as exc:
        return bad_link(request, exc)
    application = get_object_or_404(Application.objects.of_candidate(digest), public_id=public_id)
    if application.status in OPEN_APPLICATION:
        services.withdraw_application(application)
    return redirect(reverse("job_applications:follow", args=[token]) + "?fait=retiree")


@private_page
@rate_limited("forms")
def delete_data(request, token: str):
    try:
        digest = _digest(token)
    except tokens.BadLink as exc:
        return bad_link(request, exc)
    if request.method == "POST":
        counts = services.delete_candidate_data(digest)
        return page(
            request,
            "job_applications/deleted.html",
            {"title": "Vos données sont supprimées", "counts": counts},
            private=True,
        )
    count = Application.objects.of_candidate(digest).count() + AppointmentRequest.objects.of_candidate(digest).count()
    return page(
        request,
        "job_applications/delete_confirm.html",
        {"title": "Supprimer mes données", "token": token, "count": count},
        private=True,
    )


def _answer_forms(data=None, action=None) -> dict:
    def bound(name, cls):
        return cls(data if action == name else None, prefix=name)

    return {
        ApplicationTransition.PROPOSE_INTERVIEW: bound(ApplicationTransition.PROPOSE_INTERVIEW, InterviewForm),
        ApplicationTransition.REFUSE: bound(ApplicationTransition.REFUSE, RefusalForm),
        ApplicationTransition.HIRE: None,
    }


@private_page
@rate_limited("forms")
def answer(request, public_id, token: str):
    """The recruiter's page, reached from the e-mail: the application, its CV, and three answers."""
    try:
        tokens.check_object(tokens.ANSWER_APPLICATION, token, public_id)
    except tokens.BadLink as exc:
        return bad_link(request, exc)
    application = get_object_or_404(Application.objects.select_related("offer", "company"), public_id=public_id)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = _answer_forms(request.POST if action else None, action)
    if action in {t.value for t in ApplicationTransition} and action != ApplicationTransition.WITHDRAW:
        form = forms.get(ApplicationTransition(action))
        if action not in allowed_application_transitions(application.status):
            pass  # already answered (e.g. the form sent twice): show the current state
        elif form is None or form.is_valid():
            data = form.cleaned_data if form is not None else {}
            try:
                services.answer_application(
                    application, action, message=data.get("message", ""), reason=data.get("reason", "")
                )
            except RequestError as exc:
                if form is None:
                    raise
                attach_error(form, exc)
            else:
                return redirect(request.path + "?fait=1")
    allowed = allowed_application_transitions(application.status)
    cv_token = tokens.object_token(tokens.CV, application.public_id)
    return page(
        request,
        "job_applications/answer.html",
        {
            "title": "Répondre à une candidature",
            "application": application,
            "status_label": APPLICATION_LABELS.get(application.status, application.status),
            "refusal_label": rules.REFUSAL_REASONS.get(application.refusal_reason, ""),
            "sent_fr": date_fr(application.created_at.date()),
            "cv_url": reverse("job_applications:cv", args=[application.public_id, cv_token]),
            "interview_form": forms[ApplicationTransition.PROPOSE_INTERVIEW],
            "refusal_form": forms[ApplicationTransition.REFUSE],
            "can_interview": ApplicationTransition.PROPOSE_INTERVIEW in allowed,
            "can_refuse": ApplicationTransition.REFUSE in allowed,
            "can_hire": ApplicationTransition.HIRE in allowed,
            "done": request.GET.get("fait", ""),
        },
        private=True,
    )


def cv(request, public_id, token: str):
    """The CV, to the recruiter holding a valid signed link for this very application (expires)."""
    try:
        tokens.check_object(tokens.CV, token, public_id)
    except tokens.BadLink as exc:
        return bad_link(request, exc)
    application = get_object_or_404(Application, public_id=public_id)
    if not application.cv:
        raise Http404("CV supprimé")
    name = f"CV-{application.last_name}-{application.first_name}.{application.cv_kind}".replace(" ", "-")
    response = FileResponse(
        application.cv.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=rules.CONTENT_TYPES.get(application.cv_kind, "application/octet-stream"),
    )
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


@private_page
@rate_limited("forms")
def appointment_answer(request, public_id, token: str):
    """The CFA's page, reached from the e-mail: propose a date, call back, or decline with a reason."""
    try:
        tokens.check_object(tokens.ANSWER_APPOINTMENT, token, public_id)
    except tokens.BadLink as exc:
        return bad_link(request, exc)
    appointment = get_object_or_404(
        AppointmentRequest.objects.select_related("training", "organisation"), public_id=public_id
    )
    answered, context = appointment_answers.handle(request, appointment)
    if answered:
        return redirect(request.path + "?fait=1")
    return page(
        request,
        "job_applications/appointment_answer.html",
        {"title": "Répondre à une demande de rendez-vous", **context},
        private=True,
    )


# ---------------------------------------------------------------------------------------------- figures
def statistics(request):
    figures = services.platform_reply_stats()
    rows = []
    for key, label in (("applications", "Candidatures"), ("appointments", "Demandes de rendez-vous aux CFA")):
        s = figures[key]
        rows.append(
            {
                "label": label,
                "considered": s.considered,
                "answered": s.answered,
                "rate": rules.percent_fr(s.rate) or "pas encore assez de demandes",
                "median": rules.days_fr(s.median_days) or "—",
            }
        )
    return page(
        request,
        "job_applications/statistics.html",
        {
            "title": "Statistiques : les réponses aux candidatures",
            "rows": rows,
            "min_requests": rules.STATS_MIN_REQUESTS,
        },
    )


# ---------------------------------------------------------------------------------------------- local mailbox
def _mailbox_allowed(request) -> bool:
    return settings.DEBUG or settings.ALTERNANCE_LOCAL_MAILBOX or request.user.is_staff


@private_page
def mailbox_list(request):
    if not _mailbox_allowed(request):
        raise Http404("Page réservée à l'essai local")
    messages = [m for m in (mailbox.read(name) for name in mailbox.messages()) if m is not None]
    return page(
        request, "job_applications/mailbox.html", {"title": "Courriels envoyés (essai local)", "messages": messages}
    )


@private_page
def mailbox_message(request, name: str):
    if not _mailbox_allowed(request):
        raise Http404("Page réservée à l'essai local")
    message = mailbox.read(name)
    if message is None:
        raise Http404("Courriel introuvable")
    return page(
        request, "job_applications/mailbox_message.html", {"title": message.subject, "message": message}, private=True
    )

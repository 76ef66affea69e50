"""The space of a training organisation (CFA), for its members: its record in the register (contact details
and training sites declared as facts), its courses and their publication status, its appointment requests
(the same answers as the signed links), its API keys, and its enrolments (web/enrolments).

Every query starts from the organisations of the person's active memberships (staff: all), before the object
is fetched: another organisation's space answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alternance.accounts import rules as account_rules
from alternance.accounts import services as account_services
from alternance.accounts.models import ApiKey, Membership
from alternance.accounts.services import MembershipError
from alternance.job_applications.models import AppointmentRequest
from alternance.job_applications.workflow import APPOINTMENT_LABELS, AppointmentStatus
from alternance.organisations import rules
from alternance.organisations.models import Organisation
from alternance.search.scoring import date_fr
from alternance.trainings.models import StatusChange, Training
from alternance.trainings.workflow import STATUS_LABELS

from ..decorators import private_page, rate_limited
from ..job_applications import appointment_answers
from .forms import ApiKeyForm, ContactForm, SiteForm

INBOX_PAGE_SIZE = 20
COURSES_PAGE_SIZE = 50


def organisations_of(user):
    """Organisations this user acts for (active memberships); staff: every organisation. Scope before fetching."""
    if user.is_staff:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        pk__in=Membership.objects.of_user(user).active().exclude(organisation=None).values("organisation")
    )


def _organisation(request, organisation_id: int) -> Organisation:
    return get_object_or_404(organisations_of(request.user).select_related("commune"), pk=organisation_id)


def appointments_of(organisation: Organisation):
    """The appointment requests this organisation answers: those of its courses as the responsible CFA, and
    those of the courses it teaches as trainer (organisme formateur) for another one."""
    return AppointmentRequest.objects.filter(Q(organisation=organisation) | Q(training__trainer=organisation))


def _is_admin(user, organisation: Organisation) -> bool:
    mine = Membership.objects.filter(user=user, organisation=organisation).first()
    return account_rules.can_manage(
        is_staff=user.is_staff, role=mine.role if mine else None, status=mine.status if mine else None
    )


def _render(request, template: str, organisation: Organisation, title: str, context: dict, status: int = 200):
    """A page of the space; after a refused form (400) its title says so first (RGAA 11.10)."""
    full_title = f"{title} — {organisation.name}"
    if status == 400:
        full_title = f"Erreur dans le formulaire — {full_title}"
    return render(
        request,
        template,
        {"title": full_title, "page_title": title, "organisation": organisation, **context},
        status=status,
    )


@login_required
@private_page
def home(request, organisation_id: int):
    organisation = _organisation(request, organisation_id)
    waiting = appointments_of(organisation).filter(status=AppointmentStatus.NEW).count()
    return _render(
        request,
        "organisations/space/home.html",
        organisation,
        "Espace de l'organisme",
        {
            "waiting": waiting,
            "courses": Training.objects.filter(organisation=organisation).count(),
            "keys": ApiKey.objects.active().filter(organisation=organisation).count(),
            "is_admin": _is_admin(request.user, organisation),
        },
    )


def _initial(organisation: Organisation) -> dict:
    return {
        "contact_email": organisation.contact_email,
        "phone": organisation.phone,
        "website": organisation.website,
        "address": organisation.address,
        "postcode": organisation.postcode,
        "commune": organisation.commune.name if organisation.commune else organisation.city,
    }


@login_required
@private_page
@rate_limited("forms")
def record(request, organisation_id: int):
    """Propose corrections of the record: each value is kept as a fact « déclaration de l'organisme »."""
    organisation = _organisation(request, organisation_id)
    action = request.POST.get("action") if request.method == "POST" else None
    contact_form = ContactForm(request.POST if action == "contact" else None, initial=_initial(organisation))
    site_form = SiteForm(request.POST if action == "site" else None, prefix="lieu")
    form = {"contact": contact_form, "site": site_form}.get(action)
    if form is not None and form.is_valid():
        try:
            if action == "contact":
                declared = account_services.declare_organisation_contact(organisation, request.user, form.cleaned_data)
                messages.success(
                    request,
                    "Vos corrections sont enregistrées et publiées sur la page du registre."
                    if declared
                    else "Aucune information n'a changé.",
                )
            else:
                data = form.cleaned_data
                account_services.declare_organisation_site(
                    organisation, request.user, name=data["name"], address=data["address"],
                    postcode=data["postcode"], commune=data["commune"],
                )  # fmt: skip
                messages.success(request, "Le lieu de formation est ajouté à la page du registre.")
        except MembershipError as exc:
            raise PermissionDenied(exc.message) from None
        return redirect("organisations:space_record", organisation_id=organisation.pk)
    facts = [f for f in organisation.facts.select_related("declared_by") if f.source == rules.DECLARATION]
    return _render(
        request,
        "organisations/space/record.html",
        organisation,
        "Fiche de l'organisme",
        {
            "contact_form": contact_form,
            "site_form": site_form,
            "declarations": facts,
            "sites": organisation.sites.select_related("commune"),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@private_page
def courses(request, organisation_id: int):
    """The organisation's courses in the catalogue, with their status and the rule of its last change."""
    organisation = _organisation(request, organisation_id)
    last = StatusChange.objects.filter(training=OuterRef("pk")).order_by("-changed_at", "-id")
    qs = (
        Training.objects.filter(organisation=organisation)
        .select_related("commune")
        .annotate(
            last_rule=Subquery(last.values("rule")[:1]),
            last_reason=Subquery(last.values("reason")[:1]),
            last_changed_at=Subquery(last.values("changed_at")[:1]),
        )
        .order_by("title", "id")
    )
    status = request.GET.get("statut", "")
    if status in Training.Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    page = Paginator(qs, COURSES_PAGE_SIZE).get_page(request.GET.get("page"))
    for training in page.object_list:
        training.status_label = STATUS_LABELS.get(training.status, training.status)
        training.rule = training.last_rule or training.status_rule
        training.changed_fr = date_fr(training.last_changed_at.date()) if training.last_changed_at else ""
    return _render(
        request,
        "organisations/space/courses.html",
        organisation,
        "Formations de l'organisme",
        {
            "page_obj": page,
            "statuses": [(value, STATUS_LABELS.get(value, label)) for value, label in Training.Status.choices],
            "status": status,
            "base_query": f"statut={status}" if status else "",
        },
    )


@login_required
@private_page
def appointments(request, organisation_id: int):
    """The organisation's appointment requests: waiting ones first (the oldest on top), then the answered
    ones (the latest first); filter by status; 20 per page."""
    organisation = _organisation(request, organisation_id)
    qs = appointments_of(organisation).select_related("training")
    status = request.GET.get("statut", "")
    if status in {s.value for s in AppointmentStatus}:
        qs = qs.filter(status=status)
    else:
        status = ""
    qs = qs.annotate(
        answered=Case(When(status=AppointmentStatus.NEW, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by(
        "answered", Case(When(status=AppointmentStatus.NEW, then=F("created_at"))).asc(), F("created_at").desc(), "id"
    )
    page = Paginator(qs, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.status_label = APPOINTMENT_LABELS.get(row.status, row.status)
        row.sent_fr = date_fr(row.created_at.date())
    return _render(
        request,
        "organisations/space/appointments.html",
        organisation,
        "Demandes de rendez-vous",
        {
            "page_obj": page,
            "statuses": [(s.value, APPOINTMENT_LABELS[s]) for s in AppointmentStatus],
            "status": status,
            "base_query": f"statut={status}" if status else "",
        },
    )


@login_required
@private_page
@rate_limited("forms")
def appointment(request, organisation_id: int, public_id):
    """One request and the same three answers as the page of the e-mail's signed link."""
    organisation = _organisation(request, organisation_id)
    item = get_object_or_404(
        appointments_of(organisation).select_related("training", "organisation"),
        public_id=public_id,
    )
    answered, context = appointment_answers.handle(request, item, by=organisation)
    if answered:
        return redirect(request.path + "?fait=1")
    return _render(
        request,
        "organisations/space/appointment.html",
        organisation,
        f"Demande de rendez-vous de {item.full_name}",
        context,
    )


def _keys_page(request, organisation: Organisation, form, secret: str = "", key=None, status: int = 200):
    keys = list(ApiKey.objects.filter(organisation=organisation))
    for row in keys:
        row.created_fr = date_fr(row.created_at.date())
        row.used_fr = date_fr(row.last_used_at.date()) if row.last_used_at else ""
        row.revoked_fr = date_fr(row.revoked_at.date()) if row.revoked_at else ""
    return _render(
        request,
        "organisations/space/keys.html",
        organisation,
        "Clés d'API",
        {
            "keys": keys,
            "form": form,
            "secret": secret,
            "new_key": key,
            "is_admin": _is_admin(request.user, organisation),
        },
        status=status,
    )


@login_required
@private_page
@rate_limited("forms")
def api_keys(request, organisation_id: int):
    """The organisation's keys (scope `enrolments`); its administrators create one: the secret is in the
    answer to the creation only (this page is never cached), and nowhere else, ever."""
    organisation = _organisation(request, organisation_id)
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST":
        if not _is_admin(request.user, organisation):
            raise PermissionDenied("Seul un administrateur de l'organisme crée ou révoque ses clés.")
        if form.is_valid():
            try:
                key, secret = account_services.issue_organisation_key(
                    organisation, request.user, form.cleaned_data["name"]
                )
            except MembershipError as exc:
                form.add_error("name" if exc.field == "name" else None, exc.message)
            else:
                return _keys_page(request, organisation, ApiKeyForm(), secret=secret, key=key)
        return _keys_page(request, organisation, form, status=400)
    return _keys_page(request, organisation, form)


@login_required
@private_page
@require_POST
def revoke_api_key(request, organisation_id: int, key_id: int):
    organisation = _organisation(request, organisation_id)
    key = get_object_or_404(ApiKey.objects.filter(organisation=organisation), pk=key_id)
    try:
        account_services.revoke_organisation_key(key, request.user)
    except MembershipError as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, f"La clé « {key.name} » est révoquée : l'API la refuse désormais.")
    return redirect("organisations:space_keys", organisation_id=organisation.pk)

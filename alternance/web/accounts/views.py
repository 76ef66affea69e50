"""The personal space: memberships (companies, organisations), members to accept, the candidate's
applications made with the account's verified e-mail addresses."""

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alternance.accounts import services
from alternance.accounts.models import Membership
from alternance.accounts.services import MembershipError
from alternance.contracts.models import ContractDraft
from alternance.job_applications import tokens
from alternance.job_applications.models import Application, AppointmentRequest
from alternance.job_applications.workflow import APPLICATION_LABELS, APPOINTMENT_LABELS
from alternance.search.scoring import date_fr

from ..decorators import private_page, rate_limited
from ..offers.inbox import inbox_page
from ..offers.space import Space, companies_of
from .forms import CompanyProfileForm, JoinCompanyForm, JoinOrganisationForm


def _pending_to_review(user):
    """Pending members of the companies and organisations this user administers (staff: none listed here)."""
    admin_of = Membership.objects.of_user(user).admins()
    companies = admin_of.exclude(company=None).values("company")
    organisations = admin_of.exclude(organisation=None).values("organisation")
    return (
        Membership.objects.pending()
        .filter(Q(company__in=companies) | Q(organisation__in=organisations))
        .select_related("user", "company", "organisation")
    )


@login_required
@private_page
def home(request):
    memberships = list(Membership.objects.of_user(request.user).select_related("company", "organisation"))
    verified = list(EmailAddress.objects.filter(user=request.user, verified=True).values_list("email", flat=True))
    candidates = []
    for email in verified:
        digest = tokens.email_digest(email)
        rows = list(Application.objects.of_candidate(digest).select_related("offer", "company"))
        for row in rows:
            row.status_label = APPLICATION_LABELS.get(row.status, row.status)
            row.sent_fr = date_fr(row.created_at.date())
        appointments = list(AppointmentRequest.objects.of_candidate(digest).select_related("training", "organisation"))
        for row in appointments:
            row.status_label = APPOINTMENT_LABELS.get(row.status, row.status)
            row.sent_fr = date_fr(row.created_at.date())
        if rows or appointments:
            candidates.append(
                {
                    "email": email,
                    "applications": rows,
                    "appointments": appointments,
                    "token": tokens.follow_token(digest),
                }
            )
    return render(
        request,
        "accounts/home.html",
        {
            "title": "Mon espace",
            "memberships": memberships,
            "to_review": list(_pending_to_review(request.user)),
            "candidates": candidates,
            "contract_drafts": ContractDraft.objects.filter(owner=request.user).count(),
        },
    )


def _join(request, form_class, action, template: str, title: str):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = action(request.user, form.cleaned_data)
        except MembershipError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if membership.is_active:
                messages.success(request, f"Vous administrez désormais « {membership.target} ».")
            else:
                messages.info(
                    request,
                    f"Votre demande de rattachement à « {membership.target} » est envoyée : un administrateur "
                    "doit l'accepter.",
                )
            return redirect("accounts:home")
    return render(request, template, {"title": title, "form": form}, status=400 if form.errors else 200)


@login_required
@private_page
@rate_limited("forms")
def join_company(request):
    return _join(
        request,
        JoinCompanyForm,
        lambda user, data: services.join_company(
            user, data["siret"], name=data["name"], naf_code=data["naf_code"], commune_insee=data["commune"]
        ),
        "accounts/join_company.html",
        "Rattacher mon entreprise",
    )


@login_required
@private_page
@rate_limited("forms")
def join_organisation(request):
    return _join(
        request,
        JoinOrganisationForm,
        lambda user, data: services.join_organisation(user, data["identifier"]),
        "accounts/join_organisation.html",
        "Rattacher mon organisme de formation",
    )


def _reviewable(request, pk: int) -> Membership:
    """A pending or active membership of an entity the user administers (staff: any); else 404."""
    if request.user.is_staff:
        queryset = Membership.objects.all()
    else:
        admin_of = Membership.objects.of_user(request.user).admins()
        queryset = Membership.objects.filter(
            Q(company__in=admin_of.exclude(company=None).values("company"))
            | Q(organisation__in=admin_of.exclude(organisation=None).values("organisation"))
        )
    return get_object_or_404(queryset.select_related("company", "organisation", "user"), pk=pk)


@login_required
@private_page
@rate_limited("forms")
@require_POST
def accept_member(request, pk: int):
    membership = _reviewable(request, pk)
    services.accept_member(membership, request.user)
    messages.success(request, f"{membership.user.email} est désormais membre de « {membership.target} ».")
    return redirect("accounts:home")


@login_required
@private_page
@rate_limited("forms")
@require_POST
def remove_member(request, pk: int):
    membership = _reviewable(request, pk)
    try:
        services.remove_member(membership, request.user)
    except MembershipError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{membership.user.email} ne fait plus partie de « {membership.target} ».")
    return redirect("accounts:home")


@login_required
@private_page
def company_inbox(request, siret: str):
    """Applications to the company's offers and spontaneous ones (alternance.web.offers.inbox)."""
    company = get_object_or_404(companies_of(request.user), siret=siret)
    return inbox_page(request, Space(company=company))


@login_required
@private_page
@rate_limited("forms")
def company_profile(request, siret: str):
    """The company's public profile, edited by its members."""
    company = get_object_or_404(companies_of(request.user), siret=siret)
    initial = {name: getattr(company, name) for name in services.PROFILE_FIELDS}
    form = CompanyProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_company_profile(company, request.user, **form.cleaned_data)
        messages.success(request, "La fiche de l'entreprise est enregistrée.")
        return redirect("accounts:company_profile", siret=company.siret)
    return render(
        request,
        "accounts/company_profile.html",
        {"title": f"Fiche de l'entreprise — {company.name}", "company": company, "form": form},
        status=400 if form.errors else 200,
    )

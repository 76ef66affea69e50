"""The inbox of a company or of a CFA (applications to offers posted under its mandates): filters by status
and offer, 20 per page, those waiting longest first, the reply rate and median delay. Each row opens the
same answer page as the signed link of the e-mail (job_applications.services.answer_application)."""

from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Value, When
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from alternance.job_applications import rules as application_rules
from alternance.job_applications import tokens
from alternance.job_applications.workflow import APPLICATION_LABELS, ApplicationStatus
from alternance.search.scoring import date_fr

from .space import Space, in_space

PAGE_SIZE = 20


def ordered(applications):
    """Waiting applications first, the oldest on top; then the answered ones, the latest first."""
    new = ApplicationStatus.NEW
    return applications.annotate(
        answered=Case(When(status=new, then=Value(0)), default=Value(1), output_field=IntegerField()),
        waiting_since=Case(When(status=new, then=F("created_at")), default=None),
    ).order_by("answered", F("waiting_since").asc(nulls_last=True), "-created_at", "-id")


def reply_figures(space: Space, now):
    """The company's figures kept by job_applications (refresh_reply_stats, the public profile's); a CFA's
    over the applications of its mandates, with the same rule (rules.reply_stats, 12 months)."""
    if not space.is_cfa:
        return SimpleNamespace(rate=space.company.reply_rate, median_days=space.company.median_reply_days)
    rows = space.applications().filter(created_at__gte=now - application_rules.STATS_WINDOW)
    return application_rules.reply_stats(list(rows.values_list("created_at", "answered_at")), now)


def inbox_page(request, space: Space):
    now = timezone.now()
    applications = space.applications().select_related("offer")
    offers = list(space.inbox_offers().order_by("-created_at")[:200])
    status = request.GET.get("statut", "")
    if status in {s.value for s in ApplicationStatus}:
        applications = applications.filter(status=status)
    else:
        status = ""
    offer_filter = request.GET.get("offre", "")
    if offer_filter == "spontanee" and not space.is_cfa:
        applications = applications.filter(offer=None)
    elif offer_filter.isdigit():
        applications = applications.filter(offer_id=int(offer_filter))
    else:
        offer_filter = ""
    paginator = Paginator(ordered(applications), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    today = timezone.localdate(now)
    for row in page.object_list:
        row.status_label = APPLICATION_LABELS.get(row.status, row.status)
        row.sent_fr = date_fr(row.created_at.date())
        row.waiting_days = (today - timezone.localtime(row.created_at).date()).days
        row.answer_url = reverse(
            "job_applications:answer",
            args=[row.public_id, tokens.object_token(tokens.ANSWER_APPLICATION, row.public_id)],
        )
    filters = {k: v for k, v in (("statut", status), ("offre", offer_filter)) if v}
    return render(
        request,
        "accounts/inbox.html",
        {
            "title": f"Candidatures reçues — {space.name}" + (f" (page {page.number})" if page.number > 1 else ""),
            "space": space,
            "company": space.company,
            "inbox_url": request.path,
            "applications": page.object_list,
            "page_obj": page,
            "total": paginator.count,
            "base_query": urlencode(filters),
            "offers": offers,
            "statuses": [(s.value, APPLICATION_LABELS.get(s.value, s.value)) for s in ApplicationStatus],
            "status": status,
            "offer_filter": offer_filter,
            "reply": reply_figures(space, now),
        },
    )


@in_space
def organisation_inbox(request, space: Space):
    """The CFA's inbox: applications to the offers it posted under a mandate naming it as recipient."""
    return inbox_page(request, space)

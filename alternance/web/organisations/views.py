"""Pages of the organisations register: search, public page per organisation, data-quality report (staff)."""

import csv

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alternance.core.identifiers import siret_errors, uai_errors
from alternance.organisations.models import Organisation
from alternance.organisations.rules import ISSUES
from alternance.organisations.services import uai_candidates
from alternance.trainings.models import Training
from alternance.trainings.register import national_quality
from alternance.web.decorators import rate_limited

PAGE_SIZE = 20


def _issue_labels(codes):
    return [{"code": code, "label": ISSUES[code][1], "severity": ISSUES[code][0]} for code in codes if code in ISSUES]


@require_GET
@rate_limited("search", methods=("GET",))
def organisation_list(request):
    q = request.GET.get("q", "").strip()[:100]
    identifier = request.GET.get("identifiant", "").strip().replace(" ", "")[:14]
    error = ""
    qs = Organisation.objects.none()
    searched = bool(q or identifier)
    if identifier:
        if identifier.isdigit() and len(identifier) == 14:
            qs = Organisation.objects.search(siret=identifier, q=q)
        elif len(identifier) == 8:
            if uai_errors(identifier):
                error = f"Identifiant : {uai_errors(identifier)[0]}"
            qs = Organisation.objects.search(uai=identifier, q=q)
        else:
            error = "Identifiant : saisissez un SIRET (14 chiffres) ou un UAI (7 chiffres et une lettre)."
    elif q:
        qs = Organisation.objects.search(q=q)
    paginator = Paginator(qs.order_by("name", "id"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/list.html",
        {
            "title": "Organismes de formation",
            "q": q,
            "identifier": identifier,
            "error": error,
            "searched": searched,
            "page_obj": page,
            "total": Organisation.objects.count(),
        },
    )


@require_GET
def organisation_detail(request, organisation_id: int):
    organisation = Organisation.objects.select_related("commune").filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404("Organisme introuvable")
    courses = (
        Training.objects.visible()
        .filter(organisation=organisation)
        .select_related("commune")
        .order_by("title", "start_date")
    )
    trained = (
        Training.objects.visible()
        .filter(trainer=organisation)
        .exclude(organisation=organisation)
        .select_related("organisation", "commune")
        .order_by("title")
    )
    return render(
        request,
        "organisations/detail.html",
        {
            "title": organisation.name,
            "organisation": organisation,
            "siret_errors": siret_errors(organisation.siret) if organisation.siret else [],
            "uai_errors": uai_errors(organisation.uai) if organisation.uai else [],
            "issues": _issue_labels(organisation.quality_issues),
            "candidates": uai_candidates(organisation).candidates,
            "facts": organisation.facts.all(),
            "sites": organisation.sites.select_related("commune"),
            "courses": courses,
            "trained": trained,
            "other_courses": Training.objects.filter(organisation=organisation)
            .exclude(status=Training.Status.PUBLISHED)
            .count(),
        },
    )


@staff_member_required
@require_GET
def quality_report(request):
    issue = request.GET.get("probleme", "")
    qs = Organisation.objects.with_issues()
    if issue in ISSUES:
        qs = [o for o in qs.order_by("name") if issue in o.quality_issues]
    else:
        issue = ""
        qs = qs.order_by("quality_verdict", "name")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for organisation in page.object_list:
        organisation.issue_labels = _issue_labels(organisation.quality_issues)
    report = national_quality()
    return render(
        request,
        "organisations/quality.html",
        {
            "title": "Qualité des données des organismes",
            "report": report,
            "issues": [
                {"code": code, "label": label, "severity": severity, "count": report["issues"].get(code, 0)}
                for code, (severity, label) in ISSUES.items()
            ],
            "issue": issue,
            "page_obj": page,
        },
    )


@staff_member_required
@require_GET
def quality_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="qualite-organismes.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["id", "nom", "siret", "uai", "uai_probable", "conflit_uai", "nature", "verdict", "problemes", "libelles"]
    )
    for o in Organisation.objects.order_by("pk").iterator(chunk_size=2000):
        writer.writerow(
            [
                o.pk,
                o.name,
                o.siret,
                o.uai,
                o.probable_uai,
                "oui" if o.uai_conflict else "non",
                o.nature,
                o.quality_verdict,
                " ".join(o.quality_issues),
                " ; ".join(ISSUES[c][1] for c in o.quality_issues if c in ISSUES),
            ]
        )
    return response

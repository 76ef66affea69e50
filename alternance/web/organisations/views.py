"""Pages of the organisations register: search, public page per organisation, data-quality report (staff)."""

import csv
from urllib.parse import urlencode

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

from alternance.core.identifiers import siret_errors, uai_check_letter, uai_errors
from alternance.organisations import rules
from alternance.organisations.models import Organisation
from alternance.organisations.rules import ISSUES
from alternance.organisations.services import uai_candidates
from alternance.reference import cache
from alternance.reference.models import Commune
from alternance.trainings.models import Training
from alternance.trainings.register import national_quality
from alternance.web.decorators import rate_limited

PAGE_SIZE = 20


def _issue_labels(codes):
    return [{"code": code, "label": ISSUES[code][1], "severity": ISSUES[code][0]} for code in codes if code in ISSUES]


def _regions() -> list[tuple[str, str]]:
    """(code, name) of the régions, from the referential cache."""

    def build():
        rows = Commune.objects.active().exclude(region_code="").values_list("region_code", "region_name").distinct()
        return sorted(set(rows), key=lambda row: row[1])

    return cache.cached("organisations:regions", build)


def _criteria(request) -> dict:
    """The register's search criteria from the query string, each checked; errors name the field and the fix."""
    get = request.GET.get
    criteria = {
        "q": get("q", "").strip()[:100],
        "identifier": get("identifiant", "").strip().replace(" ", "").upper()[:17],
        "region": get("region", "").strip()[:3],
        "nature": get("nature", "").strip()[:32],
        "verdict": get("verdict", "").strip()[:16],
    }
    errors = {}
    identifier = criteria["identifier"]
    if identifier:
        if identifier.isdigit() and len(identifier) == 7:
            letter = uai_check_letter(identifier)
            errors["identifiant"] = (
                f"UAI : il manque la lettre de contrôle ; pour {identifier}, c'est {letter} ({identifier}{letter})."
            )
        elif identifier.isdigit():
            if siret_errors(identifier):
                errors["identifiant"] = f"SIRET : {siret_errors(identifier)[0]}"
        elif uai_errors(identifier):
            fix = "" if len(identifier) == 8 else " Un SIRET compte 14 chiffres ; un UAI, 7 chiffres et une lettre."
            errors["identifiant"] = f"UAI : {uai_errors(identifier)[0]}{fix}"
    if criteria["region"] and criteria["region"] not in dict(_regions()):
        errors["region"] = "Région : choisissez une région dans la liste."
        criteria["region"] = ""
    if criteria["nature"] not in ("", *Organisation.Nature.values):
        errors["nature"] = "Nature : choisissez une nature dans la liste."
        criteria["nature"] = ""
    if criteria["verdict"] not in ("", *Organisation.Verdict.values):
        errors["verdict"] = "Fiabilité : choisissez un verdict dans la liste."
        criteria["verdict"] = ""
    return {**criteria, "errors": errors}


def _matching(criteria: dict):
    identifier = criteria["identifier"]
    return Organisation.objects.search(
        siret=identifier if identifier.isdigit() else "",
        uai=identifier if identifier and not identifier.isdigit() else "",
        q=criteria["q"],
        region=criteria["region"],
        nature=criteria["nature"],
        verdict=criteria["verdict"],
    ).order_by("name", "id")


def _api_query(criteria: dict) -> str:
    identifier = criteria["identifier"]
    params = {
        "q": criteria["q"],
        "siret" if identifier.isdigit() else "uai": identifier,
        "region": criteria["region"],
        "nature": criteria["nature"],
        "verdict": criteria["verdict"],
    }
    return urlencode({key: value for key, value in params.items() if value})


@require_GET
@rate_limited("search", methods=("GET",))
def organisation_list(request):
    criteria = _criteria(request)
    errors = criteria["errors"]
    searched = any(criteria[key] for key in ("q", "identifier", "region", "nature", "verdict"))
    qs = _matching(criteria) if searched and "identifiant" not in errors else Organisation.objects.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/list.html",
        {
            "title": "Erreur dans la recherche d'organismes" if errors else "Organismes de formation",
            **criteria,
            "error": errors.get("identifiant", ""),
            "searched": searched and "identifiant" not in errors,
            "page_obj": page,
            "total": Organisation.objects.count(),
            "regions": _regions(),
            "natures": Organisation.Nature.choices,
            "verdicts": Organisation.Verdict.choices,
            "base_query": query.urlencode(),
            "api_query": _api_query(criteria),
        },
    )


@require_GET
@rate_limited("search", methods=("GET",))
def organisation_csv(request):
    """The list as CSV (UTF-8 with BOM, « ; »), with the same criteria as the page."""
    criteria = _criteria(request)
    if criteria["errors"]:
        return HttpResponse(
            "\n".join(criteria["errors"].values()), status=400, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="organismes.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["siret", "uai", "uai_probable", "nom", "code_postal", "commune", "nature", "verdict", "problemes"])
    for o in _matching(criteria).iterator(chunk_size=2000):
        writer.writerow(
            [
                o.siret,
                o.uai,
                o.probable_uai,
                o.name,
                o.postcode,
                o.city,
                o.nature,
                o.quality_verdict,
                " ".join(o.quality_issues),
            ]
        )
    return response


def _contact_rows(organisation: Organisation, facts) -> list[dict]:
    """Contact details shown on the public page, each with the source the register chose and its date."""
    place = " ".join(p for p in (organisation.postcode, organisation.city) if p)
    address = ", ".join(p for p in (organisation.address, place) if p)
    rows = []
    for field, label, value in (
        ("contact_email", "Adresse électronique", organisation.contact_email),
        ("phone", "Téléphone", organisation.phone),
        ("website", "Site internet", organisation.website),
        ("address", "Adresse", address),
    ):
        chosen = rules.choose(
            field, [rules.Observation(f.value, f.source, f.observed_on) for f in facts if f.field == field]
        )
        source = chosen.source if chosen else organisation.source
        rows.append(
            {
                "field": field,
                "label": label,
                "value": value,
                "source": rules.source_label(source) if value and source else "",
                "date": chosen.observed_on if chosen and value else None,
                "declared": bool(chosen and chosen.source == rules.DECLARATION),
            }
        )
    return rows


@require_safe
def organisation_detail(request, organisation_id: int):
    organisation = Organisation.objects.select_related("commune").filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404("Organisme introuvable")
    reconciliation = uai_candidates(organisation)
    facts = list(organisation.facts.all())
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
            "candidates": reconciliation.candidates,
            "reconciliation": reconciliation,
            "facts": facts,
            "contact": _contact_rows(organisation, facts),
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

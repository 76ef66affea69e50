"""The public page of a company: sector, size, place, why it may hire apprentices, « Candidature spontanée »."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from alternance.companies.models import Company
from alternance.offers.models import Offer
from alternance.search.details import sector_reasons

MAX_OFFERS = 20


def spontaneous_path(company) -> str:
    """« Candidature spontanée » leads to the application form (alternance.web.job_applications)."""
    return f"/entreprises/{company.siret}/candidature/"


@require_safe
def company_detail(request, siret: str):
    if len(siret) != 14 or not siret.isdigit():
        raise Http404("SIRET invalide")
    company = Company.objects.public().select_related("naf", "commune").filter(siret=siret).first()
    if company is None:
        raise Http404("Entreprise introuvable")
    offers = list(
        Offer.objects.searchable()
        .filter(company=company)
        .select_related("commune")
        .order_by("-published_at", "id")[:MAX_OFFERS]
    )
    context = {
        "title": company.name,
        "company": company,
        "offers": offers,
        "reasons": sector_reasons(company.naf_id),
        "spontaneous_url": spontaneous_path(company) if company.accepts_spontaneous else "",
        "place": {"lat": company.lat, "lon": company.lon, "label": f"{company.name}, {company.commune.name}"},
        "map_tiles": settings.MAP_TILE_URL,
    }
    return render(request, "companies/detail.html", context)

"""The public page of an offer: what, where, when, the legal minimum pay, and « Postuler » while it is open."""

import datetime as dt
import json

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from alternance.contracts.pay import PayError
from alternance.contracts.services import minimum_pay_by_age
from alternance.offers.models import Offer
from alternance.search.details import similar_offers
from alternance.search.types import SearchError

JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def apply_path(offer) -> str:
    """« Postuler » leads to the application form (alternance.web.job_applications)."""
    return f"/offres/{offer.pk}/postuler/"


def pay_start(offer, today: dt.date) -> dt.date:
    """The pay is computed for a contract starting on the offer's start date, or today when it is past or unknown."""
    return offer.start_date if offer.start_date and offer.start_date > today else today


def pay_rows(offer, today: dt.date) -> tuple[dt.date, list[dict], str]:
    """(start, [{age, percent, monthly}], error message) from the pay engine and the SMIC of the referential."""
    start = pay_start(offer, today)
    try:
        rows = minimum_pay_by_age(start)
    except PayError as error:
        return start, [], error.message
    return (
        start,
        [{"age": age, "percent": p.percent, "monthly": p.minimum_monthly, "base": p.base} for age, p in rows],
        "",
    )


def job_posting(offer, request, pay: list[dict]) -> dict:
    """schema.org JobPosting of an open offer (https://schema.org/JobPosting)."""
    company = offer.company
    address = {
        "@type": "PostalAddress",
        "addressLocality": offer.commune.name,
        "postalCode": (offer.commune.postcodes.split() or [""])[0],
        "addressCountry": "FR",
    }
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": offer.title,
        "description": offer.description or f"Contrat d'apprentissage : {offer.title} chez {company.name}.",
        "identifier": {"@type": "PropertyValue", "name": settings.ALTERNANCE_SITE_TITLE, "value": str(offer.pk)},
        "url": request.build_absolute_uri(f"/offres/{offer.pk}/"),
        "employmentType": "FULL_TIME",
        "occupationalCategory": offer.rome_id,
        "totalJobOpenings": offer.openings,
        "directApply": True,
        "hiringOrganization": {
            "@type": "Organization",
            "name": company.name,
            "sameAs": request.build_absolute_uri(f"/entreprises/{company.siret}/"),
        },
        "jobLocation": {
            "@type": "Place",
            "address": address,
            "geo": {"@type": "GeoCoordinates", "latitude": offer.lat, "longitude": offer.lon},
        },
    }
    if offer.published_at:
        data["datePosted"] = timezone.localdate(offer.published_at).isoformat()
    if offer.expires_at:
        data["validThrough"] = offer.expires_at.isoformat()
    if offer.start_date:
        data["jobStartDate"] = offer.start_date.isoformat()
    if pay:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {"@type": "QuantitativeValue", "minValue": float(pay[0]["monthly"]), "unitText": "MONTH"},
        }
    return data


def json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> block: <, > and & escaped so it cannot close the tag."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES))  # noqa: S308 (escaped above)


@require_safe
def offer_detail(request, pk: int):
    offer = get_object_or_404(
        Offer.objects.public().select_related(
            "company", "company__naf", "commune", "rome", "appellation", "delegated_by"
        ),
        pk=pk,
    )
    now = timezone.now()
    today = timezone.localdate(now)
    availability = offer.availability(now)
    start, pay, pay_error = pay_rows(offer, today)
    similar = []
    if not availability.accepts_applications:
        try:
            similar = similar_offers(offer)
        except SearchError:
            similar = []
    context = {
        "title": f"{offer.title} — {offer.company.name}",
        "offer": offer,
        "company": offer.company,
        "availability": availability,
        "apply_url": apply_path(offer) if availability.accepts_applications else "",
        "company_url": f"/entreprises/{offer.company.siret}/",
        "pay": pay,
        "pay_start": start,
        "pay_error": pay_error,
        "similar": similar,
        "place": {"lat": offer.lat, "lon": offer.lon, "label": f"{offer.title}, {offer.commune.name}"},
        "map_tiles": settings.MAP_TILE_URL,
        "json_ld": json_ld(job_posting(offer, request, pay))
        if availability.accepts_applications and not offer.is_demo
        else "",
    }
    return render(request, "offers/detail.html", context)

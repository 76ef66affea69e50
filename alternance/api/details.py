"""API router: one offer, one company, one training — the content of their public pages, as JSON."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema

from alternance.companies.models import Company
from alternance.contracts.pay import PayError
from alternance.contracts.services import minimum_pay_by_age
from alternance.offers.models import Offer
from alternance.offers.rules import MAX_APPLICATIONS
from alternance.search.details import sector_reasons, similar_offers
from alternance.search.types import SearchError
from alternance.trainings.models import Training

from .errors import ApiError, ErrorOut

router = Router(tags=["fiches"])

DEMO_NOTICE = "Donnée de démonstration\u00a0: elle est fictive et sert à montrer la plateforme."


class CodeLabelOut(Schema):
    code: str
    label: str


class PlaceOut(Schema):
    address: str
    postcode: str
    city: str
    insee: str | None
    lat: float | None
    lon: float | None


class AvailabilityOut(Schema):
    state: str = Field(..., description="open, complete, paused, filled, expired ou closed")
    accepts_applications: bool
    notice: str


class PayRowOut(Schema):
    age: int
    percent: int = Field(..., description="Part du SMIC (Code du travail D6222-26)")
    monthly_gross: str = Field(..., description="Minimum brut mensuel en euros, par exemple « 1234.56 »")


class PayTableOut(Schema):
    start_date: dt.date = Field(..., description="Début du contrat retenu pour le calcul")
    contract_year: int
    rows: list[PayRowOut]
    error: str | None


class LinkOut(Schema):
    id: int
    title: str
    url: str


class SimilarOfferOut(LinkOut):
    company_name: str
    commune_name: str
    distance_km: float
    is_demo: bool


class CompanyRefOut(Schema):
    siret: str
    name: str
    url: str


class OfferOut(Schema):
    id: int
    url: str
    title: str
    status: str
    availability: AvailabilityOut
    is_demo: bool
    demo_notice: str | None
    company: CompanyRefOut
    occupation: CodeLabelOut
    contract_type: str
    duration_months: int | None
    start_date: dt.date | None
    rhythm: str
    diploma_level: int | None
    openings: int
    accessible_disability: bool
    description: str
    place: PlaceOut
    published_at: dt.datetime | None
    expires_at: dt.datetime | None
    applications_count: int
    max_applications: int
    apply_url: str | None = Field(..., description="Formulaire de candidature ; null quand l'offre n'en reçoit pas")
    minimum_pay: PayTableOut
    similar_offers: list[SimilarOfferOut] = Field(..., description="Offres proches quand celle-ci est fermée")


class HiringReasonOut(Schema):
    rome: str
    label: str
    share: str | None = Field(..., description="Part des embauches du secteur, par exemple « 0.3812 »")
    phrase: str


class CompanyOut(Schema):
    siret: str
    url: str
    name: str
    is_demo: bool
    demo_notice: str | None
    naf: CodeLabelOut
    size_band: CodeLabelOut
    place: PlaceOut
    accessible_disability: bool
    accepts_spontaneous: bool
    spontaneous_application_url: str | None
    open_offers: list[LinkOut]
    hiring_reasons: list[HiringReasonOut]


class OrganisationRefOut(Schema):
    id: int
    name: str
    uai: str
    siret: str
    verdict: str = Field(..., description="Verdict du registre : fiable, a_verifier ou non_fiable")
    verdict_label: str
    url: str


class SessionOut(Schema):
    start_date: dt.date | None
    end_date: dt.date | None


class TrainingOut(Schema):
    id: int
    url: str
    title: str
    status: str = Field(..., description="publiee, ou fermee (fermée après sa publication : plus de rendez-vous)")
    is_demo: bool
    demo_notice: str | None
    organisation: OrganisationRefOut
    trainer: OrganisationRefOut | None
    place: PlaceOut
    diploma: CodeLabelOut | None
    certification: CodeLabelOut | None
    level: int | None
    duration_months: int | None
    sessions: list[SessionOut]
    occupations: list[CodeLabelOut]
    description: str
    appointment_url: str | None = Field(..., description="Demande de rendez-vous ; null quand la formation est fermée")


def _not_found(what: str, field: str, value) -> ApiError:
    return ApiError("not_found", f"{what} « {value} » n'existe pas ou n'est pas publique.", field, 404)


def _place(address, commune, lat, lon) -> dict:
    return {
        "address": address,
        "postcode": (commune.postcodes.split() or [""])[0] if commune else "",
        "city": commune.name if commune else "",
        "insee": commune.insee if commune else None,
        "lat": lat,
        "lon": lon,
    }


def offer_address(offer) -> str:
    """The company's street address when the offer is in the company's commune (else only the commune is known)."""
    return offer.company.address if offer.commune_id == offer.company.commune_id else ""


def _minimum_pay(offer, today: dt.date) -> dict:
    start = offer.start_date if offer.start_date and offer.start_date > today else today
    try:
        rows = minimum_pay_by_age(start)
    except PayError as error:
        return {"start_date": start, "contract_year": 1, "rows": [], "error": error.message}
    return {
        "start_date": start,
        "contract_year": 1,
        "rows": [{"age": age, "percent": p.percent, "monthly_gross": f"{p.minimum_monthly:.2f}"} for age, p in rows],
        "error": None,
    }


@router.get(
    "/offers/{offer_id}",
    response={200: OfferOut, 404: ErrorOut},
    summary="Une offre d'apprentissage",
)
def offer_detail(request, offer_id: int):
    """The offer's page as JSON. A closed, filled or expired offer stays readable, with its status and similar
    open offers nearby; a draft is unknown (404)."""
    offer = (
        Offer.objects.public().select_related("company", "commune", "rome", "appellation").filter(pk=offer_id).first()
    )
    if offer is None:
        raise _not_found("L'offre", "offer_id", offer_id)
    now = timezone.now()
    availability = offer.availability(now)
    similar = []
    if not availability.accepts_applications:
        try:
            similar = similar_offers(offer)
        except SearchError:
            similar = []
    return {
        "id": offer.pk,
        "url": reverse("offers:detail", args=[offer.pk]),
        "title": offer.title,
        "status": offer.status,
        "availability": vars(availability),
        "is_demo": offer.is_demo,
        "demo_notice": DEMO_NOTICE if offer.is_demo else None,
        "company": {
            "siret": offer.company.siret,
            "name": offer.company.name,
            "url": reverse("companies:detail", args=[offer.company.siret]),
        },
        "occupation": {"code": offer.rome_id, "label": offer.rome.label},
        "contract_type": "apprentissage",
        "duration_months": offer.duration_months,
        "start_date": offer.start_date,
        "rhythm": offer.rhythm,
        "diploma_level": offer.diploma_level,
        "openings": offer.openings,
        "accessible_disability": offer.accessible_disability,
        "description": offer.description,
        "place": _place(offer_address(offer), offer.commune, offer.lat, offer.lon),
        "published_at": offer.published_at,
        "expires_at": offer.expires_at,
        "applications_count": offer.applications_count,
        "max_applications": MAX_APPLICATIONS,
        "apply_url": f"/offres/{offer.pk}/postuler/" if availability.accepts_applications else None,
        "minimum_pay": _minimum_pay(offer, timezone.localdate(now)),
        "similar_offers": [
            {
                "id": item.id,
                "title": item.title,
                "url": reverse("offers:detail", args=[item.id]),
                "company_name": item.company_name,
                "commune_name": item.commune_name,
                "distance_km": item.distance_km,
                "is_demo": item.is_demo,
            }
            for item in similar
        ],
    }


@router.get(
    "/companies/{siret}",
    response={200: CompanyOut, 404: ErrorOut},
    summary="Une entreprise (candidature spontanée)",
)
def company_detail(request, siret: str):
    """The company's page as JSON: sector, size, place, its open offers and why it may hire apprentices."""
    company = None
    if len(siret) == 14 and siret.isdigit():
        company = Company.objects.public().select_related("naf", "commune").filter(siret=siret).first()
    if company is None:
        raise _not_found("L'entreprise de SIRET", "siret", siret)
    offers = Offer.objects.searchable().filter(company=company).order_by("-published_at", "id")[:20]
    return {
        "siret": company.siret,
        "url": reverse("companies:detail", args=[company.siret]),
        "name": company.name,
        "is_demo": company.is_demo,
        "demo_notice": DEMO_NOTICE if company.is_demo else None,
        "naf": {"code": company.naf_id, "label": company.naf.label},
        "size_band": {"code": company.size_band, "label": company.get_size_band_display()},
        "place": _place(company.address, company.commune, company.lat, company.lon),
        "accessible_disability": company.accessible_disability,
        "accepts_spontaneous": company.accepts_spontaneous,
        "spontaneous_application_url": f"/entreprises/{company.siret}/candidature/"
        if company.accepts_spontaneous
        else None,
        "open_offers": [
            {"id": o.pk, "title": o.title, "url": reverse("offers:detail", args=[o.pk])}
            for o in offers.only("id", "title")
        ],
        "hiring_reasons": [
            {
                "rome": r.rome,
                "label": r.label,
                "share": None if r.share is None else f"{r.share:.4f}",
                "phrase": r.phrase,
            }
            for r in sector_reasons(company.naf_id)
        ],
    }


def _organisation(organisation) -> dict:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "uai": organisation.uai,
        "siret": organisation.siret,
        "verdict": organisation.quality_verdict,
        "verdict_label": organisation.get_quality_verdict_display(),
        "url": reverse("organisations:detail", args=[organisation.pk]),
    }


@router.get(
    "/trainings/{training_id}",
    response={200: TrainingOut, 404: ErrorOut},
    summary="Une formation en apprentissage (publiée, ou fermée après sa publication)",
)
def training_detail(request, training_id: int):
    """The training's page as JSON: its CFA with the register's verdict, place, diploma, level, sessions. A course
    closed after it was published stays readable with its status and no appointment form, like its page; a
    course never published is unknown (404)."""
    training = (
        Training.objects.public()
        .select_related("organisation", "trainer", "site", "commune", "diploma", "certification")
        .filter(pk=training_id)
        .first()
    )
    if training is None:
        raise _not_found("La formation", "training_id", training_id)
    place = training.place()
    trainer = training.trainer if training.trainer_id not in (None, training.organisation_id) else None
    closed = training.status == Training.Status.CLOSED
    return {
        "id": training.pk,
        "url": reverse("trainings:detail", args=[training.pk]),
        "title": training.title,
        "status": training.status,
        "is_demo": training.is_demo,
        "demo_notice": DEMO_NOTICE if training.is_demo else None,
        "organisation": _organisation(training.organisation),
        "trainer": _organisation(trainer) if trainer else None,
        "place": place | {"insee": training.commune_id},
        "diploma": {"code": training.diploma_id, "label": training.diploma.title} if training.diploma else None,
        "certification": {"code": training.certification_id, "label": training.certification.title}
        if training.certification
        else None,
        "level": training.level,
        "duration_months": training.duration_months,
        "sessions": [{"start_date": s.start_date, "end_date": s.end_date} for s in training.sessions.all()],
        "occupations": [
            {"code": row.rome_id, "label": row.rome.label}
            for row in training.romes.select_related("rome").order_by("rome_id")
        ],
        "description": training.description,
        "appointment_url": None if closed else f"/formations/{training.pk}/rendez-vous/",
    }

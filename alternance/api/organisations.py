"""API router: identifier checks (SIRET, UAI) and the register of training organisations."""

from ninja import Field, Path, Query, Router, Schema

from alternance.api.errors import MAX_ID, ApiError
from alternance.api.ratelimit import rate_limited
from alternance.core.identifiers import siret_errors, uai_errors
from alternance.organisations.models import MAX_SEARCH_WORDS, Organisation
from alternance.organisations.services import uai_candidates
from alternance.trainings.models import Training

router = Router(tags=["organisations"])

PAGE_SIZE = 20
MAX_PAGE = 10_000
MAX_WORDS = MAX_SEARCH_WORDS


class CheckOut(Schema):
    value: str
    valid: bool
    errors: list[str]


@router.get("/checks/siret/{value}", response=CheckOut, summary="Contrôler un SIRET (14 chiffres, clé de Luhn)")
def check_siret(request, value: str):
    errors = siret_errors(value)
    return {"value": value, "valid": not errors, "errors": errors}


@router.get("/checks/uai/{value}", response=CheckOut, summary="Contrôler un UAI (7 chiffres et une lettre de contrôle)")
def check_uai(request, value: str):
    errors = uai_errors(value)
    return {"value": value, "valid": not errors, "errors": errors}


class OrganisationFilters(Schema):
    uai: str = Field("", max_length=20)
    siret: str = Field("", max_length=20)
    q: str = Field("", max_length=200, description=f"Mots du nom ({MAX_WORDS} au plus)")
    region: str = Field("", max_length=3, description="Code de la région de la commune (INSEE), par exemple 84")
    nature: str = Field("", max_length=32, description="responsable, formateur, responsable_formateur ou inconnue")
    verdict: str = Field("", max_length=16, description="fiable, a_verifier ou non_fiable")
    page: int = Field(1, ge=1, le=MAX_PAGE)


class CandidateOut(Schema):
    uai: str
    sources: list[str]
    valid: bool


class FactOut(Schema):
    field: str
    value: str
    source: str
    observed_on: str


class OrganisationOut(Schema):
    id: int
    siret: str
    uai: str
    probable_uai: str
    uai_conflict: bool
    name: str
    address: str
    postcode: str
    city: str
    nature: str
    qualiopi: bool | None
    quality_verdict: str
    quality_issues: list[str]
    lat: float | None
    lon: float | None


class OrganisationDetailOut(OrganisationOut):
    uai_candidates: list[CandidateOut]
    uai_tied: list[str] = Field(description="UAI à égalité (autant de sources chacun) : aucun n'est plus probable")
    facts: list[FactOut]
    courses: int


class OrganisationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OrganisationOut]


@router.get("/organisations", response=OrganisationPage, summary="Rechercher des organismes de formation")
@rate_limited("search")
def list_organisations(request, filters: Query[OrganisationFilters]):
    if filters.page < 1:
        raise ApiError("invalid", "« page » : la page commence à 1.", "page")
    if len(filters.q.split()) > MAX_WORDS:
        raise ApiError("invalid", f"« q » : {MAX_WORDS} mots au plus.", "q")
    if filters.siret and siret_errors(filters.siret):
        raise ApiError("invalid", f"« siret » : {siret_errors(filters.siret)[0]}", "siret")
    if filters.uai and uai_errors(filters.uai):
        raise ApiError("invalid", f"« uai » : {uai_errors(filters.uai)[0]}", "uai")
    if filters.nature and filters.nature not in Organisation.Nature.values:
        natures = ", ".join(Organisation.Nature.values)
        raise ApiError("invalid", f"« nature » : choisissez l'une de {natures}.", "nature")
    if filters.verdict and filters.verdict not in Organisation.Verdict.values:
        verdicts = ", ".join(Organisation.Verdict.values)
        raise ApiError("invalid", f"« verdict » : choisissez l'un de {verdicts}.", "verdict")
    qs = Organisation.objects.search(
        uai=filters.uai,
        siret=filters.siret,
        q=filters.q,
        region=filters.region,
        nature=filters.nature,
        verdict=filters.verdict,
    ).order_by("name", "id")
    count = qs.count()
    pages = max(1, -(-count // PAGE_SIZE))
    start = (filters.page - 1) * PAGE_SIZE
    return {"count": count, "page": filters.page, "pages": pages, "results": list(qs[start : start + PAGE_SIZE])}


@router.get("/organisations/{organisation_id}", response=OrganisationDetailOut, summary="Un organisme de formation")
def get_organisation(request, organisation_id: int = Path(..., ge=1, le=MAX_ID)):
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise ApiError("not_found", f"Aucun organisme n'a l'identifiant {organisation_id}.", "organisation_id", 404)
    facts = [
        {"field": f.field, "value": f.value, "source": f.source, "observed_on": f.observed_on.isoformat()}
        for f in organisation.facts.all()
    ]
    data = OrganisationOut.from_orm(organisation).dict()
    reconciliation = uai_candidates(organisation)
    data.update(
        uai_candidates=[
            {"uai": c.uai, "sources": list(c.sources), "valid": not uai_errors(c.uai)}
            for c in reconciliation.candidates
        ],
        uai_tied=list(reconciliation.tied),
        facts=facts,
        courses=Training.objects.filter(organisation=organisation).real().count(),  # open data: no demo rows
    )
    return data

"""API router: search offers, companies (spontaneous applications) and trainings by occupation and place."""

import dataclasses
import datetime as dt
import json

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import NinjaJSONEncoder

from alternance.search.services import search as run_search
from alternance.search.types import KINDS, SORTS, SearchError, SearchFilters

from .errors import ApiError, ErrorOut

router = Router(tags=["recherche"])
MAX_RADIUS_KM = 200
MAX_ROMES = 20


class SearchParams(Schema):
    romes: str = Field(..., description="Codes ROME 4.0 séparés par des virgules", examples=["D1102,D1104"])
    lat: float = Field(..., description="Latitude du centre (degrés décimaux)", examples=[45.76])
    lon: float = Field(..., description="Longitude du centre (degrés décimaux)", examples=[4.83])
    radius_km: float = Field(30, description="Rayon en km (200 au plus)", examples=[30])
    types: str = Field("offer,company,training", description="Types de résultats : offer, company, training")
    page: int = Field(1, ge=1, le=1000)
    page_size: int = Field(20, ge=1, le=100, description="Résultats par type et par page (100 au plus)")
    sort: str = Field("relevance", description="relevance, distance ou date")
    levels: str = Field("", description="Niveaux de diplôme 3 à 7, séparés par des virgules")
    start_from: dt.date | None = Field(None, description="Début au plus tôt (AAAA-MM-JJ)")
    sizes: str = Field("", description="Tailles d'entreprise, séparées par des virgules")
    accessible: bool = Field(
        False, description="Seulement les offres et entreprises accessibles aux personnes handicapées"
    )


class ResultOut(Schema):
    type: str
    id: int
    distance_km: float
    title: str
    commune_name: str
    postcode: str
    lat: float
    lon: float
    reasons: list[str]
    is_demo: bool = Field(description="Donnée de démonstration (fictive), jamais publiée en données ouvertes")
    details: dict


class SearchOut(Schema):
    count: int
    counts: dict[str, int]
    page: int
    page_size: int
    sort: str
    radius_km: float
    requested_radius_km: float
    widened: bool
    notices: list[str]
    nearest: list[str] = Field(
        description="Types sans résultat dans le rayon pour lesquels `results` donne les plus proches, où qu'ils soient"
    )
    suggestions: list[dict]
    facets: dict
    results: list[ResultOut]


RESULT_FIELDS = ("type", "id", "distance_km", "title", "commune_name", "postcode", "lat", "lon", "reasons", "is_demo")
BASE_FIELDS = {*RESULT_FIELDS, "score"}


def _parse_params(params: SearchParams) -> dict:
    romes = [code.strip().upper() for code in params.romes.split(",") if code.strip()]
    if not romes:
        raise ApiError("missing_rome", "Indiquez au moins un code ROME dans « romes », par exemple D1102.", "romes")
    if len(romes) > MAX_ROMES:
        raise ApiError("too_many_romes", f"{MAX_ROMES} codes ROME au plus dans « romes ».", "romes")
    if not -90 <= params.lat <= 90:
        raise ApiError("invalid_lat", "La latitude « lat » doit être comprise entre -90 et 90.", "lat")
    if not -180 <= params.lon <= 180:
        raise ApiError("invalid_lon", "La longitude « lon » doit être comprise entre -180 et 180.", "lon")
    if not 0 < params.radius_km <= MAX_RADIUS_KM:
        raise ApiError(
            "invalid_radius", f"Le rayon « radius_km » doit être compris entre 1 et {MAX_RADIUS_KM} km.", "radius_km"
        )
    types = {t.strip() for t in params.types.split(",") if t.strip()}
    unknown = types - set(KINDS)
    if not types or unknown:
        raise ApiError(
            "invalid_types", "« types » accepte offer, company et training, séparés par des virgules.", "types"
        )
    if params.sort not in SORTS:
        raise ApiError("invalid_sort", "« sort » accepte relevance, distance ou date.", "sort")
    try:
        levels = frozenset(int(v) for v in params.levels.split(",") if v.strip())
    except ValueError:
        levels = frozenset({0})
    if any(not 3 <= level <= 7 for level in levels):
        raise ApiError("invalid_levels", "« levels » accepte des niveaux de 3 à 7, séparés par des virgules.", "levels")
    filters = SearchFilters(
        levels=levels,
        start_from=params.start_from,
        sizes=frozenset(s.strip() for s in params.sizes.split(",") if s.strip()),
        accessible=params.accessible,
    )
    return {
        "romes": romes,
        "lat": params.lat,
        "lon": params.lon,
        "radius_km": params.radius_km,
        "types": types,
        "page": params.page,
        "page_size": params.page_size,
        "sort": params.sort,
        "filters": filters,
    }


def _serialise(item) -> dict:
    """One result in the order of ResultOut; the kind's own fields go in details."""
    data = vars(item)  # the dataclass fields, in declaration order (no deep copy: rendered right away)
    out = {name: data[name] for name in RESULT_FIELDS}
    out["distance_km"] = round(item.distance_km, 1)
    out["details"] = {k: v for k, v in data.items() if k not in BASE_FIELDS}
    return out


def _render(data: dict) -> HttpResponse:
    """JSON as the API's renderer writes it. The body is built in the shape of SearchOut, so the response
    skips ninja's validation pass (a test checks the body against SearchOut)."""
    return HttpResponse(json.dumps(data, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8")


@router.get(
    "/search",
    response={200: SearchOut, 400: ErrorOut, 422: ErrorOut},
    summary="Rechercher offres, entreprises et formations",
)
def search(request, params: Query[SearchParams]):
    """Results of the requested kinds within the radius, with counts per type.

    `page` and `page_size` apply to each type. `results` lists the page of every requested type, in the
    requested order (relevance by default; `distance`: nearest first; `date`: newest first).
    """
    arguments = _parse_params(params)
    try:
        result = run_search(**arguments)
    except SearchError as error:
        raise ApiError(error.code, error.message, error.field) from error
    items = [item for kind in KINDS if kind in arguments["types"] for item in result.kind(kind).items]
    if arguments["sort"] == "distance":
        items.sort(key=lambda item: item.distance_km)
    elif arguments["sort"] == "relevance":
        items.sort(key=lambda item: (-item.score, item.distance_km))
    return _render(
        {
            "count": result.total,
            "counts": result.counts,
            "page": result.page,
            "page_size": result.page_size,
            "sort": result.sort,
            "radius_km": result.radius_km,
            "requested_radius_km": result.requested_radius_km,
            "widened": result.widened,
            "notices": result.notices,
            "nearest": [kind for kind in KINDS if result.kind(kind).nearest],
            "suggestions": [dataclasses.asdict(s) for s in result.suggestions],
            "facets": result.facets,
            "results": [_serialise(item) for item in items],
        }
    )

"""API router: search offers, companies (spontaneous applications) and trainings by occupation and place."""

import dataclasses
import datetime as dt
import functools
import json
import typing

from django.http import HttpResponse
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from ninja import Field, Query, Router, Schema
from ninja.responses import NinjaJSONEncoder

from alternance.search.services import search as run_search
from alternance.search.types import ERROR_CODES, KINDS, SearchError, SearchFilters

from .errors import ApiError, ErrorOut
from .ratelimit import rate_limited

router = Router(tags=["recherche"])


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
    url: str = Field(
        ..., description="Adresse de la page du résultat : /offres/{id}/, /entreprises/{siret}/, /formations/{id}/"
    )
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


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _arguments(params: SearchParams) -> dict:
    """The query string as the search service takes it; the service checks every value (one validation)."""
    return {
        "romes": _split(params.romes),
        "lat": params.lat,
        "lon": params.lon,
        "radius_km": params.radius_km,
        "types": set(_split(params.types)),
        "page": params.page,
        "page_size": params.page_size,
        "sort": params.sort,
        "filters": SearchFilters(
            levels=frozenset(int(v) if v.isdigit() else v for v in _split(params.levels)),
            start_from=params.start_from,
            sizes=frozenset(_split(params.sizes)),
            accessible=params.accessible,
        ),
    }


_MARK = "987654321"  # in the reversed path, replaced by the id or siret: reverse() per result costs 0.1 ms


@functools.lru_cache(maxsize=16)
def _result_paths(prefix: str, resolver) -> dict[str, tuple[str, str]]:
    urlconf = resolver.urlconf_name
    return {
        "offer": (reverse("offers:detail", args=[int(_MARK)], urlconf=urlconf), "id"),
        "company": (reverse("companies:detail", args=[_MARK], urlconf=urlconf), "siret"),
        "training": (reverse("trainings:detail", args=[int(_MARK)], urlconf=urlconf), "id"),
    }


def result_paths() -> dict[str, tuple[str, str]]:
    """{type: (path with the mark, attribute)}: the result pages' stable addresses, reversed once per script
    prefix and URL configuration (the resolver is part of the key: clear_url_caches() makes a new one)."""
    return _result_paths(get_script_prefix(), get_resolver(get_urlconf()))


def result_path(item, paths=None) -> str:
    """The public page of a result."""
    path, attribute = (paths or result_paths())[item.type]
    return path.replace(_MARK, str(getattr(item, attribute)), 1)


_ENCODER = NinjaJSONEncoder()


def _datetime_text(value: dt.datetime) -> str:
    """A datetime as NinjaJSONEncoder (Django's DjangoJSONEncoder) writes it: milliseconds, Z for UTC."""
    text = value.isoformat()
    if value.microsecond:
        text = text[:23] + text[26:]
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


_DATES = {dt.date: dt.date.isoformat, dt.datetime: _datetime_text}


@functools.cache
def _detail_fields(cls) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the fields of a kind's item that go in details, in declaration order; those of them that may hold a
    date or datetime, by their annotation)."""
    hints = typing.get_type_hints(cls)
    names = tuple(f.name for f in dataclasses.fields(cls) if f.name not in BASE_FIELDS)

    def dated(hint) -> bool:
        return any(isinstance(t, type) and issubclass(t, dt.date) for t in (typing.get_args(hint) or (hint,)))

    return names, tuple(name for name in names if dated(hints[name]))


def _serialise(item, paths=None) -> dict:
    """One result in the order of ResultOut; the kind's own fields go in details. Dates and datetimes are
    written here as the API's encoder (NinjaJSONEncoder) writes them, so that json.dumps runs in C."""
    data = vars(item)  # the dataclass fields, in declaration order (no deep copy: rendered right away)
    out = {name: data[name] for name in RESULT_FIELDS}
    out["distance_km"] = round(item.distance_km, 1)
    out["url"] = result_path(item, paths)
    names, dated = _detail_fields(type(item))
    details = {name: data[name] for name in names}
    for name in dated:
        value = details[name]
        write = _DATES.get(type(value))
        if write is not None:
            details[name] = write(value)
    out["details"] = details
    return out


def _render(data: dict) -> HttpResponse:
    """JSON as the API's renderer writes it. The body is built in the shape of SearchOut, so the response
    skips ninja's validation pass (a test checks the body against SearchOut, another the bytes against
    ninja's own rendering)."""
    return HttpResponse(json.dumps(data, default=_ENCODER.default), content_type="application/json; charset=utf-8")


SEARCH_DESCRIPTION = (
    "Résultats des types demandés dans le rayon, avec le nombre de résultats par type.\n\n"
    "`page` et `page_size` s'appliquent à chaque type. `results` réunit la page de chaque type demandé, "
    "dans l'ordre du tri (`relevance` par défaut : les plus pertinents d'abord ; `distance` : les plus proches "
    "d'abord ; `date` : type par type, les plus récents d'abord).\n\n"
    "Erreurs (400, corps `{code, message, field}`) :\n\n"
    + "\n".join(f"- `{code}` : {meaning}" for code, meaning in ERROR_CODES.items())
    + "\n- 422 `invalid` : paramètre au format invalide (nombre, date)"
)


@router.get(
    "/search",
    response={200: SearchOut, 400: ErrorOut, 422: ErrorOut},
    summary="Rechercher offres, entreprises et formations",
    description=SEARCH_DESCRIPTION,
)
@rate_limited("search")
def search(request, params: Query[SearchParams]):
    try:
        result = run_search(**_arguments(params))
    except SearchError as error:
        raise ApiError(error.code, error.message, error.field) from error
    paths = result_paths()
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
            "results": [_serialise(item, paths) for item in result.items()],
        }
    )

"""API router: suggestions of occupations and places from the official referentials, rate limited per client
address (settings.RATE_LIMITS["suggest"], counted in batches: no database round trip per keystroke)."""

from ninja import Field, Query, Router, Schema

from alternance.reference.suggest import suggest_occupations, suggest_places

from .errors import ApiError, ErrorOut
from .ratelimit import rate_limited

router = Router(tags=["référentiels"])
MAX_QUERY = 100


def clean_query(q: str) -> str:
    q = (q or "").strip()
    if not q:
        raise ApiError("empty_query", "Saisissez au moins un caractère dans « q ».", "q")
    if len(q) > MAX_QUERY:
        raise ApiError(
            "query_too_long", f"« q » est trop long : {MAX_QUERY} caractères au plus, vous en avez {len(q)}.", "q"
        )
    return q


class SuggestParams(Schema):
    q: str = Field(..., description="Texte saisi (métier, appellation)", examples=["boulanger"])
    limit: int = Field(10, ge=1, le=50)


class OccupationOut(Schema):
    rome: str = Field(examples=["D1102"])
    label: str = Field(examples=["Boulanger / Boulangère"])
    rome_label: str
    kind: str = Field(description="appellation ou rome")
    ogr: int | None = None


class OccupationsOut(Schema):
    results: list[OccupationOut]


class PlaceParams(Schema):
    q: str = Field(..., description="Nom de commune ou code postal", examples=["Lyon"])
    limit: int = Field(10, ge=1, le=50)


class PlaceSuggestionOut(Schema):
    insee: str = Field(examples=["69123"])
    name: str
    postcodes: list[str]
    departement: str
    lat: float | None
    lon: float | None


class PlacesOut(Schema):
    results: list[PlaceSuggestionOut]


@router.get(
    "/occupations/suggest",
    response={200: OccupationsOut, 400: ErrorOut},
    summary="Suggérer des métiers (ROME 4.0)",
)
@rate_limited("suggest")
def occupations_suggest(request, params: Query[SuggestParams]):
    """Appellations and ROME fiches ranked for the query, insensitive to case, accents, typos and gender."""
    docs = suggest_occupations(clean_query(params.q), params.limit)
    return {
        "results": [
            {"rome": d.rome, "label": d.label, "rome_label": d.rome_label, "kind": d.kind, "ogr": d.ogr} for d in docs
        ]
    }


@router.get("/places/suggest", response={200: PlacesOut, 400: ErrorOut}, summary="Suggérer des communes")
@rate_limited("suggest")
def places_suggest(request, params: Query[PlaceParams]):
    """Communes by name or postcode prefix, most populated first."""
    places = suggest_places(clean_query(params.q), params.limit)
    return {
        "results": [
            {
                "insee": p.insee,
                "name": p.name,
                "postcodes": list(p.postcodes),
                "departement": p.departement,
                "lat": p.lat,
                "lon": p.lon,
            }
            for p in places
        ]
    }

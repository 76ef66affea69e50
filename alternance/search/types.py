"""Result types of the search service (plain dataclasses, serialisable with dataclasses.asdict)."""

import datetime as dt
from dataclasses import dataclass, field

KINDS = ("offer", "company", "training")
SORTS = ("relevance", "distance", "date")


ERROR_CODES = {
    "missing_rome": "aucun code ROME (« romes »)",
    "too_many_romes": "plus de 20 codes ROME",
    "unknown_rome": "un code ROME qui n'existe pas dans le référentiel ROME 4.0",
    "invalid_lat": "latitude absente ou hors de -90 à 90",
    "invalid_lon": "longitude absente ou hors de -180 à 180",
    "invalid_radius": "rayon hors de 1 à 200 km",
    "invalid_types": "type de résultat autre que offer, company, training, ou aucun",
    "invalid_page": "numéro de page inférieur à 1",
    "invalid_page_size": "nombre de résultats par page hors de 1 à 100",
    "invalid_sort": "tri autre que relevance, distance ou date",
    "invalid_levels": "niveau de diplôme hors de 3 à 7",
    "invalid_sizes": "taille d'entreprise inconnue",
}
"""The one set of codes a search is refused with (pages show the message, the API answers the three)."""


class SearchError(Exception):
    """A search request the service refuses: code (of ERROR_CODES), message (French, says the fix), field."""

    def __init__(self, code: str, message: str, field: str | None = None):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown search error code {code!r}")
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


@dataclass(frozen=True)
class SearchFilters:
    """Optional filters. Each applies only to the kinds that carry the field; unknown values always pass.

    levels: diploma levels 3 to 7 (offers and trainings; items without a level pass).
    start_from: start on or after this date (offers and trainings; items without a start date pass).
    sizes: size groups of SIZE_GROUPS (companies, and offers through their company; unknown size passes).
    accessible: only offers and companies marked accessible to people with disabilities (trainings pass:
        every CFA must appoint a disability referent, Code du travail L6231-2).
    """

    levels: frozenset[int] = frozenset()
    start_from: dt.date | None = None
    sizes: frozenset[str] = frozenset()
    accessible: bool = False


@dataclass
class SearchItem:
    type: str
    id: int
    distance_km: float
    title: str
    commune_name: str
    postcode: str
    lat: float
    lon: float
    reasons: list[str] = field(default_factory=list)
    score: float = 0.0
    is_demo: bool = False  # a demonstration row (seed_demo): badged « Démonstration » wherever it shows


@dataclass
class OfferItem(SearchItem):
    company_name: str = ""
    rome: str = ""
    rome_label: str = ""
    appellation_title: str = ""
    start_date: dt.date | None = None
    duration_months: int | None = None  # length of the contract
    published_at: dt.datetime | None = None
    applications_count: int = 0
    diploma_level: int | None = None
    accessible_disability: bool = False


@dataclass
class CompanyItem(SearchItem):
    siret: str = ""
    naf_code: str = ""
    naf_label: str = ""
    size_band: str = ""
    size_band_label: str = ""
    accessible_disability: bool = False
    spontaneous_label: str = "Candidature spontanée"
    spontaneous_notice: str = "Cette entreprise n'a pas publié d'offre : proposez-lui votre candidature spontanée."


@dataclass
class TrainingItem(SearchItem):
    organisation_name: str = ""
    diploma_level: int | None = None
    cfd: str = ""
    rncp: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None


@dataclass
class KindResult:
    """total items within the radius, and one page of them. nearest: none was within the largest radius
    (MAX_WIDENING_KM), so items are the nearest ones wherever they are (not counted in total)."""

    total: int = 0
    items: list = field(default_factory=list)
    nearest: bool = False


@dataclass
class Suggestion:
    """A neighbouring occupation (same domaine professionnel) with results within the widest radius."""

    rome: str
    label: str
    count: int


@dataclass
class SearchResult:
    offers: KindResult
    companies: KindResult
    trainings: KindResult
    page: int
    page_size: int
    sort: str
    radius_km: float
    requested_radius_km: float
    widened: bool = False
    notices: list[str] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    facets: dict = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {"offer": self.offers.total, "company": self.companies.total, "training": self.trainings.total}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def kind(self, kind: str) -> KindResult:
        return {"offer": self.offers, "company": self.companies, "training": self.trainings}[kind]

    def items(self) -> list[SearchItem]:
        """The pages of the requested kinds as one list, in the order the sort means across kinds:
        relevance: highest score first (then nearest); distance: nearest first; date: kind by kind
        (offers first, each kind already newest first)."""
        items = [item for kind in KINDS for item in self.kind(kind).items]
        if self.sort == "distance":
            items.sort(key=lambda item: item.distance_km)
        elif self.sort == "relevance":
            items.sort(key=lambda item: (-item.score, item.distance_km))
        return items

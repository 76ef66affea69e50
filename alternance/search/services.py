"""The search service: offers, companies worth a spontaneous application and trainings around a place.

search() validates the request, asks the candidate source (the in-memory index, see index.py) for every item of
the queried ROMEs within the radius, applies the filters, counts the facets, orders (ranking.py, scoring.py),
cuts one page per kind and reads the pages of the three kinds from the database in one query (pages.py), with
the referential labels from a per-process cache (labels.py), and the reasons to show.

Widening: when no item of the requested kinds matches within the radius, the radius grows through
WIDENING_STEPS_KM (up to MAX_WIDENING_KM = 100 km) and a notice says so. When nothing matches, suggestions lists
neighbouring occupations (same domaine professionnel) that do have results within 100 km.

Nearest beyond the radius: when no offer (or no training) of the queried ROMEs passes the filters within the
final radius, the NEAREST_COUNT nearest ones are returned wherever they are, with their distance, in place of
nothing (KindResult.nearest; they are not counted in the totals), and a notice says so (« Aucune formation à
moins de 100 km : voici les plus proches. »). Companies are not: a spontaneous application is for a company
within reach.
"""

import datetime as dt

import numpy as np
from django.utils import timezone

from alternance.companies.models import Company
from alternance.reference import cache
from alternance.reference.models import RomeOccupation

from . import index, labels, pages, ranking, scoring
from .types import (
    KINDS,
    SORTS,
    CompanyItem,
    KindResult,
    OfferItem,
    SearchError,
    SearchFilters,
    SearchResult,
    Suggestion,
    TrainingItem,
)

MAX_RADIUS_KM = 200.0
MAX_WIDENING_KM = 100.0
MAX_PAGE_SIZE = 100
MAX_ROMES = 20
WIDENING_STEPS_KM = (10.0, 20.0, 30.0, 50.0, 100.0)
MAX_SUGGESTIONS = 5
NEAREST_KINDS = {"offer": "Aucune offre", "training": "Aucune formation"}
NEAREST_COUNT = 5
NEAREST_ASK = 50  # nearest candidates read before the filters apply
EVERYWHERE_KM = 20_040.0  # half the Earth's circumference: every point is within it

__all__ = ["SearchError", "SearchFilters", "SearchResult", "search"]


def _source():
    return index.get_source()


def _all_rome_rows() -> dict[str, tuple[str, str]]:
    rows = RomeOccupation.objects.values_list("code", "label", "domain_code")
    return {code: (label, domain) for code, label, domain in rows}


def rome_rows(codes) -> dict[str, tuple[str, str]]:
    """{code: (label, domain code)} of these ROME codes, from the referential cache (reference.cache:
    rebuilt after a new ReferenceLoad); a code missing from the cache is looked up in the database."""
    rows = cache.cached("search:romes", _all_rome_rows)
    missing = [c for c in codes if c not in rows]
    if missing:
        for code, label, domain in RomeOccupation.objects.filter(code__in=missing).values_list(
            "code", "label", "domain_code"
        ):
            rows[code] = (label, domain)
    return {c: rows[c] for c in codes if c in rows}


def _validate(romes, lat, lon, radius_km, types, page, page_size, sort, filters) -> list[str]:
    """The one check of a search request (pages and API alike); raises SearchError with a code of ERROR_CODES."""
    codes = sorted({str(code).strip().upper() for code in romes or () if str(code).strip()})
    if not codes:
        raise SearchError("missing_rome", "Choisissez au moins un métier (code ROME, par exemple D1102).", "romes")
    if len(codes) > MAX_ROMES:
        raise SearchError("too_many_romes", f"Choisissez au plus {MAX_ROMES} métiers (codes ROME).", "romes")
    known = set(rome_rows(codes))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise SearchError(
            "unknown_rome",
            f"Le code ROME « {unknown[0]} » n'existe pas : choisissez un métier dans la liste proposée.",
            "romes",
        )
    if lat is None or not (-90 <= lat <= 90):
        raise SearchError(
            "invalid_lat", "La latitude du lieu doit être comprise entre -90 et 90 : choisissez une commune.", "lat"
        )
    if lon is None or not (-180 <= lon <= 180):
        raise SearchError(
            "invalid_lon", "La longitude du lieu doit être comprise entre -180 et 180 : choisissez une commune.", "lon"
        )
    if not (0 < radius_km <= MAX_RADIUS_KM):
        raise SearchError(
            "invalid_radius", f"Le rayon doit être compris entre 1 et {MAX_RADIUS_KM:.0f} km.", "radius_km"
        )
    if not types or not set(types) <= set(KINDS):
        raise SearchError(
            "invalid_types",
            "Choisissez au moins un type de résultat : offres (offer), entreprises (company) ou formations (training).",
            "types",
        )
    if page < 1:
        raise SearchError("invalid_page", "Le numéro de page commence à 1.", "page")
    if not (1 <= page_size <= MAX_PAGE_SIZE):
        raise SearchError(
            "invalid_page_size", f"Le nombre de résultats par page va de 1 à {MAX_PAGE_SIZE}.", "page_size"
        )
    if sort not in SORTS:
        raise SearchError("invalid_sort", "Le tri doit être « relevance », « distance » ou « date ».", "sort")
    if filters:
        if any(lvl not in ranking.LEVELS for lvl in filters.levels):
            raise SearchError("invalid_levels", "Le niveau de diplôme va de 3 (CAP) à 7 (bac + 5).", "levels")
        if not set(filters.sizes) <= set(scoring.SIZE_GROUPS):
            groups = ", ".join(f"« {g} »" for g in scoring.SIZE_GROUPS)
            raise SearchError("invalid_sizes", f"La taille d'entreprise doit être l'une de : {groups}.", "sizes")
    return codes


def _query(source, romes, lat, lon, radius_km, types, filters, now):
    """Candidates, filter masks and facets per kind at one radius."""
    out = {}
    for kind in KINDS:  # every kind, even unrequested ones: the type facet counts them
        cands = source.candidates(kind, romes, lat, lon, radius_km, now=now)
        parts = ranking.masks(kind, cands, filters)
        keep = ranking.combine(len(cands["id"]), parts)
        out[kind] = (cands, parts, keep)
    return out


def _facets(found, types) -> dict:
    facets = {"types": {}, "levels": {lvl: 0 for lvl in ranking.LEVELS}, "sizes": {}, "accessible": 0}
    facets["sizes"] = {g: 0 for g in scoring.SIZE_GROUPS}
    for kind, (cands, parts, _) in found.items():
        counted = ranking.facets(kind, cands, parts)
        facets["types"][kind] = counted["type"]
        if kind not in types:
            continue
        for lvl, n in counted.get("levels", {}).items():
            facets["levels"][lvl] += n
        for group, n in counted.get("sizes", {}).items():
            facets["sizes"][group] += n
        facets["accessible"] += counted.get("accessible", 0)
    return facets


def _suggestions(source, romes, lat, lon, types, filters, now) -> list[Suggestion]:
    domains = set(RomeOccupation.objects.filter(code__in=romes).values_list("domain_code", flat=True))
    neighbours = RomeOccupation.objects.active().filter(domain_code__in=domains).exclude(code__in=romes)
    found = []
    for rome in neighbours:
        counted = _query(source, [rome.code], lat, lon, MAX_WIDENING_KM, types, filters, now)
        count = sum(int(keep.sum()) for kind, (_, _, keep) in counted.items() if kind in types)
        if count:
            found.append(Suggestion(rome=rome.code, label=rome.label, count=count))
    found.sort(key=lambda s: (-s.count, s.rome))
    return found[:MAX_SUGGESTIONS]


def _nearest(source, kind, codes, lat, lon, filters, now) -> dict:
    """Rows of the NEAREST_COUNT nearest items of this kind passing the filters, wherever they are."""
    cands = source.candidates(kind, codes, lat, lon, EVERYWHERE_KM, now=now, k=NEAREST_ASK)
    keep = ranking.combine(len(cands["id"]), ranking.masks(kind, cands, filters))
    order = np.flatnonzero(keep)
    order = order[np.lexsort((cands["id"][order], cands["distance_km"][order]))][:NEAREST_COUNT]
    rows = {name: values[order] for name, values in cands.items()}
    rows["score"] = np.zeros(len(order))
    return rows


def search(
    *,
    romes: list[str],
    lat: float,
    lon: float,
    radius_km: float,
    types: set[str] = frozenset(KINDS),
    page: int = 1,
    page_size: int = 20,
    sort: str = "relevance",
    filters: SearchFilters | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> SearchResult:
    """Search the three kinds around (lat, lon); see the module docstring. Raises SearchError."""
    filters = filters or SearchFilters()
    codes = _validate(romes, lat, lon, radius_km, types, page, page_size, sort, filters)
    types = set(types)
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    source = _source()

    radius = float(radius_km)
    found = _query(source, codes, lat, lon, radius, types, filters, now)
    notices, widened = [], False
    if not any(int(found[k][2].sum()) for k in types):
        for step in [s for s in WIDENING_STEPS_KM if s > radius]:
            found = _query(source, codes, lat, lon, step, types, filters, now)
            widened, radius = True, step
            if any(int(found[k][2].sum()) for k in types):
                break
        if widened and any(int(found[k][2].sum()) for k in types):
            notices.append(
                f"Aucun résultat à {scoring.decimal_fr(radius_km, 0)} km : "
                f"nous avons élargi la recherche à {scoring.decimal_fr(radius, 0)} km."
            )
    suggestions = []
    if not any(int(found[k][2].sum()) for k in types):
        notices.append(f"Aucun résultat à moins de {max(radius, MAX_WIDENING_KM):.0f} km pour ce métier.")
        suggestions = _suggestions(source, codes, lat, lon, types, filters, now)
        if suggestions:
            notices.append("Essayez un métier proche : " + ", ".join(s.label for s in suggestions) + ".")

    seed = scoring.daily_seed(today, codes, lat, lon)
    windows, nearest = {}, set()
    for kind in KINDS:
        if kind not in types:
            continue
        cands, _, keep = found[kind]
        if kind in NEAREST_KINDS and not keep.any() and page == 1:
            rows = _nearest(source, kind, codes, lat, lon, filters, now)
            if len(rows["id"]):
                nearest.add(kind)
                windows[kind] = (0, rows)
                notices.append(
                    f"{NEAREST_KINDS[kind]} à moins de {scoring.decimal_fr(radius, 0)} km : voici les plus proches."
                )
                continue
        kept = cands if keep.all() else {name: values[keep] for name, values in cands.items()}
        score = ranking.scores(kind, kept, today)
        ordered = ranking.order(kind, kept, sort, score, seed, limit=page * page_size)
        window = ordered[(page - 1) * page_size : page * page_size]
        page_rows = {name: values[window] for name, values in kept.items()}
        page_rows["score"] = score[window]
        windows[kind] = (int(keep.sum()), page_rows)
    stored = pages.pages({kind: rows["id"].tolist() for kind, (_, rows) in windows.items()})
    results = {kind: KindResult() for kind in KINDS}
    for kind, (total, page_rows) in windows.items():
        items = HYDRATE[kind](page_rows, stored[kind], codes, today)
        results[kind] = KindResult(total=total, items=items, nearest=kind in nearest)

    return SearchResult(
        offers=results["offer"],
        companies=results["company"],
        trainings=results["training"],
        page=page,
        page_size=page_size,
        sort=sort,
        radius_km=radius,
        requested_radius_km=float(radius_km),
        widened=widened,
        notices=notices,
        suggestions=suggestions,
        facets=_facets(found, types),
    )


# ---------------------------------------------------------------------------------------------- hydration
# The page rows come from pages.pages() (one query for the three kinds); labels from labels.py.
SIZE_BAND_LABELS = dict(Company.SizeBand.choices)
ACCESSIBLE = "accessible aux personnes en situation de handicap"
NO_COMMUNE = ("", "")


def _hydrate_offers(rows, found, codes, today) -> list[OfferItem]:
    ids = rows["id"].tolist()
    communes = labels.lookup("commune", {r.commune_insee for r in found.values()})
    appellations = labels.lookup("appellation", {r.appellation_ogr for r in found.values()})
    romes = rome_rows({r.rome for r in found.values()})
    distances, scores = rows["distance_km"].tolist(), rows["score"].tolist()
    zone = timezone.get_current_timezone()  # once, not per offer (timezone.localdate)
    items = []
    for i, offer_id in enumerate(ids):
        row = found.get(offer_id)
        if row is None:
            continue
        dist = distances[i]
        reasons = [scoring.distance_phrase(dist)]
        if row.published_at:
            reasons.append(scoring.published_phrase(row.published_at.astimezone(zone).date(), today))
        reasons.append(scoring.applications_phrase(row.applications_count))
        for phrase in (scoring.level_phrase(row.diploma_level), scoring.start_phrase(row.start_date, today)):
            if phrase:
                reasons.append(phrase)
        if row.accessible_disability:
            reasons.append(ACCESSIBLE)
        place = communes.get(row.commune_insee, NO_COMMUNE)
        ogr = row.appellation_ogr
        items.append(
            OfferItem(
                **_common("offer", offer_id, dist, row.title, place, row.lat, row.lon, reasons, scores[i]),
                company_name=row.company_name,
                rome=row.rome,
                rome_label=romes.get(row.rome, ("", ""))[0],
                appellation_title=appellations.get(ogr, "") if ogr is not None else "",
                start_date=row.start_date,
                duration_months=row.duration_months,
                published_at=row.published_at,
                applications_count=row.applications_count,
                diploma_level=row.diploma_level,
                accessible_disability=row.accessible_disability,
                is_demo=row.is_demo,
            )
        )
    return items


def _common(kind, item_id, dist, title, place, lat, lon, reasons, score) -> dict:
    """The fields every kind of result shares (types.SearchItem)."""
    commune_name, postcode = place
    return {
        "type": kind,
        "id": item_id,
        "distance_km": round(dist, 1),
        "title": title,
        "commune_name": commune_name,
        "postcode": postcode,
        "lat": lat,
        "lon": lon,
        "reasons": reasons,
        "score": score,
    }


def _hydrate_companies(rows, found, codes, today) -> list[CompanyItem]:
    ids = rows["id"].tolist()
    communes = labels.lookup("commune", {r.commune_insee for r in found.values()})
    nafs = labels.lookup("naf", {r.naf for r in found.values()})
    sector_labels = {code: label for code, (label, _) in rome_rows(codes).items()}
    distances, scores = rows["distance_km"].tolist(), rows["score"].tolist()
    sector_romes = rows["sector_rome"].tolist() if "sector_rome" in rows else None
    items = []
    for i, company_id in enumerate(ids):
        row = found.get(company_id)
        if row is None:
            continue
        dist = distances[i]
        rome = codes[0] if sector_romes is None else sector_romes[i]
        if not isinstance(rome, str):  # the index gives the position in codes (sources.DatabaseSource the code)
            rome = codes[rome]
        size_label = SIZE_BAND_LABELS.get(row.size_band, row.size_band)
        reasons = [
            scoring.distance_phrase(dist),
            "candidature spontanée",
            scoring.sector_phrase(sector_labels.get(rome, "")),
        ]
        if row.size_band != "NN":
            reasons.append(size_label)
        if phrase := scoring.hires_phrase(row.hires_on_platform):
            reasons.append(phrase)
        if row.accessible_disability:
            reasons.append(ACCESSIBLE)
        place = communes.get(row.commune_insee, NO_COMMUNE)
        items.append(
            CompanyItem(
                **_common("company", company_id, dist, row.name, place, row.lat, row.lon, reasons, scores[i]),
                siret=row.siret,
                naf_code=row.naf,
                naf_label=nafs.get(row.naf, ""),
                size_band=row.size_band,
                size_band_label=size_label,
                is_demo=row.is_demo,
                accessible_disability=row.accessible_disability,
            )
        )
    return items


def _hydrate_trainings(rows, found, codes, today) -> list[TrainingItem]:
    ids = rows["id"].tolist()
    communes = labels.lookup("commune", {r.commune_insee for r in found.values()})
    distances, scores = rows["distance_km"].tolist(), rows["score"].tolist()
    items = []
    for i, training_id in enumerate(ids):
        row = found.get(training_id)
        if row is None:
            continue
        dist = distances[i]
        reasons = [scoring.distance_phrase(dist)]
        for phrase in (scoring.level_phrase(row.level), scoring.start_phrase(row.start_date, today)):
            if phrase:
                reasons.append(phrase)
        insee = row.commune_insee
        commune, postcode = communes.get(insee, NO_COMMUNE) if insee else NO_COMMUNE
        place = (commune if insee else row.organisation_city, postcode or row.organisation_postcode)
        items.append(
            TrainingItem(
                **_common("training", training_id, dist, row.title, place, row.lat, row.lon, reasons, scores[i]),
                organisation_name=row.organisation_name,
                diploma_level=row.level,
                cfd=row.cfd or "",
                rncp=row.rncp or "",
                start_date=row.start_date,
                end_date=row.end_date,
                is_demo=row.is_demo,
            )
        )
    return items


HYDRATE = {"offer": _hydrate_offers, "company": _hydrate_companies, "training": _hydrate_trainings}

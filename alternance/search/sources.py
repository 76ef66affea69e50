"""Reading search data from the database: sector weights and a direct (bounding-box) candidate source.

DatabaseSource answers a query straight from the database (bounding box, then exact haversine). It is the
reference the in-memory index is checked against, and the fallback when no index is loaded.
"""

import datetime as dt
from collections import defaultdict

import numpy as np
from django.utils import timezone

from alternance.companies.models import Company
from alternance.core import geo
from alternance.offers.models import Offer
from alternance.reference import sectors
from alternance.trainings.models import Training, TrainingRome

from . import scoring
from .ranking import day_number

SIZE_INDEX = {band: i for i, band in enumerate(scoring.SIZE_BANDS)}


def rome_naf_weights(romes=None) -> dict[str, dict[str, float]]:
    """{ROME: {NAF: sector weight}} for the candidate sectors of each ROME (scoring.sector_candidates).

    The whole table is read: the threshold depends on each NAF's hirings over every ROME.
    """
    hirings: dict[str, dict[str, int]] = defaultdict(dict)
    for (rome, naf), count in sectors.rome_naf_weights()[0].items():
        hirings[rome][naf] = count
    weights = scoring.sector_candidates(hirings)
    if romes is not None:
        weights = {rome: weights[rome] for rome in romes if rome in weights}
    return weights


def best_sector_weights(romes) -> dict[str, tuple[float, str]]:
    """{NAF: (best weight, ROME giving it)} over the queried ROMEs."""
    best: dict[str, tuple[float, str]] = {}
    for rome, by_naf in rome_naf_weights(romes).items():
        for naf, weight in by_naf.items():
            if naf not in best or weight > best[naf][0]:
                best[naf] = (weight, rome)
    return best


def _epoch(value: dt.datetime | None) -> float:
    return value.timestamp() if value else 0.0


OFFER_FIELDS = (
    "id",
    "lat",
    "lon",
    "rome_id",
    "diploma_level",
    "start_date",
    "published_at",
    "expires_at",
    "applications_count",
    "accessible_disability",
    "company__size_band",
)
COMPANY_FIELDS = (
    "id", "lat", "lon", "naf_id", "size_band", "hires_on_platform", "accessible_disability", "reply_rate",
)  # fmt: skip
TRAINING_FIELDS = ("id", "lat", "lon", "level", "start_date")


# Rows are named tuples read by column name: reordering a *_FIELDS tuple cannot swap two columns' values.
def offer_rows(queryset):
    """Named rows (OFFER_FIELDS) of a queryset of offers, for ``offer_columns``."""
    return queryset.values_list(*OFFER_FIELDS, named=True)


def company_rows(queryset):
    """Named rows (COMPANY_FIELDS) of a queryset of companies, for ``company_columns``."""
    return queryset.values_list(*COMPANY_FIELDS, named=True)


def training_rows(queryset):
    """Named rows (TRAINING_FIELDS) of a queryset of trainings, for ``training_columns``."""
    return queryset.values_list(*TRAINING_FIELDS, named=True)


def offer_columns(rows) -> dict[str, np.ndarray]:
    rows = list(rows)
    return {
        "id": np.array([r.id for r in rows], dtype=np.int64),
        "lat": np.array([r.lat for r in rows], dtype=np.float64),
        "lon": np.array([r.lon for r in rows], dtype=np.float64),
        "key": np.array([r.rome_id for r in rows], dtype=object),
        "level": np.array([r.diploma_level or 0 for r in rows], dtype=np.int16),
        "start": np.array([day_number(r.start_date) for r in rows], dtype=np.int32),
        "published": np.array([_epoch(r.published_at) for r in rows], dtype=np.float64),
        "expires": np.array([_epoch(r.expires_at) if r.expires_at else np.inf for r in rows], dtype=np.float64),
        "applications": np.array([r.applications_count for r in rows], dtype=np.int32),
        "accessible": np.array([bool(r.accessible_disability) for r in rows], dtype=bool),
        "size": np.array([SIZE_INDEX.get(r.company__size_band, 0) for r in rows], dtype=np.int8),
    }


def company_columns(rows) -> dict[str, np.ndarray]:
    rows = list(rows)
    return {
        "id": np.array([r.id for r in rows], dtype=np.int64),
        "lat": np.array([r.lat for r in rows], dtype=np.float64),
        "lon": np.array([r.lon for r in rows], dtype=np.float64),
        "key": np.array([r.naf_id for r in rows], dtype=object),
        "size": np.array([SIZE_INDEX.get(r.size_band, 0) for r in rows], dtype=np.int8),
        "hires": np.array([r.hires_on_platform for r in rows], dtype=np.int32),
        "accessible": np.array([bool(r.accessible_disability) for r in rows], dtype=bool),
        # NaN: unknown
        "reply": np.array([np.nan if r.reply_rate is None else r.reply_rate for r in rows], dtype=np.float32),
    }


def training_columns(rows, romes_by_training: dict[int, list[str]]) -> dict[str, np.ndarray]:
    """One row per (training, ROME) pair: the index keys trainings by ROME."""
    flat = [(r, rome) for r in rows for rome in romes_by_training.get(r.id, ())]
    return {
        "id": np.array([r.id for r, _ in flat], dtype=np.int64),
        "lat": np.array([r.lat for r, _ in flat], dtype=np.float64),
        "lon": np.array([r.lon for r, _ in flat], dtype=np.float64),
        "key": np.array([rome for _, rome in flat], dtype=object),
        "level": np.array([r.level or 0 for r, _ in flat], dtype=np.int16),
        "start": np.array([day_number(r.start_date) for r, _ in flat], dtype=np.int32),
    }


def searchable_offers():
    return Offer.objects.filter(status__in=["publiee"]).exclude(lat__isnull=True)


def candidate_companies():
    return Company.objects.filter(accepts_spontaneous=True)


def visible_trainings():
    return Training.objects.visible().exclude(lat__isnull=True).exclude(lon__isnull=True)


def training_romes(training_ids=None) -> dict[int, list[str]]:
    rows = TrainingRome.objects.all()
    if training_ids is not None:
        rows = rows.filter(training_id__in=list(training_ids))
    out: dict[int, list[str]] = defaultdict(list)
    for training_id, rome in rows.values_list("training_id", "rome_id"):
        out[training_id].append(rome)
    return out


def _within(cols: dict, lat: float, lon: float, radius_km: float) -> dict:
    dist = geo.haversine_km_array(lat, lon, cols["lat"], cols["lon"])
    keep = dist <= radius_km
    out = {name: values[keep] for name, values in cols.items()}
    out["distance_km"] = dist[keep]
    return out


class DatabaseSource:
    """Candidates straight from the database (bounding box then haversine). Slow at scale, always exact."""

    def candidates(self, kind: str, romes, lat: float, lon: float, radius_km: float, now=None, k=None) -> dict:
        """Columns of the items within the radius (the k nearest, nearest first, when k is given)."""
        cols = self._within_radius(kind, romes, lat, lon, radius_km, now)
        if k is None:
            return cols
        order = np.lexsort((cols["id"], cols["distance_km"]))[:k]
        return {name: values[order] for name, values in cols.items()}

    def _within_radius(self, kind: str, romes, lat: float, lon: float, radius_km: float, now=None) -> dict:
        min_lat, max_lat, min_lon, max_lon = geo.bounding_box(lat, lon, radius_km)
        box = {"lat__gte": min_lat, "lat__lte": max_lat, "lon__gte": min_lon, "lon__lte": max_lon}
        romes = list(romes)
        if kind == "offer":
            now = now or timezone.now()
            qs = Offer.objects.searchable(now=now).filter(rome_id__in=romes, **box)
            return _within(offer_columns(offer_rows(qs)), lat, lon, radius_km)
        if kind == "company":
            weights = best_sector_weights(romes)
            qs = candidate_companies().filter(naf_id__in=list(weights), **box)
            cols = _within(company_columns(company_rows(qs)), lat, lon, radius_km)
            cols["sector"] = np.array([weights[naf][0] for naf in cols["key"]], dtype=np.float64)
            cols["sector_rome"] = np.array([weights[naf][1] for naf in cols["key"]], dtype=object)
            return cols
        ids = TrainingRome.objects.filter(rome_id__in=romes).values("training_id")
        qs = visible_trainings().filter(id__in=ids, **box)
        rows = list(training_rows(qs))
        by_training = training_romes([r.id for r in rows])
        cols = training_columns(rows, {t: [r for r in rs if r in romes][:1] for t, rs in by_training.items()})
        return _within(cols, lat, lon, radius_km)

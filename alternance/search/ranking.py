"""Filters, facet counts, orderings and pagination over candidate arrays (pure numpy, no database).

A candidate set is a dict of equal-length numpy arrays for one kind, as produced by the index:
    id, distance_km, and per kind:
    offer:    level (0 = unknown), start (days since 1970-01-01, NO_DATE = unknown), published (epoch s),
              applications, accessible, size (index in scoring.SIZE_BANDS of the company)
    company:  sector (weight of the best queried ROME), size, hires, accessible, reply (reply rate, NaN unknown)
    training: level, start
"""

import datetime as dt

import numpy as np

from . import scoring
from .types import SearchFilters

NO_DATE = np.iinfo(np.int32).min
EPOCH = dt.date(1970, 1, 1)
LEVELS = (3, 4, 5, 6, 7)


def day_number(day: dt.date | None) -> int:
    return NO_DATE if day is None else (day - EPOCH).days


def _size_group_codes(groups) -> np.ndarray:
    bands = {b for g in groups for b in scoring.SIZE_GROUPS[g][1]} | {"NN"}
    return np.array(sorted(scoring.SIZE_BANDS.index(b) for b in bands), dtype=np.int64)


def masks(kind: str, c: dict, filters: SearchFilters) -> dict[str, np.ndarray]:
    """One boolean mask per filter that applies to this kind (True = passes)."""
    out = {}
    if filters.levels and kind in ("offer", "training"):
        wanted = np.array(sorted(filters.levels), dtype=np.int64)
        out["levels"] = (c["level"] == 0) | np.isin(c["level"], wanted)
    if filters.start_from and kind in ("offer", "training"):
        out["start_from"] = (c["start"] == NO_DATE) | (c["start"] >= day_number(filters.start_from))
    if filters.sizes and kind in ("offer", "company"):
        out["sizes"] = np.isin(c["size"], _size_group_codes(filters.sizes))
    if filters.accessible and kind in ("offer", "company"):
        out["accessible"] = c["accessible"].astype(bool)
    return out


def combine(n: int, parts: dict[str, np.ndarray], skip: str | None = None) -> np.ndarray:
    keep = np.ones(n, dtype=bool)
    for name, mask in parts.items():
        if name != skip:
            keep &= mask
    return keep


_GROUP_BANDS = {
    group: [scoring.SIZE_BANDS.index(b) for b in bands] for group, (_, bands) in scoring.SIZE_GROUPS.items()
}
"""The band codes (index in SIZE_BANDS) of each size group."""


def _combined(n: int, parts: dict[str, np.ndarray], skip: str | None = None) -> np.ndarray | None:
    """combine(), or None when no mask applies (everything passes: nothing to select)."""
    return combine(n, parts, skip) if any(name != skip for name in parts) else None


def facets(kind: str, c: dict, parts: dict[str, np.ndarray]) -> dict:
    """Counts for each filter value, each ignoring its own selection (but applying the others)."""
    n = len(c["id"])
    kept = _combined(n, parts)

    def selected(name: str, values: np.ndarray) -> np.ndarray:
        """The values of the candidates passing every filter but `name`."""
        keep = _combined(n, parts, name) if name in parts else kept
        return values if keep is None else values[keep]

    out = {"type": n if kept is None else int(np.count_nonzero(kept))}
    if kind in ("offer", "training"):
        levels = selected("levels", c["level"])
        counted = np.bincount(np.clip(levels, 0, None).astype(np.intp), minlength=max(LEVELS) + 1)
        out["levels"] = {lvl: int(counted[lvl]) for lvl in LEVELS}
    if kind in ("offer", "company"):
        sizes = selected("sizes", c["size"])
        per_band = np.bincount(sizes.astype(np.intp), minlength=len(scoring.SIZE_BANDS)).tolist()
        out["sizes"] = {group: sum(per_band[i] for i in codes) for group, codes in _GROUP_BANDS.items()}
        out["accessible"] = int(np.count_nonzero(selected("accessible", c["accessible"])))
    return out


def scores(kind: str, c: dict, today: dt.date) -> np.ndarray:
    if kind == "offer":
        age_days = (day_number(today) * 86400.0 - c["published"]) / 86400.0
        return scoring.offer_score(age_days, c["applications"], c["distance_km"])
    if kind == "company":
        return scoring.company_score(c["sector"], c["size"], c["hires"], c["distance_km"], c.get("reply"))
    started = (c["start"] != NO_DATE) & (c["start"] < day_number(today))
    return scoring.training_score(c["level"] > 0, started, c["distance_km"])


def _sorted_head(primary: np.ndarray, keys: tuple, limit: int | None) -> np.ndarray:
    """np.lexsort((*keys, primary)) cut to `limit`, sorting only the candidates that can reach the head.
    A key is an array, or a function of the candidates' indices (then computed for the head only)."""

    def values(key, at):
        return key(at) if callable(key) else key[at]

    n = len(primary)
    if limit is None or n <= 4 * limit:
        everything = slice(None)
        return np.lexsort((*(values(k, everything) for k in keys), primary))[:limit]
    threshold = np.partition(primary, limit - 1)[limit - 1]
    head = np.flatnonzero(primary <= threshold)  # every item tied with the limit-th is kept
    order = np.lexsort((*(values(k, head) for k in keys), primary[head]))
    return head[order][:limit]


def order(kind: str, c: dict, sort: str, score: np.ndarray, seed: int, limit: int | None = None) -> np.ndarray:
    """Indices of the candidates in display order (the first `limit` only when given); every ordering ends
    with the id, so it is total and pages never overlap."""
    ids, dist = c["id"], c["distance_km"]
    if sort == "distance" or (sort == "date" and kind == "company"):
        return _sorted_head(dist, (ids,), limit)
    if sort == "date":
        if kind == "offer":
            return _sorted_head(-c["published"], (ids, dist), limit)
        start = np.where(c["start"] == NO_DATE, np.iinfo(np.int32).max, c["start"]).astype(np.int64)
        return _sorted_head(start, (ids, dist), limit)
    if kind == "company":
        tier = scoring.score_tier(score)
        np.negative(tier, out=tier)
        # the daily hash of the ids, for the head only (the candidates that can reach the page)
        return _sorted_head(tier, (ids, lambda at: scoring.mix(ids[at], seed)), limit)
    if kind == "offer":
        return _sorted_head(-score, (ids, dist, c["applications"]), limit)
    return _sorted_head(-score, (ids, dist), limit)

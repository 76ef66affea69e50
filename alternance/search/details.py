"""What the detail pages ask of the search: why a company may hire apprentices, and similar offers nearby.

sector_reasons() reuses the search's own rule (scoring.sector_candidates: the occupation makes at least 2 % of the
sector's hirings, or the sector is the occupation's top one) and its wording (scoring.sector_phrase), so that a
company's page says what its search results said. The ROME x NAF table is read once per process and read again
after a new ReferenceLoad (checked at most every CHECK_SECONDS).
"""

import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from alternance.reference import sectors
from alternance.reference.models import ReferenceLoad

from . import scoring, services

CHECK_SECONDS = 60.0
MAX_REASONS = 5
SIMILAR_RADIUS_KM = 30.0

_lock = threading.Lock()
_state: dict = {"version": None, "checked": -1e9, "by_naf": None, "kind": ""}


@dataclass(frozen=True)
class SectorReason:
    """An occupation the company's sector hires for: share of the sector's hirings (None when the table has no
    hiring counts, only France Travail's list of occupations per NAF division)."""

    rome: str
    label: str
    share: float | None
    phrase: str

    @property
    def percent(self) -> str | None:
        """« 38 % », « 2,5 % » (French decimal comma) or None."""
        if self.share is None:
            return None
        value = self.share * 100
        return f"{scoring.decimal_fr(value, 0 if value >= 10 else 1)}\u00a0%"


def _build() -> tuple[dict[str, list[tuple[str, float | None]]], str]:
    weights, kind = sectors.rome_naf_weights()
    hirings: dict[str, dict[str, int]] = defaultdict(dict)
    naf_totals: dict[str, int] = defaultdict(int)
    for (rome, naf), count in weights.items():
        hirings[rome][naf] = count
        naf_totals[naf] += max(count, 0)
    by_naf: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for rome, candidates in scoring.sector_candidates(hirings).items():
        for naf in candidates:
            share = hirings[rome][naf] / naf_totals[naf] if kind == sectors.HIRINGS and naf_totals[naf] else None
            by_naf[naf].append((rome, share))
    for rows in by_naf.values():
        rows.sort(key=lambda row: (-(row[1] or 0.0), row[0]))
    return dict(by_naf), kind


def _table() -> dict[str, list[tuple[str, float | None]]]:
    now = time.monotonic()
    if _state["by_naf"] is None or now - _state["checked"] > CHECK_SECONDS:
        version = ReferenceLoad.objects.latest_version()
        with _lock:
            if _state["by_naf"] is None or version != _state["version"]:
                _state["by_naf"], _state["kind"] = _build()
                _state["version"] = version
            _state["checked"] = now
    return _state["by_naf"]


def sector_reasons(naf_code: str, limit: int = MAX_REASONS) -> list[SectorReason]:
    """The occupations for which companies of this NAF sous-classe come up in the search, best share first."""
    rows = _table().get(naf_code, [])[:limit]
    labels = services.rome_rows([rome for rome, _ in rows])
    return [
        SectorReason(rome, labels[rome][0], share, scoring.sector_phrase(labels[rome][0]))
        for rome, share in rows
        if rome in labels
    ]


def reset() -> None:
    """Forget the cached table (tests)."""
    with _lock:
        _state.update(version=None, checked=-1e9, by_naf=None, kind="")


def similar_offers(offer, limit: int = 4, radius_km: float = SIMILAR_RADIUS_KM) -> list:
    """Open offers for the same ROME around this offer (the search service, relevance order), itself excluded."""
    result = services.search(
        romes=[offer.rome_id], lat=offer.lat, lon=offer.lon, radius_km=radius_km, types={"offer"}, page_size=limit + 1
    )
    return [item for item in result.offers.items if item.id != offer.pk][:limit]

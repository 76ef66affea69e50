"""The in-process search index: a snapshot mapped from disk plus a live overlay of recent changes.

Per kind (offer, company, training) a KindTable holds:
    ids        int64, sorted: the searchable items (row r <-> ids[r])
    columns    "id" and one array per attribute (ranking.py lists them), aligned with the POINTS (point p is
               the item ids[points.row[p]]): a query gathers the columns of its candidates at increasing
               positions, mostly runs of neighbours, instead of at random rows (a training keyed by eight
               ROMEs has its attributes eight times: about 14 bytes a point)
    points     engine.KeyedPoints keyed by ROME (offers, trainings) or NAF sous-classe (companies)
    vocab      the key codes (key k <-> vocab[k])
    all_ids    every id of the table, searchable or not (to notice deletions)

Snapshot: `manage.py build_search_index` writes these arrays as .npy files in a new folder under
settings.SEARCH_INDEX_DIR and points the `current` symlink at it (atomic switch). A worker maps the files with
mmap_mode="r" on first use (no rebuild; the pages are shared by the worker processes); the k-d tree of a key
is built the first time a query touches it. Without a snapshot, the tables are built from the database.

Freshness (LiveKind.refresh, on the request path, at most every settings.SEARCH_FRESHNESS_SECONDS, default
2 s, for offers; every minute for companies and trainings, see POLL_FACTOR): when MAX(updated_at) of the table
moved, the rows updated since the last watermark (minus
SAFETY_SECONDS, for transactions that committed late) are read again: their snapshot rows are masked and the
searchable ones go into a small overlay table. Every COUNT_CHECK_FACTOR x the delay (60 s by default) the row
count is compared with the known ids: a deletion triggers a full reload from the database. Each worker process
polls the database on its own, so all workers converge within the freshness delay. When the overlay grows past
COMPACT_AT / 2 rows it is merged into the base (numpy only, no database); a mass change (more than COMPACT_AT
rows at once, e.g. a new seed_demo) reloads the table from the database instead.
"""

import datetime as dt
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from alternance.companies.models import Company
from alternance.offers.models import Offer
from alternance.offers.workflow import OfferStatus
from alternance.trainings.models import Training

from . import pages, sources
from .engine import KeyedPoints

SCHEMA = 4  # 2: points of a key sorted by latitude; 3: companies carry their reply rate; 4: point-aligned columns,
# the points' coordinates one column each and their band keys
SAFETY_SECONDS = 30
COMPACT_AT = 5_000
COUNT_CHECK_FACTOR = 30
EXPIRY_MARGIN = 32
POLL_FACTOR = {"offer": 1, "company": COUNT_CHECK_FACTOR, "training": COUNT_CHECK_FACTOR}
"""Offers are polled every freshness delay (2 s); companies and trainings, which change rarely and whose
updated_at has no index, every COUNT_CHECK_FACTOR delays (1 min)."""
"""The row count (deletions) is checked every COUNT_CHECK_FACTOR x the freshness delay (60 s by default)."""


def freshness_seconds() -> float:
    return float(getattr(settings, "SEARCH_FRESHNESS_SECONDS", 2.0))


ATTRS = {
    "offer": ("level", "start", "published", "expires", "applications", "accessible", "size"),
    "company": ("size", "hires", "accessible", "reply"),
    "training": ("level", "start"),
}


# ---------------------------------------------------------------------------------------------- tables
class KindTable:
    KEY_COLUMNS_CACHE = 64
    """Columns by key kept per table (a few bytes a key each), for the most recent mappings."""

    def __init__(self, ids, columns, points, vocab, all_ids):
        self.ids, self.columns, self.points, self.all_ids = ids, columns, points, all_ids
        self.vocab = list(vocab)
        self.key_of = {code: i for i, code in enumerate(self.vocab)}
        self.attr_names = [name for name in columns if name != "id"]
        self._by_key: dict[tuple[str, int], tuple[dict, np.ndarray]] = {}

    @classmethod
    def from_columns(cls, kind: str, cols: dict, all_ids) -> "KindTable":
        """From per-point columns (sources.*_columns): one row per distinct id, one point per (id, key)."""
        ids, first, rows = np.unique(cols["id"].astype(np.int64), return_index=True, return_inverse=True)
        vocab, keys = np.unique(np.asarray(cols["key"]).astype(str), return_inverse=True)
        vocab, keys = vocab.tolist(), keys.astype(np.int32)
        points = KeyedPoints.build(keys, cols["lat"], cols["lon"], rows, n_keys=len(vocab))
        row = np.asarray(points.row)
        columns = {"id": ids[row]}  # the attributes of a row are those of its first point (one item, one value)
        columns.update({name: np.ascontiguousarray(cols[name][first][row]) for name in ATTRS[kind]})
        return cls(ids, columns, points, vocab, np.unique(np.asarray(all_ids, dtype=np.int64)))

    def save(self, folder: Path, kind: str) -> None:
        np.save(folder / f"{kind}.ids.npy", self.ids)
        np.save(folder / f"{kind}.all_ids.npy", self.all_ids)
        for name, values in self.columns.items():
            np.save(folder / f"{kind}.column.{name}.npy", values)
        self.points.save(folder, f"{kind}.points")
        (folder / f"{kind}.vocab.json").write_text(json.dumps(self.vocab))

    @classmethod
    def load(cls, folder: Path, kind: str) -> "KindTable":
        def mapped(name):  # a plain ndarray view of the read-only map
            return np.asarray(np.load(folder / f"{kind}.{name}.npy", mmap_mode="r"))

        ids, all_ids = mapped("ids"), mapped("all_ids")
        columns = {name: mapped(f"column.{name}") for name in ("id", *ATTRS[kind])}
        points = KeyedPoints.load(folder, f"{kind}.points", mmap=True)
        vocab = json.loads((folder / f"{kind}.vocab.json").read_text())
        return cls(ids, columns, points, vocab, all_ids)

    def rows_of(self, ids) -> np.ndarray:
        """Rows of these ids (-1 where absent)."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(self.ids) == 0:
            return np.full(len(ids), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        return np.where(np.asarray(self.ids)[pos] == ids, pos, -1)

    def by_key(self, name: str, mapping: dict, dtype, default) -> np.ndarray:
        """The value of each key (mapping: code -> value), default for the others and at index -1 (the last).
        Kept for the mapping object given (SearchIndex reuses one per set of ROMEs)."""
        cached = self._by_key.get((name, id(mapping)))
        if cached is not None and cached[0] is mapping:
            return cached[1]
        by_key = np.full(len(self.vocab) + 1, default, dtype=dtype)
        known = [(self.key_of[code], value) for code, value in mapping.items() if code in self.key_of]
        if known:
            positions, values = zip(*known, strict=True)
            by_key[list(positions)] = values
        if len(self._by_key) >= self.KEY_COLUMNS_CACHE:
            self._by_key.clear()
        self._by_key[(name, id(mapping))] = (mapping, by_key)  # the mapping is kept: its id is not reused
        return by_key

    def query(self, codes, lat, lon, radius_km, k: int | None = None, dead=None, key_columns=None) -> dict:
        """Columns of the items of these key codes within the radius (the k nearest when k is given).

        key_columns: {name: (mapping code -> value, dtype, default)} adds columns computed from each item's key.
        """
        keys = [self.key_of[c] for c in codes if c in self.key_of]
        unique = len(self.points) != len(self.ids) and len(keys) > 1  # one point per row: nothing to dedup
        pos, dist = self.points.positions(keys, lat, lon, radius_km, k, unique_rows=unique)
        if dead is not None and len(pos):
            alive = ~dead[self.points.row[pos]]
            pos, dist = pos[alive], dist[alive]
        # take with mode="clip": the positions are valid, no bounds check (increasing ones when k is None)
        take = np.take
        out = {"id": take(self.columns["id"], pos, mode="clip"), "distance_km": dist}
        for name in self.attr_names:
            out[name] = take(self.columns[name], pos, mode="clip")
        if key_columns:
            if k is None:  # increasing positions: runs of points of one key, in key order
                per_key = np.diff(np.searchsorted(pos, self.points.offsets))
                for name, (mapping, dtype, default) in key_columns.items():
                    out[name] = np.repeat(self.by_key(name, mapping, dtype, default)[:-1], per_key)
            else:
                key = np.take(self.points.key, pos, mode="clip")
                for name, (mapping, dtype, default) in key_columns.items():
                    out[name] = self.by_key(name, mapping, dtype, default)[key]
        return out


def _concat(parts: list[dict]) -> dict:
    parts = [p for p in parts if p is not None]
    if len(parts) == 1:  # no overlay: the columns as they are (no copy)
        return parts[0]
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


# ---------------------------------------------------------------------------------------------- loaders
def _columns(kind: str, queryset) -> dict:
    """Per-point columns of the searchable rows of a queryset of this kind."""
    if kind == "offer":
        qs = queryset.filter(status=OfferStatus.PUBLISHED)
        return sources.offer_columns(sources.offer_rows(qs).iterator(chunk_size=20_000))
    if kind == "company":
        qs = queryset.filter(accepts_spontaneous=True)
        return sources.company_columns(sources.company_rows(qs).iterator(chunk_size=20_000))
    qs = queryset.filter(status=Training.Status.PUBLISHED, lat__isnull=False, lon__isnull=False)
    rows = list(sources.training_rows(qs).iterator(chunk_size=20_000))
    ids = [r.id for r in rows]
    romes = sources.training_romes(ids if len(ids) < 5000 else None)
    return sources.training_columns(rows, romes)


MODELS = {"offer": Offer, "company": Company, "training": Training}


def build_table(kind: str) -> tuple[KindTable, dict]:
    """A full table from the database, with its watermark metadata."""
    model = MODELS[kind]
    latest = model.objects.aggregate(m=Max("updated_at"))["m"]
    all_ids = list(model.objects.values_list("id", flat=True).iterator(chunk_size=50_000))
    table = KindTable.from_columns(kind, _columns(kind, model.objects.all()), all_ids)
    return table, {"latest": latest.isoformat() if latest else None}


# ---------------------------------------------------------------------------------------------- live state
@dataclass(frozen=True)
class State:
    base: KindTable
    dead: np.ndarray | None
    overlay: KindTable | None
    overlay_ids: frozenset
    extra_ids: frozenset  # ids created after the base (searchable or not)
    latest: dt.datetime | None


class LiveKind:
    def __init__(self, kind: str, base: KindTable, latest: dt.datetime | None):
        self.kind, self.model = kind, MODELS[kind]
        self.state = State(base, None, None, frozenset(), frozenset(), latest)
        self.lock = threading.Lock()
        self.checked_at = time.monotonic()
        self.counted_at = 0.0

    @property
    def known_total(self) -> int:
        return len(self.state.base.all_ids) + len(self.state.extra_ids)

    def refresh(self, force: bool = False) -> None:
        interval = freshness_seconds() * POLL_FACTOR[self.kind]
        now = time.monotonic()
        if not force and now - self.checked_at < interval:
            return
        with self.lock:
            self.checked_at = now
            latest = self.model.objects.aggregate(m=Max("updated_at"))["m"]
            if latest != self.state.latest:
                self._apply_changes(latest)
            if force or now - self.counted_at >= COUNT_CHECK_FACTOR * freshness_seconds():
                self.counted_at = now
                if self.model.objects.count() != self.known_total:
                    pages.forget(self.kind)
                    table, meta = build_table(self.kind)
                    self.state = State(table, None, None, frozenset(), frozenset(), _parse(meta["latest"]))

    def _apply_changes(self, latest) -> None:
        state = self.state
        since = (state.latest or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) - dt.timedelta(seconds=SAFETY_SECONDS)
        changed = self.model.objects.filter(updated_at__gte=since)
        changed_ids = np.array(list(changed.values_list("id", flat=True)), dtype=np.int64)
        pages.forget(self.kind, changed_ids.tolist())
        if len(changed_ids) + len(state.overlay_ids) > COMPACT_AT:  # a mass change: reload rather than patch
            table, meta = build_table(self.kind)
            self.state = State(table, None, None, frozenset(), frozenset(), _parse(meta["latest"]))
            return
        base = state.base
        dead = np.zeros(len(base.ids), dtype=bool) if state.dead is None else state.dead.copy()
        rows = base.rows_of(changed_ids)
        dead[rows[rows >= 0]] = True
        new_ids = set(changed_ids[~np.isin(changed_ids, base.all_ids)].tolist())
        overlay_ids = set(state.overlay_ids) | set(changed_ids.tolist())
        columns = _columns(self.kind, self.model.objects.filter(id__in=list(overlay_ids)))
        overlay = KindTable.from_columns(self.kind, columns, []) if len(columns["id"]) else None
        self.state = State(
            base, dead, overlay, frozenset(overlay_ids), state.extra_ids | frozenset(new_ids), latest or state.latest
        )
        if len(overlay_ids) > COMPACT_AT // 2:
            self._compact()

    def _compact(self) -> None:
        """Fold the overlay into the base, without the database."""
        state = self.state
        alive = np.ones(len(state.base.ids), bool) if state.dead is None else ~state.dead
        parts = [_table_columns(state.base, alive)]
        if state.overlay is not None:
            parts.append(_table_columns(state.overlay, np.ones(len(state.overlay.ids), bool)))
        all_ids = np.union1d(np.asarray(state.base.all_ids), np.fromiter(state.extra_ids, np.int64))
        table = KindTable.from_columns(self.kind, _concat(parts), all_ids)
        self.state = State(table, None, None, frozenset(), frozenset(), state.latest)

    def query(self, codes, lat, lon, radius_km, k=None, key_columns=None) -> dict:
        state = self.state
        parts = [state.base.query(codes, lat, lon, radius_km, k, state.dead, key_columns)]
        if state.overlay is not None:
            parts.append(state.overlay.query(codes, lat, lon, radius_km, k, None, key_columns))
        out = _concat(parts)
        if k is not None and len(parts) > 1 and len(out["id"]) > k:  # nearest of base and overlay together
            order = np.lexsort((out["id"], out["distance_km"]))[:k]
            out = {name: values[order] for name, values in out.items()}
        return out


def _table_columns(table: KindTable, alive: np.ndarray) -> dict:
    """Per-point columns of the alive rows of a table (for compaction)."""
    p = table.points
    keep = alive[p.row]
    xyz = np.asarray(p.xyz)[keep]
    cols = {
        "lat": np.degrees(np.arcsin(np.clip(xyz[:, 2], -1, 1))),
        "lon": np.degrees(np.arctan2(xyz[:, 1], xyz[:, 0])),
        "key": np.asarray(table.vocab, dtype=object)[np.asarray(p.key)[keep]],
    }
    for name, values in table.columns.items():  # "id" and the attributes, point-aligned
        cols[name] = np.asarray(values)[keep]
    return cols


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


# ---------------------------------------------------------------------------------------------- the index
class SearchIndex:
    """The source the search service reads: candidates(kind, romes, lat, lon, radius_km, now)."""

    KEY_COLUMNS_CACHE = 256

    def __init__(self, kinds: dict[str, LiveKind], origin: str):
        self.kinds, self.origin = kinds, origin
        self._weights, self._weights_at = None, 0.0
        self._key_columns: dict[tuple, tuple[list, dict]] = {}
        self._key_columns_of = None  # the weights they were computed from

    def sector_weights(self) -> dict[str, dict[str, float]]:
        """ROME x NAF weights (reference data), read again every COUNT_CHECK_FACTOR x the freshness delay."""
        now = time.monotonic()
        if self._weights is None or now - self._weights_at >= COUNT_CHECK_FACTOR * freshness_seconds():
            self._weights, self._weights_at = sources.rome_naf_weights(), now
        return self._weights

    def best_sectors(self, romes) -> dict[str, tuple[float, str]]:
        best: dict[str, tuple[float, str]] = {}
        weights = self.sector_weights()
        for rome in romes:
            for naf, weight in weights.get(rome, {}).items():
                if naf not in best or weight > best[naf][0]:
                    best[naf] = (weight, rome)
        return best

    def company_key_columns(self, romes) -> tuple[list[str], dict]:
        """(NAF codes, key columns) of the companies for these ROMEs, the same objects for the same ROMEs while
        the weights stay (the tables keep the columns by key built for them).

        sector: the best weight of the company's NAF over the ROMEs; sector_rome: the position in `romes` of
        the ROME giving it (an integer column: an array of strings as long as the candidates costs more)."""
        weights = self.sector_weights()
        if self._key_columns_of is not weights or len(self._key_columns) >= self.KEY_COLUMNS_CACHE:
            self._key_columns, self._key_columns_of = {}, weights
        found = self._key_columns.get(tuple(romes))
        if found is None:
            best = self.best_sectors(romes)
            position = {rome: i for i, rome in enumerate(romes)}
            key_columns = {
                "sector": ({naf: w for naf, (w, _) in best.items()}, np.float64, 0.0),
                "sector_rome": ({naf: position[rome] for naf, (_, rome) in best.items()}, np.int16, -1),
            }
            found = self._key_columns[tuple(romes)] = (list(best), key_columns)
        return found

    def refresh(self, force: bool = False) -> None:
        for live in self.kinds.values():
            live.refresh(force)

    def candidates(self, kind: str, romes, lat, lon, radius_km, now=None, k=None) -> dict:
        live = self.kinds[kind]
        live.refresh()
        if kind == "company":
            nafs, key_columns = self.company_key_columns(romes)
            return live.query(nafs, lat, lon, radius_km, k, key_columns)
        if kind != "offer":
            return live.query(list(romes), lat, lon, radius_km, k)
        # offers past their expiry date are dropped here (the expiry job may not have run yet)
        ask = None if k is None else k + EXPIRY_MARGIN
        while True:
            cols = live.query(list(romes), lat, lon, radius_km, ask)
            fresh = cols["expires"] > (now or timezone.now()).timestamp()
            if k is None or fresh.all() or len(cols["id"]) < ask or fresh.sum() >= k:
                break
            ask *= 4
        return {name: values[fresh][:k] for name, values in cols.items()}


# ---------------------------------------------------------------------------------------------- snapshots
def write_snapshot(folder: Path | None = None) -> Path:
    """Build every table from the database into a new folder and switch the `current` link to it."""
    root = Path(folder or settings.SEARCH_INDEX_DIR)
    root.mkdir(parents=True, exist_ok=True)
    target = root / f"snapshot-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}"
    target.mkdir()
    meta = {"schema": SCHEMA, "built_at": timezone.now().isoformat(), "kinds": {}}
    for kind in MODELS:
        table, kind_meta = build_table(kind)
        table.save(target, kind)
        meta["kinds"][kind] = kind_meta | {"items": len(table.ids), "points": len(table.points)}
    (target / "meta.json").write_text(json.dumps(meta, indent=1))
    link = root / "current"
    tmp = root / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target.name)
    os.replace(tmp, link)
    for old in sorted(p for p in root.glob("snapshot-*") if p != target)[:-1]:  # keep the previous one
        for f in old.iterdir():
            f.unlink()
        old.rmdir()
    return target


def load_snapshot(folder: Path | None = None) -> SearchIndex | None:
    current = Path(folder or settings.SEARCH_INDEX_DIR) / "current"
    meta_file = current / "meta.json"
    if not meta_file.exists():
        return None
    meta = json.loads(meta_file.read_text())
    if meta.get("schema") != SCHEMA:
        return None
    kinds = {}
    for kind in MODELS:
        latest = _parse(meta["kinds"][kind]["latest"])
        db_latest = MODELS[kind].objects.aggregate(m=Max("updated_at"))["m"]
        if latest is not None and (db_latest is None or db_latest < latest):
            return None  # the snapshot is newer than this database: it belongs to another one
        kinds[kind] = LiveKind(kind, KindTable.load(current.resolve(), kind), latest)
    return SearchIndex(kinds, origin=str(current.resolve()))


def build_index() -> SearchIndex:
    kinds = {}
    for kind in MODELS:
        table, meta = build_table(kind)
        kinds[kind] = LiveKind(kind, table, _parse(meta["latest"]))
    return SearchIndex(kinds, origin="database")


_INDEX: SearchIndex | None = None
_INDEX_LOCK = threading.Lock()


def get_source() -> SearchIndex:
    """The process-wide index: the snapshot when there is one, else built from the database."""
    global _INDEX
    if _INDEX is None:
        with _INDEX_LOCK:
            if _INDEX is None:
                _INDEX = load_snapshot() or build_index()
    return _INDEX


def reset() -> None:
    """Forget the process-wide index (tests, or after writing a snapshot)."""
    global _INDEX
    _INDEX = None

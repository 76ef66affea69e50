"""In-process spatial index: points grouped by key, one k-d tree per key (pure numpy/scipy, no Django).

Layout. A KeyedPoints holds N points sorted by an integer key (0 <= key < n_keys):
    key  int32  (N,)     the group (a ROME for offers and trainings, a NAF sous-classe for companies)
    xyz  float64 (N, 3)  unit vectors of the points (geo.unit_vectors): Euclidean distance = chord
    x, y, z float64 (N,) the same coordinates one column each (band scans gather three 1-D columns, about
                         1.6 times faster than rows of xyz; the k-d trees keep xyz)
    band float64 (N,)    key * BAND_STRIDE + z, sorted: one binary search finds a key's latitude band
    row  int32  (N,)     the row of the item in its attribute table (several points may share a row:
                         a training prepared for two ROMEs has two points)
    offsets int64 (n_keys + 1,)  points of key k are [offsets[k], offsets[k + 1])
The arrays can come from .npy files opened with mmap_mode="r" (KeyedPoints.load): a worker process maps the
snapshot and builds the k-d tree of a key the first time a query needs it (cKDTree over the mapped slice),
so starting a worker costs no rebuild and the pages are shared between processes by the OS.

Points of a key are sorted by latitude. Queries take a list of keys, a centre and a radius; the radius becomes
a chord on the unit sphere (chord and arc are monotonic, so answers are exact great-circle answers).
    within()   every point within the radius, with its row, key and distance: a scan of the
               latitude band [lat - r, lat + r] of each key (binary searches over key * 4 + z for all the keys
               at once, then vectorised distances), which beats a tree when the answer is large (100 km
               around Paris) and needs no tree at all; positions() gives the points' positions instead, in
               increasing order (the caller gathers point-aligned columns in one forward pass);
    nearest()  at most k points within the radius, nearest first, ties broken by row: the key's k-d tree;
               for a query over many keys (a ROME that hundreds of NAF sous-classes hire for), the tree of
               all the points, asked for more neighbours until k of them belong to the keys.
Distances come back in km.
Points sharing a row (one training, several ROMEs) are deduplicated: a row appears once, at its distance.
"""

from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

from alternance.core.geo import EARTH_RADIUS_KM, chord_to_km, km_to_chord, unit_vectors

SMALL_GROUP = 48
"""Groups with at most this many points are scanned directly (a tree would cost more than it saves)."""
WIDE_QUERY_KEYS = 16
"""nearest() over more keys than this (a ROME that many sectors hire for) asks one tree of all the points and
keeps those of the wanted keys, instead of one tree per key, when these keys hold WIDE_QUERY_SHARE of the points."""
WIDE_QUERY_SHARE = 0.03
BAND_STRIDE = 4.0
"""Band scans search key * BAND_STRIDE + z: bands of different keys never overlap since |z| <= 1."""
BAND_MARGIN = 1e-9
"""Widening of the latitude band, far above the rounding of key * BAND_STRIDE + z (the exact chord test follows)."""


def _square_limit(chord: float) -> float:
    """The largest float s with sqrt(s) <= chord (square roots are correctly rounded, hence monotonic): the
    test squared <= _square_limit(chord) keeps exactly the points that sqrt(squared) <= chord keeps."""
    s = np.float64(chord) * np.float64(chord)
    while s > 0 and np.sqrt(s) > chord:
        s = np.nextafter(s, 0.0)
    while np.sqrt(np.nextafter(s, np.inf)) <= chord:
        s = np.nextafter(s, np.inf)
    return float(s)


class KeyedPoints:
    FILES = ("key", "xyz", "row", "offsets", "x", "y", "z", "band")

    def __init__(self, key, xyz, row, offsets, x=None, y=None, z=None, band=None):
        self.key, self.xyz, self.row, self.offsets = key, xyz, row, offsets
        if x is None:  # built in memory: the columns of xyz and the band keys
            x, y, z = (np.ascontiguousarray(xyz[:, i]) for i in range(3))
            band = key.astype(np.float64) * BAND_STRIDE + z
        self.x, self.y, self.z, self.band = x, y, z, band
        self.n_keys = len(offsets) - 1
        self._trees: dict[int, cKDTree] = {}
        self._all: cKDTree | None = None

    # ------------------------------------------------------------------------------------------ building
    @classmethod
    def build(cls, keys, lat, lon, rows, n_keys: int) -> "KeyedPoints":
        keys = np.asarray(keys, dtype=np.int32)
        rows = np.asarray(rows, dtype=np.int32)
        lat = np.asarray(lat, dtype=np.float64)
        order = np.lexsort((rows, lat, keys))  # by key, then south to north (band scans), then row
        key = np.ascontiguousarray(keys[order])
        xyz = np.ascontiguousarray(unit_vectors(lat[order], np.asarray(lon)[order]))
        offsets = np.searchsorted(key, np.arange(n_keys + 1), side="left").astype(np.int64)
        return cls(key, xyz.reshape(-1, 3), np.ascontiguousarray(rows[order]), offsets)

    @classmethod
    def empty(cls, n_keys: int = 0) -> "KeyedPoints":
        return cls.build([], [], [], [], n_keys)

    def save(self, folder: Path, prefix: str) -> None:
        for name in self.FILES:
            np.save(folder / f"{prefix}.{name}.npy", getattr(self, name))

    @classmethod
    def load(cls, folder: Path, prefix: str, mmap: bool = True) -> "KeyedPoints":
        mode = "r" if mmap else None
        # plain ndarray views of the maps: indexing a np.memmap subclass costs more
        arrays = [np.asarray(np.load(folder / f"{prefix}.{name}.npy", mmap_mode=mode)) for name in cls.FILES]
        return cls(*arrays)

    def __len__(self) -> int:
        return len(self.key)

    def count_of(self, k: int) -> int:
        return int(self.offsets[k + 1] - self.offsets[k]) if 0 <= k < self.n_keys else 0

    def tree(self, k: int) -> cKDTree:
        tree = self._trees.get(k)
        if tree is None:
            start, end = int(self.offsets[k]), int(self.offsets[k + 1])
            data = np.ascontiguousarray(self.xyz[start:end], dtype=np.float64)
            tree = cKDTree(data, leafsize=32, balanced_tree=False, compact_nodes=False, copy_data=False)
            self._trees[k] = tree
        return tree

    def warm(self, keys=None) -> None:
        """Build the trees of these keys (all, and the tree of all points, by default) now, not on first use."""
        for k in range(self.n_keys) if keys is None else keys:
            if self.count_of(k) > SMALL_GROUP:
                self.tree(k)
        if keys is None and len(self.key):
            self._all_tree()

    # ------------------------------------------------------------------------------------------ queries
    def _group(self, k: int, q: np.ndarray, chord: float, k_max: int | None):
        """(positions, chords) of points of group k within chord of q; with k_max, only the k_max nearest
        (plus any point tied with the k_max-th, so that ties can be broken by row afterwards)."""
        start, end = int(self.offsets[k]), int(self.offsets[k + 1])
        n = end - start
        if n == 0:
            return None
        if n <= SMALL_GROUP:
            idx = np.arange(n)
        else:
            tree = self.tree(k)
            bound = chord * (1 + 1e-9)
            idx = None
            if k_max is not None and k_max < n:
                d, found = tree.query(q, k=k_max + 1, distance_upper_bound=bound)
                if not np.isfinite(d[k_max]) or d[k_max] > d[k_max - 1]:
                    idx = found[:k_max][np.isfinite(d[:k_max])]
                else:  # a tie at the k_max-th place: take every point at that distance
                    bound = min(bound, float(d[k_max]) * (1 + 1e-9))
            if idx is None:
                idx = np.asarray(tree.query_ball_point(q, bound, return_sorted=False), dtype=np.int64)
            if len(idx) == 0:
                return None
        d = np.sqrt(((np.take(self.xyz, start + idx, axis=0) - q) ** 2).sum(axis=1))
        ok = d <= chord
        return start + idx[ok], d[ok]

    def _bands(self, keys, q: np.ndarray, chord: float, z_low: float, z_high: float):
        """(positions, chords) of the points of these keys (sorted: positions come out increasing) within
        chord of q, scanning only the latitude band of each key (z = sin(latitude) is sorted within a key):
        two vectorised binary searches over `band` for all the keys, then the distances of every band at once."""
        base = np.asarray(keys, dtype=np.float64) * BAND_STRIDE
        a = np.searchsorted(self.band, base + (z_low - BAND_MARGIN), side="left")
        b = np.searchsorted(self.band, base + (z_high + BAND_MARGIN), side="right")
        lengths = np.maximum(b - a, 0)
        total = int(lengths.sum())
        if total == 0:
            return None
        ends = np.cumsum(lengths)
        pos = np.repeat(a - (ends - lengths), lengths) + np.arange(total)  # the bands, one after the other
        # Squared chords from the three columns, summed as (dx² + dz²) + dy²: the very numbers that
        # np.einsum("ij,ij->i") gave over rows of xyz (kept so that every distance stays the same to the bit).
        squared = np.take(self.x, pos, mode="clip")  # positions are valid: no bounds check
        squared -= q[0]
        squared *= squared
        other = np.take(self.z, pos, mode="clip")
        other -= q[2]
        other *= other
        squared += other
        np.take(self.y, pos, out=other, mode="clip")
        other -= q[1]
        other *= other
        squared += other
        # the same test as always, d = sqrt(squared) <= chord, on the squares: one pass, square roots of the kept
        ok = np.flatnonzero(squared <= _square_limit(chord))
        return pos[ok], np.sqrt(squared[ok])

    def _collect(self, keys, lat: float, lon: float, radius_km: float, k_max: int | None):
        q = unit_vectors([lat], [lon])[0]
        chord = km_to_chord(radius_km)
        keys = np.asarray(keys, dtype=np.int64).reshape(-1)
        keys = np.sort(keys[(keys >= 0) & (keys < self.n_keys)])  # in order: positions come out increasing
        if k_max is None:  # everything within the radius: a band scan beats a tree for large answers
            angle = min(np.pi, radius_km / EARTH_RADIUS_KM) * (1 + 1e-9)
            phi = np.radians(lat)
            z_low = np.sin(max(-np.pi / 2, phi - angle)) - 1e-12
            z_high = np.sin(min(np.pi / 2, phi + angle)) + 1e-12
            parts = [self._bands(keys, q, chord, z_low, z_high)] if len(keys) else []
        else:
            parts = [self._group(k, q, chord, k_max) for k in keys.tolist()]
        parts = [p for p in parts if p is not None]
        if not parts:
            return np.empty(0, np.int64), np.empty(0, np.float64)
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def _dedup(self, pos: np.ndarray, d: np.ndarray, in_order: bool = False):
        """One point per row: the nearest (lowest key on equal distance); in_order keeps the points' order."""
        rows = self.row[pos]
        order = np.lexsort((pos, d, rows))
        rows_sorted = rows[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = rows_sorted[1:] != rows_sorted[:-1]
        keep = order[first]
        if in_order:
            keep.sort()
        return pos[keep], d[keep]

    def positions(self, keys, lat: float, lon: float, radius_km: float, k: int | None = None, unique_rows=True):
        """(positions, distances_km) of the points within radius_km: all of them in increasing position
        (k None), or the k nearest, nearest first (then by row)."""
        if k is not None:
            pos, d = self._nearest(keys, lat, lon, radius_km, k, unique_rows)
            return pos, chord_to_km(d)
        pos, d = self._collect(keys, lat, lon, radius_km, None)
        if unique_rows and len(pos):
            pos, d = self._dedup(pos, d, in_order=True)
        return pos, chord_to_km(d)

    def within(self, keys, lat: float, lon: float, radius_km: float, unique_rows: bool = True):
        """(rows, keys, distances_km) of every point within radius_km, in no particular order."""
        pos, d = self.positions(keys, lat, lon, radius_km, None, unique_rows)
        return self.row[pos].astype(np.int64), self.key[pos].astype(np.int64), d

    def _share(self, keys) -> float:
        """Share of all the points that belong to these keys."""
        return sum(self.count_of(int(x)) for x in keys) / max(len(self.key), 1)

    def _all_tree(self) -> cKDTree:
        if self._all is None:
            data = np.ascontiguousarray(self.xyz, dtype=np.float64)
            self._all = cKDTree(data, leafsize=32, balanced_tree=False, compact_nodes=False, copy_data=False)
        return self._all

    def _wide(self, keys, lat: float, lon: float, radius_km: float, k: int):
        """(positions, chords) of the k nearest points of these keys (plus ties) from the tree of all points:
        ask for more and more neighbours until k of them belong to the keys and none can be missing."""
        q = unit_vectors([lat], [lon])[0]
        chord = km_to_chord(radius_km)
        wanted = np.zeros(self.n_keys + 1, dtype=bool)
        wanted[[int(x) for x in keys if 0 <= int(x) < self.n_keys]] = True
        n = len(self.key)
        share = max(self._share(keys), 1e-4)
        ask = min(n, max(2 * k, int(1.5 * k / share) + 1))
        tree = self._all_tree()
        while True:
            d, idx = tree.query(q, k=ask, distance_upper_bound=chord * (1 + 1e-9))
            d, idx = np.atleast_1d(d), np.atleast_1d(idx)
            finite = np.isfinite(d)
            complete = not finite.all() or ask >= n  # every point within the radius was returned
            pos = idx[finite][wanted[self.key[idx[finite]]]]
            diff = self.xyz[pos] - q
            dist = np.sqrt(np.einsum("ij,ij->i", diff, diff))
            inside = dist <= chord
            pos, dist = pos[inside], dist[inside]
            if complete:
                return pos, dist
            if len(pos) >= k:
                kth = np.partition(dist, k - 1)[k - 1]
                if d[-1] > kth * (1 + 1e-9):  # any point not returned is farther than the k-th: done
                    return pos, dist
            ask = min(n, ask * 4)

    def _nearest(self, keys, lat: float, lon: float, radius_km: float, k: int, unique_rows: bool = True):
        """(positions, chords) of the k nearest points within radius_km, nearest first (then by row)."""
        if len(keys) > WIDE_QUERY_KEYS and self._share(keys) >= WIDE_QUERY_SHARE:
            pos, d = self._wide(keys, lat, lon, radius_km, k)
        else:
            pos, d = self._collect(keys, lat, lon, radius_km, k)
        if unique_rows and len(pos):
            pos, d = self._dedup(pos, d)
        if len(d) > 2 * k:
            keep = d <= np.partition(d, k - 1)[k - 1]
            pos, d = pos[keep], d[keep]
        rows = self.row[pos]
        order = np.lexsort((rows, d))[:k]
        return pos[order], d[order]

    def nearest(self, keys, lat: float, lon: float, radius_km: float, k: int, unique_rows: bool = True):
        """(rows, keys, distances_km) of the k nearest points within radius_km, nearest first (then by row)."""
        pos, d = self.positions(keys, lat, lon, radius_km, k, unique_rows)
        return self.row[pos].astype(np.int64), self.key[pos].astype(np.int64), d

    def count(self, keys, lat: float, lon: float, radius_km: float) -> int:
        """Number of distinct rows within radius_km."""
        return len(self.within(keys, lat, lon, radius_km)[0])

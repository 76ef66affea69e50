"""The spatial index against a brute-force reference (haversine over every point) on random data."""

import numpy as np
import pytest

from alternance.core import geo
from alternance.search import engine
from alternance.search.engine import SMALL_GROUP, KeyedPoints


def _random_points(rng, n, n_keys, n_rows):
    # France-like box, with exact duplicates (companies at a commune centroid share coordinates)
    lat = rng.uniform(42.0, 51.0, n)
    lon = rng.uniform(-4.5, 8.0, n)
    dup = rng.random(n) < 0.2
    src = rng.integers(0, n, n)
    lat[dup], lon[dup] = lat[src[dup]], lon[src[dup]]
    # popular keys get many points (trees), rare keys few (direct scan)
    weights = 0.55 ** np.arange(n_keys)
    keys = rng.choice(n_keys, n, p=weights / weights.sum())
    rows = rng.integers(0, n_rows, n)
    # one row per (key, row) pair at most, all points of a row at the same place
    _, first = np.unique(np.stack([keys, rows], axis=1), axis=0, return_index=True)
    keys, rows = keys[first], rows[first]
    row_lat, row_lon = rng.uniform(42.0, 51.0, n_rows), rng.uniform(-4.5, 8.0, n_rows)
    row_lat[: n_rows // 5] = row_lat[0]  # a fifth of the rows at one place: ties
    row_lon[: n_rows // 5] = row_lon[0]
    return keys, row_lat[rows], row_lon[rows], rows


def _brute(keys, lat, lon, rows, query_keys, qlat, qlon, radius):
    d = geo.haversine_km_array(qlat, qlon, lat, lon)
    ok = np.isin(keys, query_keys) & (d <= radius)
    best = {}
    for r, dist in zip(rows[ok], d[ok], strict=True):
        best[int(r)] = min(best.get(int(r), np.inf), float(dist))
    return sorted(best.items(), key=lambda rd: (rd[1], rd[0]))


@pytest.mark.parametrize("seed,wide", [(1, False), (2, False), (3, False), (4, True), (5, True)])
def test_within_and_nearest_match_brute_force(seed, wide, monkeypatch):
    if wide:  # queries over several keys go through the tree of all points
        monkeypatch.setattr(engine, "WIDE_QUERY_KEYS", 1)
        monkeypatch.setattr(engine, "WIDE_QUERY_SHARE", 0.0)
    rng = np.random.default_rng(seed)
    keys, lat, lon, rows = _random_points(rng, 6000, 12, 4000)
    index = KeyedPoints.build(keys, lat, lon, rows, n_keys=12)
    assert max(index.count_of(k) for k in range(12)) > SMALL_GROUP  # both code paths are exercised
    assert min(index.count_of(k) for k in range(12)) <= SMALL_GROUP
    for _ in range(40):
        query_keys = rng.choice(12, size=rng.integers(1, 4), replace=False)
        tied = int(np.flatnonzero(rows < 800)[0])  # rows below n_rows // 5 share one place
        qlat, qlon = (lat[tied], lon[tied]) if rng.random() < 0.3 else (rng.uniform(42, 51), rng.uniform(-4.5, 8))
        radius = float(rng.uniform(5, 150))
        expected = _brute(keys, lat, lon, rows, query_keys, qlat, qlon, radius)

        got_rows, got_keys, got_d = index.within(query_keys, qlat, qlon, radius)
        order = np.lexsort((got_rows, got_d))
        assert [int(r) for r in got_rows[order]] == [r for r, _ in expected]
        np.testing.assert_allclose(got_d[order], [d for _, d in expected], atol=1e-6)
        assert set(got_keys.tolist()) <= set(query_keys.tolist())

        k = int(rng.integers(1, 60))
        near_rows, _, near_d = index.nearest(query_keys, qlat, qlon, radius, k)
        assert [int(r) for r in near_rows] == [r for r, _ in expected[:k]]
        np.testing.assert_allclose(near_d, [d for _, d in expected[:k]], atol=1e-6)


def test_snapshot_roundtrip_memory_mapped(tmp_path):
    rng = np.random.default_rng(7)
    keys, lat, lon, rows = _random_points(rng, 2000, 5, 1500)
    built = KeyedPoints.build(keys, lat, lon, rows, n_keys=5)
    built.save(tmp_path, "offer")
    loaded = KeyedPoints.load(tmp_path, "offer", mmap=True)
    assert isinstance(loaded.xyz.base, np.memmap)  # a view of the map, not a copy
    for k in range(5):
        a = built.nearest([k], 46.5, 2.5, 300, 25)
        b = loaded.nearest([k], 46.5, 2.5, 300, 25)
        assert a[0].tolist() == b[0].tolist() and len(a[0]) > 0


def test_unknown_and_empty_keys_give_nothing():
    index = KeyedPoints.build([0, 0], [45.0, 45.1], [4.0, 4.1], [0, 1], n_keys=3)
    assert len(index.within([2, 7, -1], 45.0, 4.0, 50)[0]) == 0
    assert index.nearest([0], 45.0, 4.0, 50, 5)[0].tolist() == [0, 1]
    assert KeyedPoints.empty(2).count([0, 1], 45.0, 4.0, 100) == 0


def test_band_scan_keeps_points_on_the_edge_of_the_radius_for_every_key():
    """Points due north and due south of the centre, just inside the radius, in several adjacent keys."""
    radius = 50.0
    dlat = np.degrees(radius / geo.EARTH_RADIUS_KM) * (1 - 1e-9)
    keys = np.repeat(np.arange(5), 3)
    lat = np.tile([45.0 - dlat, 45.0, 45.0 + dlat], 5)
    lon = np.full(15, 4.0)
    index = KeyedPoints.build(keys, lat, lon, np.arange(15), n_keys=6)
    rows, got_keys, d = index.within([4, 0, 2, 5], 45.0, 4.0, radius)
    assert sorted(rows.tolist()) == [0, 1, 2, 6, 7, 8, 12, 13, 14]
    assert set(got_keys.tolist()) == {0, 2, 4}
    assert d.max() <= radius
    outside = index.within([0], 45.0, 4.0, radius * (1 - 1e-6))[0]
    assert sorted(outside.tolist()) == [1]


def test_square_limit_keeps_exactly_what_the_square_root_keeps():
    """The band scan tests squared chords against _square_limit(chord) instead of sqrt(squared) <= chord."""
    rng = np.random.default_rng(3)
    for chord in [0.0, 2.0, *rng.uniform(1e-7, 0.05, 500)]:
        limit = engine._square_limit(chord)
        around = [limit]
        for _ in range(3):
            around = [np.nextafter(around[0], 0.0), *around, np.nextafter(around[-1], np.inf)]
        for s in around:
            assert (np.sqrt(s) <= chord) == (s <= limit), (chord, s)


def test_positions_come_in_increasing_order_with_the_same_points_as_within():
    rng = np.random.default_rng(8)
    keys, lat, lon, rows = _random_points(rng, 5000, 9, 3000)
    index = KeyedPoints.build(keys, lat, lon, rows, n_keys=9)
    for _ in range(20):
        query_keys = rng.choice(9, size=rng.integers(1, 5), replace=False)  # not sorted
        qlat, qlon, radius = rng.uniform(42, 51), rng.uniform(-4.5, 8), float(rng.uniform(5, 200))
        for unique in (False, True):
            pos, d = index.positions(query_keys, qlat, qlon, radius, unique_rows=unique)
            assert (np.diff(pos) > 0).all()
            got_rows, _, got_d = index.within(query_keys, qlat, qlon, radius, unique_rows=unique)
            assert index.row[pos].tolist() == got_rows.tolist() and d.tolist() == got_d.tolist()
            point_lat = np.degrees(np.arcsin(index.z[pos]))
            point_lon = np.degrees(np.arctan2(index.y[pos], index.x[pos]))
            np.testing.assert_allclose(d, geo.haversine_km_array(qlat, qlon, point_lat, point_lon), atol=1e-6)


def test_band_scan_gives_the_distances_of_the_rows_of_xyz_to_the_bit():
    """The scan over the x, y, z columns sums the squares as np.einsum did over rows of xyz."""
    rng = np.random.default_rng(4)
    keys, lat, lon, rows = _random_points(rng, 8000, 4, 6000)
    index = KeyedPoints.build(keys, lat, lon, rows, n_keys=4)
    q = geo.unit_vectors([46.0], [2.0])[0]
    chord = geo.km_to_chord(400)
    pos, d = index._bands([0, 1, 2, 3], q, chord, -1.0, 1.0)
    diff = index.xyz[pos] - q
    assert len(pos) > 1000
    assert d.tolist() == np.sqrt(np.einsum("ij,ij->i", diff, diff)).tolist()

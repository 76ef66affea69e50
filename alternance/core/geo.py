"""Geodesy helpers (pure, no database): great-circle distance, bounding box, unit vectors.

Distances are great-circle distances on a sphere of radius EARTH_RADIUS_KM (the mean Earth radius of
IUGG); the error against the WGS84 ellipsoid is below 0.5 %, well under the one-decimal display.
"""

import math

import numpy as np

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), the usual radius for the haversine formula."""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in decimal degrees (haversine formula)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_array(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Vectorised haversine from one point to arrays of points (km)."""
    phi1 = np.radians(lat1)
    phi2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dphi = phi2 - phi1
    dlmb = np.radians(np.asarray(lon2, dtype=np.float64) - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box that contains every point within radius_km.

    Longitude span uses the latitude of the box edge closest to a pole, so the box is never too small.
    Near a pole (or for huge radii) the longitude span is the whole circle.
    """
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = max(abs(min_lat), abs(max_lat))
    if widest >= 89.9:
        return min_lat, max_lat, -180.0, 180.0
    ratio = math.sin(radius_km / EARTH_RADIUS_KM) / math.cos(math.radians(widest))
    dlon = 180.0 if ratio >= 1 else math.degrees(math.asin(ratio))
    return min_lat, max_lat, max(-180.0, lon - dlon), min(180.0, lon + dlon)


def unit_vectors(lat, lon) -> np.ndarray:
    """(N, 3) unit vectors of points given in degrees: Euclidean distance between them is the chord."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lmb = np.radians(np.asarray(lon, dtype=np.float64))
    cos_phi = np.cos(phi)
    return np.stack([cos_phi * np.cos(lmb), cos_phi * np.sin(lmb), np.sin(phi)], axis=-1)


def km_to_chord(km: float) -> float:
    """Chord length (unit sphere) of a great-circle distance in km."""
    return 2.0 * math.sin(min(math.pi, km / EARTH_RADIUS_KM) / 2.0)


def chord_to_km(chord):
    """Great-circle distance in km of chord lengths on the unit sphere (scalar or array; an array is computed
    in place on one new array: the search converts every candidate's chord)."""
    km = np.divide(chord, 2.0, dtype=np.float64)
    if np.ndim(km) == 0:
        return 2.0 * EARTH_RADIUS_KM * np.arcsin(min(1.0, km))
    np.minimum(km, 1.0, out=km)
    np.arcsin(km, out=km)
    km *= 2.0 * EARTH_RADIUS_KM
    return km

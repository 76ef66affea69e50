"""Scoring rules, rotation and reasons (pure, table-driven)."""

import datetime as dt

import numpy as np
import pytest

from alternance.core import geo
from alternance.search import scoring


@pytest.mark.parametrize(
    "a,b,expected_km",
    [
        ((48.85659, 2.34292), (45.7549, 4.8364), 392.0),  # Paris - Lyon centroids (communes_fr.csv)
        ((45.7549, 4.8364), (43.2916, 5.42057), 277.0),  # Lyon - Marseille
        ((45.7549, 4.8364), (45.7549, 4.8364), 0.0),
    ],
)
def test_haversine(a, b, expected_km):
    assert geo.haversine_km(*a, *b) == pytest.approx(expected_km, abs=1.0)
    assert geo.chord_to_km(np.linalg.norm(geo.unit_vectors(*a) - geo.unit_vectors(*b))) == pytest.approx(
        geo.haversine_km(*a, *b), abs=1e-6
    )


@pytest.mark.parametrize("lat,lon,radius", [(45.75, 4.84, 30), (48.86, 2.34, 100), (43.3, 5.4, 1)])
def test_bounding_box_contains_the_circle(lat, lon, radius):
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(lat, lon, radius)
    bearings = np.radians(np.arange(0, 360, 5))
    d = radius / geo.EARTH_RADIUS_KM
    phi, lmb = np.radians(lat), np.radians(lon)
    lat2 = np.arcsin(np.sin(phi) * np.cos(d) + np.cos(phi) * np.sin(d) * np.cos(bearings))
    lon2 = lmb + np.arctan2(np.sin(bearings) * np.sin(d) * np.cos(phi), np.cos(d) - np.sin(phi) * np.sin(lat2))
    assert (np.degrees(lat2) >= min_lat - 1e-9).all() and (np.degrees(lat2) <= max_lat + 1e-9).all()
    assert (np.degrees(lon2) >= min_lon - 1e-9).all() and (np.degrees(lon2) <= max_lon + 1e-9).all()


# Real codes (rome/cr_gd_dp_v4_utf8.csv, naf/naf_rev2_sous_classes.csv), illustrative hirings.
HIRINGS = {
    "D1102": {"10.71C": 9364, "47.11F": 1488},
    "D1106": {"10.71C": 7594, "47.11F": 2909, "03.22Z": 3},
    "K2204": {"47.11F": 90000},
    "D1101": {"47.11F": 1000, "10.71C": 100},
}


def test_sector_candidates_threshold_and_weights():
    weights = scoring.sector_candidates(HIRINGS)
    # 10.71C: 17,058 hirings; D1102 makes 55 % of them
    assert weights["D1102"] == {"10.71C": 1.0}  # 1,488 of 95,397 hypermarket hirings: 1.6 %, under 2 %
    assert weights["D1106"]["47.11F"] == pytest.approx(2909 / 7594)  # 3.0 % of hypermarket hirings
    assert weights["D1106"]["03.22Z"] == pytest.approx(3 / 7594)  # all of that sector's hirings
    assert weights["K2204"] == {"47.11F": 1.0}
    # no sector reaches 2 % for D1101: it keeps the one that hires most for it
    assert weights["D1101"] == {"47.11F": 1.0}
    assert scoring.sector_candidates({}) == {}


@pytest.mark.parametrize(
    "better,worse",
    [
        # (sector, size band, hires, km)
        ((1.0, "12", 0, 5.0), (0.2, "12", 0, 5.0)),  # stronger sector
        ((1.0, "12", 0, 5.0), (1.0, "00", 0, 5.0)),  # a 10-49 establishment over a no-employee one
        ((1.0, "02", 3, 5.0), (1.0, "02", 0, 5.0)),  # already hired on the platform
        ((1.0, "12", 0, 2.0), (1.0, "12", 0, 20.0)),  # nearer
    ],
)
def test_company_score_orders(better, worse):
    def score(sector, band, hires, km):
        return float(scoring.company_score(sector, scoring.SIZE_BANDS.index(band), hires, km))

    assert score(*better) > score(*worse)


@pytest.mark.parametrize(
    "better,worse",
    [
        ((1, 0, 5.0), (40, 0, 5.0)),  # fresher (age in days, applications, km)
        ((1, 2, 5.0), (1, 25, 5.0)),  # fewer applications
        ((1, 0, 3.0), (1, 0, 30.0)),  # nearer
    ],
)
def test_offer_score_orders(better, worse):
    assert float(scoring.offer_score(*better)) > float(scoring.offer_score(*worse))


def test_offer_freshness_has_a_floor():
    assert float(scoring.offer_score(1000, 0, 0.0)) == pytest.approx(scoring.FRESHNESS_FLOOR)


def test_training_score_prefers_known_level_and_not_started():
    assert float(scoring.training_score(True, False, 5.0)) > float(scoring.training_score(False, False, 5.0))
    assert float(scoring.training_score(True, False, 5.0)) > float(scoring.training_score(True, True, 5.0))


def test_rotation_is_stable_within_a_day_and_changes_across_days():
    ids = np.arange(1, 201)
    scores = np.full(200, 0.5)
    scores[:10] = 2.0  # a clearly better tier stays first whatever the day
    day = dt.date(2027, 3, 1)
    seed = scoring.daily_seed(day, ["D1102"], 45.75, 4.84)
    first = scoring.rotated_order(scores, ids, seed)
    again = scoring.rotated_order(scores, ids, scoring.daily_seed(day, ["D1102"], 45.75, 4.84))
    assert first.tolist() == again.tolist()
    assert set(first[:10].tolist()) == set(range(10))
    next_day = scoring.rotated_order(
        scores, ids, scoring.daily_seed(day + dt.timedelta(days=1), ["D1102"], 45.75, 4.84)
    )
    assert set(next_day[:10].tolist()) == set(range(10))
    assert first[10:].tolist() != next_day[10:].tolist()
    assert sorted(first.tolist()) == list(range(200))


@pytest.mark.parametrize(
    "value,expected",
    [(4.2, "à 4,2 km"), (4.25, "à 4,2 km"), (0.04, "à 0,0 km"), (12.0, "à 12,0 km"), (1234.5, "à 1\u202f234,5 km")],
)
def test_distance_phrase(value, expected):
    assert scoring.distance_phrase(value) == expected


@pytest.mark.parametrize(
    "published,expected",
    [
        (dt.date(2027, 3, 10), "publiée aujourd'hui"),
        (dt.date(2027, 3, 9), "publiée hier"),
        (dt.date(2027, 3, 7), "publiée il y a 3 jours"),
    ],
)
def test_published_phrase(published, expected):
    assert scoring.published_phrase(published, dt.date(2027, 3, 10)) == expected


@pytest.mark.parametrize(
    "count,expected",
    [(0, "aucune candidature pour l'instant"), (1, "déjà 1 candidature"), (12, "déjà 12 candidatures")],
)
def test_applications_phrase(count, expected):
    assert scoring.applications_phrase(count) == expected


@pytest.mark.parametrize(
    "level,expected", [(3, "niveau CAP"), (5, "niveau bac + 2"), (7, "niveau bac + 5"), (None, None)]
)
def test_level_phrase(level, expected):
    assert scoring.level_phrase(level) == expected


@pytest.mark.parametrize(
    "day,expected", [(dt.date(2027, 3, 1), "1er mars 2027"), (dt.date(2027, 9, 15), "15 septembre 2027")]
)
def test_date_fr(day, expected):
    assert scoring.date_fr(day) == expected


# Real ROME 4.0 labels (rome/cr_gd_dp_v4_utf8.csv).
@pytest.mark.parametrize(
    "label,expected",
    [
        ("Boulanger / Boulangère", "boulangers"),
        ("Conducteur / Conductrice d'engins agricoles", "conducteurs d'engins agricoles"),
        ("Agent / Agente d'entretien des espaces verts", "agents d'entretien des espaces verts"),
        ("Vendeur / Vendeuse en épicerie", "vendeurs en épicerie"),
        ("Charcutier-traiteur / Charcutière-traiteuse", "charcutiers-traiteurs"),
        ("Endocrinologue", None),
        ("Chef de projet / Cheffe de projet (Project Management Officer)", None),
    ],
)
def test_occupation_plural(label, expected):
    assert scoring.occupation_plural(label) == expected


def test_sector_phrase_falls_back_on_the_label():
    assert scoring.sector_phrase("Boulanger / Boulangère") == (
        "les entreprises de ce secteur recrutent souvent des boulangers"
    )
    assert "Data analyst" in scoring.sector_phrase("Data analyst")


@pytest.mark.parametrize(
    "rate,factor",
    [(float("nan"), 1.0), (0.0, 0.9), (0.5, 1.0), (1.0, 1.1), (0.25, 0.95)],
)
def test_reply_factor_is_light_and_neutral_when_unknown(rate, factor):
    assert float(scoring.reply_factor(rate)) == pytest.approx(factor)


def test_a_company_that_answers_comes_a_little_first_but_never_beats_a_much_nearer_one():
    def score(km, rate):
        return float(scoring.company_score(1.0, scoring.SIZE_BANDS.index("12"), 0, km, rate))

    assert score(5.0, 0.9) > score(5.0, float("nan")) > score(5.0, 0.1)
    assert score(2.0, 0.0) > score(8.0, 1.0)  # proximity weighs more than the reply rate
    assert score(5.0, None) == score(5.0, float("nan"))

"""The demonstration data generators, without a database (pure functions on a hand-made referential).

Every code below exists in ../shared/data: NAF 10.71C, 47.11F, 56.10C, 10.71A (naf_rev2_sous_classes.csv) with
their real hirings for the ROME v3 fiche D1102 (rome_naf/rome_v3_naf_hirings.csv), ROME D1102 and D1104 and their
appellations 11573, 11574, 17407, 17576 (rome/*.csv), communes 01001, 13055, 69123, 75056 (communes_fr.csv).
"""

import datetime as dt

import numpy as np
import pytest
from scipy import stats

from alternance.core.geo import haversine_km_array
from alternance.core.identifiers import luhn_ok, make_siret, siret_errors
from alternance.demo import synthetic

NAF_HIRINGS = {"10.71C": 9364.0, "47.11F": 1488.0, "56.10C": 995.0, "10.71A": 659.0}
NAF_LABELS = {
    "10.71C": "Boulangerie et boulangerie-pâtisserie",
    "47.11F": "Hypermarchés",
    "56.10C": "Restauration de type rapide",
    "10.71A": "Fabrication industrielle de pain et de pâtisserie fraîche",
}
COMMUNES = [  # insee, population, lat, lon, name
    ("01001", 776, 46.15369, 4.92592, "L'Abergement-Clémenciat"),
    ("13055", 863310, 43.2916, 5.42057, "Marseille"),
    ("69123", 516092, 45.7549, 4.8364, "Lyon"),
    ("75056", 2187526, 48.85659, 2.34292, "Paris"),
]


@pytest.fixture
def ref():
    codes = list(NAF_HIRINGS)
    return synthetic.Referential(
        commune_insee=np.array([c[0] for c in COMMUNES], dtype=object),
        commune_population=np.array([c[1] for c in COMMUNES], dtype=float),
        commune_lat=np.array([c[2] for c in COMMUNES]),
        commune_lon=np.array([c[3] for c in COMMUNES]),
        commune_name=np.array([c[4] for c in COMMUNES], dtype=object),
        naf_code=np.array(codes, dtype=object),
        naf_label=np.array([NAF_LABELS[c] for c in codes], dtype=object),
        naf_hirings=np.array([NAF_HIRINGS[c] for c in codes]),
        naf_romes={
            "10.71C": (np.array(["D1102", "D1104"], dtype=object), np.array([9364.0, 2000.0])),
            "47.11F": (np.array(["D1102"], dtype=object), np.array([1488.0])),
            "56.10C": (np.array(["D1102"], dtype=object), np.array([995.0])),
            "10.71A": (np.array(["D1102"], dtype=object), np.array([659.0])),
        },
        rome_appellations={
            "D1102": (
                np.array([11573, 11574, 17407]),
                np.array(
                    [
                        "Boulanger / Boulangère",
                        "Boulanger-pâtissier / Boulangère-pâtissière",
                        "Ouvrier boulanger / Ouvrière boulangère",
                    ],
                    dtype=object,
                ),
                np.array([4.0, 1.0, 1.0]),
            ),
            "D1104": (np.array([17576]), np.array(["Pâtissier / Pâtissière"], dtype=object), np.array([4.0])),
        },
        centres={c[0]: (c[2], c[3]) for c in COMMUNES},
    )


def test_vectorised_sirets_equal_make_siret():
    rng = np.random.default_rng(7)
    sirens = rng.integers(10_000_000, 99_999_999, 500)
    nics = rng.integers(0, 9999, 500)
    sirets = synthetic.make_sirets(sirens, nics)
    assert sirets.tolist() == [make_siret(f"{s:08d}", f"{n:04d}") for s, n in zip(sirens, nics, strict=True)]
    assert all(siret_errors(s) == [] and luhn_ok(s[:9]) for s in sirets)


def test_companies_are_deterministic_and_valid(ref):
    a = synthetic.generate_companies(3000, 42, ref, hotspots=False)
    b = synthetic.generate_companies(3000, 42, ref, hotspots=False)
    c = synthetic.generate_companies(3000, 43, ref, hotspots=False)
    assert a["siret"].tolist() == b["siret"].tolist()
    assert a["name"].tolist() == b["name"].tolist()
    assert a["siret"].tolist() != c["siret"].tolist()
    assert len(set(a["siret"].tolist())) == 3000
    assert not [s for s in a["siret"] if siret_errors(s)]
    assert set(a["naf"]) <= set(NAF_HIRINGS) and set(a["commune"]) <= {c[0] for c in COMMUNES}
    assert set(a["size_band"]) <= set(synthetic.SIZE_BANDS.tolist())
    assert all(" démo " in name for name in a["name"])
    assert 0.05 < a["accessible_disability"].mean() < 0.25


def test_naf_follows_hiring_weights(ref):
    companies = synthetic.generate_companies(5000, 1, ref, hotspots=False)
    codes = list(NAF_HIRINGS)
    observed = np.array([(companies["naf"] == code).sum() for code in codes])
    expected = np.array([NAF_HIRINGS[c] for c in codes]) / sum(NAF_HIRINGS.values()) * 5000
    assert stats.chisquare(observed, expected).pvalue > 0.001
    assert np.all(np.abs(observed / 5000 - expected / 5000) < 0.02)


def test_communes_follow_population_and_stay_near_the_centre(ref):
    companies = synthetic.generate_companies(5000, 3, ref, hotspots=False)
    population = {c[0]: c[1] for c in COMMUNES}
    total = sum(population.values())
    for insee, share in population.items():
        assert abs((companies["commune"] == insee).mean() - share / total) < 0.02
    centres = {c[0]: (c[2], c[3]) for c in COMMUNES}
    lat = np.array([centres[c][0] for c in companies["commune"]])
    lon = np.array([centres[c][1] for c in companies["commune"]])
    distance = haversine_km_array(lat, lon, companies["lat"], companies["lon"])
    assert distance.max() < 15 and np.median(distance) < 3
    assert distance.mean() > 0.05  # jittered, not all on the centre


def test_hotspot_companies_come_first_in_the_hotspot_cities(ref):
    companies = synthetic.generate_companies(200, 5, ref)
    hot = companies["hotspot_rome"] != ""
    assert hot[:10].all() and not hot[-10:].any()
    assert set(companies["commune"][hot]) == {"69123", "75056"}
    assert set(companies["hotspot_rome"][hot]) == {"D1102", "D1104"}
    assert set(companies["naf"][companies["hotspot_rome"] == "D1102"]) <= {"10.71C", "47.11F"}


def test_offers_follow_company_naf_and_real_appellations(ref):
    now = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)
    companies = synthetic.generate_companies(2000, 9, ref)
    offers = synthetic.generate_offers(4000, companies, 9, ref, now=now)
    again = synthetic.generate_offers(4000, companies, 9, ref, now=now)
    assert offers["title"].tolist() == again["title"].tolist()
    for naf, rome, ogr, title in zip(
        companies["naf"][offers["company"]], offers["rome"], offers["appellation"], offers["title"], strict=True
    ):
        assert rome in ref.naf_romes[naf][0]
        ogrs, labels, _ = ref.rome_appellations[rome]
        assert ogr in ogrs and labels[list(ogrs).index(ogr)] == title
    # 10.71C hires D1104 in 2000 / 11364 of its hirings: the pâtissier share follows.
    from_bakery = companies["naf"][offers["company"]] == "10.71C"
    share = (offers["rome"][from_bakery] == "D1104").mean()
    assert abs(share - 2000 / 11364) < 0.03
    assert (offers["commune"] == companies["commune"][offers["company"]]).all()
    now64 = np.datetime64(now.replace(tzinfo=None), "s")
    published = offers["status"] == "publiee"
    assert (offers["expires_at"][published] > now64).all()
    assert (offers["published_at"][published] >= now64 - np.timedelta64(60, "D")).all()
    assert (offers["expires_at"][offers["status"] == "expiree"] <= now64).all()
    assert {"publiee", "suspendue", "pourvue", "expiree"} == set(offers["status"])
    levels = set(offers["diploma_level"])
    assert None in levels and levels - {None} <= {3, 4, 5, 6, 7}
    assert (offers["start_date"] > np.datetime64(now.date())).all()
    counts = offers["applications_count"]
    assert counts.min() >= 0 and np.median(counts) < counts.mean()  # skewed


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Boulangerie et boulangerie-pâtisserie", "Boulangerie"),
        ("Hypermarchés", "Hypermarchés"),
        ("Commerce de détail de pain, pâtisserie et confiserie en magasin spécialisé", "Commerce de détail de pain"),
        (
            "Culture de céréales (à l'exception du riz), de légumineuses et de graines oléagineuses",
            "Culture de céréales",
        ),
    ],
)
def test_trade_name(label, expected):
    assert synthetic.trade_name(label) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [("BOULANGER (CAP)", "CAP Boulanger"), ("BANQUE (BTS) ", "BTS Banque"), ("Commis de cuisine", "Commis de cuisine")],
)
def test_diploma_title(title, expected):
    assert synthetic.diploma_title(title) == expected

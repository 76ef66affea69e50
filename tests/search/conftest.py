"""Search tests: the few real reference rows they rely on (created if load_reference did not run)."""

import pytest

from alternance.reference.models import Appellation, Commune, NafCode, RomeNafWeight, RomeOccupation

# Real rows of ../shared/data (rome/cr_gd_dp_v4_utf8.csv, naf/naf_rev2_sous_classes.csv, communes/communes_fr.csv,
# rome_naf/rome_v3_naf_hirings.csv).
ROMES = {
    "D1102": ("Boulanger / Boulangère", "D11", "Commerce alimentaire et métiers de bouche"),
    "D1104": ("Pâtissier / Pâtissière", "D11", "Commerce alimentaire et métiers de bouche"),
    "D1101": ("Boucher / Bouchère", "D11", "Commerce alimentaire et métiers de bouche"),
}
NAFS = {
    "10.71C": "Boulangerie et boulangerie-pâtisserie",
    "47.24Z": "Commerce de détail de pain, pâtisserie et confiserie en magasin spécialisé",
    "56.10A": "Restauration traditionnelle",
    "47.22Z": "Commerce de détail de viandes et de produits à base de viande en magasin spécialisé",
}
COMMUNES = {
    "69123": ("Lyon", "69", 45.7549, 4.8364, "69001 69002 69003"),
    "75056": ("Paris", "75", 48.85659, 2.34292, "75001 75002"),
    "13055": ("Marseille", "13", 43.2916, 5.42057, "13001 13002"),
    "92012": ("Boulogne-Billancourt", "92", 48.83661, 2.23898, "92100"),
}
HIRINGS = [("D1102", "10.71C", 9364), ("D1102", "47.24Z", 527), ("D1104", "10.71C", 5633), ("D1104", "56.10A", 2500)]
HIRINGS += [("D1101", "47.22Z", 3414)]


@pytest.fixture(autouse=True)
def fresh_search_index(settings):
    """Every search sees the database as it is now (the index polls it on each query)."""
    settings.SEARCH_FRESHNESS_SECONDS = 0
    # no index.reset(): the process-wide index must follow the database across tests by itself


@pytest.fixture
def search_reference(db):
    for code, (label, domain, domain_label) in ROMES.items():
        RomeOccupation.objects.get_or_create(
            code=code,
            defaults=dict(
                label=label,
                grand_domain_code="D",
                grand_domain_label="Commerce, Vente et Grande distribution",
                domain_code=domain,
                domain_label=domain_label,
            ),
        )
    for code, label in NAFS.items():
        NafCode.objects.get_or_create(
            code=code,
            defaults=dict(
                label=label,
                class_code=code[:5],
                class_label=label,
                group_code=code[:4],
                group_label=label,
                division_code=code[:2],
                division_label=label,
                section_code="C",
                section_label="",
            ),
        )
    for insee, (name, dep, lat, lon, postcodes) in COMMUNES.items():
        Commune.objects.get_or_create(
            insee=insee,
            defaults=dict(
                kind="COM",
                name=name,
                departement_code=dep,
                departement_name=name,
                region_code="84",
                region_name="",
                population=1,
                postcodes=postcodes,
                lat=lat,
                lon=lon,
                search_name=name.lower(),
            ),
        )
    Appellation.objects.get_or_create(
        ogr_code=11573,
        defaults=dict(
            label="Boulanger / Boulangère", short_label="Boulanger / Boulangère", rome_id="D1102", is_principal=True
        ),
    )
    for rome, naf, hirings in HIRINGS:
        RomeNafWeight.objects.get_or_create(rome_id=rome, naf_id=naf, defaults={"hirings": hirings})
    return True

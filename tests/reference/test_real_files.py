"""The referentials loaded from the real files of ../shared/data by the session fixture."""

import csv
from decimal import Decimal

import pytest

from alternance.organisations.models import Organisation
from alternance.reference.loaders import monthly_smic
from alternance.reference.models import (
    Appellation,
    Certification,
    Commune,
    Diploma,
    NafCode,
    NafDivisionRome,
    RomeNafWeight,
    RomeOccupation,
    SmicRate,
)

pytestmark = pytest.mark.django_db


def test_rome_fiches_and_appellations(reference_data):
    assert RomeOccupation.objects.active().count() == 1584
    baker = RomeOccupation.objects.get(code="D1102")
    assert baker.label == "Boulanger / Boulangère"
    assert (baker.grand_domain_code, baker.domain_code) == ("D", "D11")
    assert baker.domain_label == "Commerce alimentaire et métiers de bouche"
    assert Appellation.objects.active().count() == 13120
    # Exactly one principal appellation per fiche.
    assert Appellation.objects.filter(is_principal=True).count() == 1584
    quarry = Appellation.objects.get(ogr_code=10200)
    assert quarry.label == "Abatteur / Abatteuse de carrière"
    assert (quarry.rome_id, quarry.rome_v3_parent) == ("F1402", "F1402")
    assert Appellation.objects.filter(rarely_used=True).count() == 199


def test_naf_hierarchy(reference_data):
    assert NafCode.objects.active().count() == 732
    bakery = NafCode.objects.get(code="10.71C")
    assert bakery.label == "Boulangerie et boulangerie-pâtisserie"
    assert (bakery.class_code, bakery.group_code, bakery.division_code, bakery.section_code) == (
        "10.71",
        "10.7",
        "10",
        "C",
    )


def test_communes(reference_data):
    assert Commune.objects.count() == 34920
    assert Commune.objects.filter(kind="ARM").count() == 45
    lyon = Commune.objects.get(insee="69123")
    assert (lyon.name, lyon.departement_code, lyon.region_name) == ("Lyon", "69", "Auvergne-Rhône-Alpes")
    assert lyon.lat == pytest.approx(45.7549) and lyon.lon == pytest.approx(4.8364)
    assert lyon.population == 519127  # the 2026 découpage population, not the older one (516,092)
    assert lyon.postcode_list[0] == "69001" and len(lyon.postcode_list) == 9
    paris = Commune.objects.get(insee="75056")
    assert "75116" in paris.postcode_list
    assert Commune.objects.get(insee="01001").search_name == "l abergement clemenciat"


def test_weights_keep_every_hiring(reference_data, data_dir):
    """Bridging v3 -> 4.0 splits hirings without losing or inventing any."""
    with open(data_dir / "rome_naf" / "rome_v3_naf_hirings.csv", encoding="utf-8") as handle:
        total = sum(int(row["hirings"]) for row in csv.DictReader(handle))
    assert sum(RomeNafWeight.objects.values_list("hirings", flat=True)) == total
    # v3 D1102 (La Bonne Boite's 9,364 hirings in 10.71C) has 7 appellations in D1102 and 1 in D1108.
    assert RomeNafWeight.objects.get(rome_id="D1108", naf_id="10.71C").hirings == 1170
    assert RomeNafWeight.objects.get(rome_id="D1102", naf_id="10.71C").hirings >= 8194


def test_naf_division_romes(reference_data):
    assert NafDivisionRome.objects.count() == 2920
    agriculture = NafDivisionRome.objects.filter(division_code="01")
    assert agriculture.filter(rome_id="A1101").exists()
    assert agriculture.first().division_label == "Culture et production animale, chasse et services annexes"


def test_diplomas_and_certifications(reference_data):
    bts = Diploma.objects.get(cfd="32031313")
    assert (bts.title, bts.level) == ("BANQUE (BTS)", 5)
    cert = bts.certifications.get()
    assert cert.rncp == "RNCP38381"
    assert (cert.level, cert.apprenticeship, cert.is_active) == (5, True, True)
    assert cert.expires_on.isoformat() == "2028-12-31"
    # BCN: a CFD starting with 0 has no level; 01022404 is a « mention complémentaire » closed in 2006.
    concrete = Diploma.objects.get(cfd="01022404")
    assert concrete.closed_on.isoformat() == "2006-08-31" and concrete.short_title == "MC5"
    assert 8000 < Diploma.objects.count() < 9000
    assert 19000 < Certification.objects.count() < 20000
    levels = set(Certification.objects.values_list("level", flat=True).distinct())
    assert levels <= {3, 4, 5, 6, 7, 8}


def test_certification_romes_bridged_to_rome_4(reference_data):
    """RNCP34001 lists ROME v3 A1101 and G1101; A1101's appellations now also live in A1102."""
    agent = Certification.objects.get(rncp="RNCP34001")
    romes = set(agent.romes.values_list("code", flat=True))
    assert {"A1101", "A1102", "G1101"} <= romes
    v3_parents = set(Appellation.objects.filter(rome__in=romes).values_list("rome_v3_parent", flat=True))
    assert "A1101" in v3_parents


def test_smic(reference_data):
    assert SmicRate.objects.count() == 124
    rate = SmicRate.objects.get(effective_on="2026-01-01")
    assert (rate.hourly_gross, rate.monthly_gross) == (Decimal("12.02"), Decimal("1823.03"))
    first = SmicRate.objects.first()  # 1970: no official monthly amount, 3.27 x 40 h x 52 / 12
    assert first.monthly_gross == Decimal("566.80")


def test_monthly_smic_rule_gives_every_official_amount(data_dir):
    with open(data_dir / "smic" / "smic_history_fr.csv", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["smic_mensuel_brut_eur"]]
    assert len(rows) > 30
    for row in rows:
        computed = monthly_smic(Decimal(row["smic_horaire_brut_eur"]), Decimal(row["heures_mensuelles"]))
        assert computed == Decimal(row["smic_mensuel_brut_eur"]), row["date_effet"]


def test_cfa(reference_data):
    assert Organisation.objects.filter(source="cfa_uai_siret").count() == 933
    cfa = Organisation.objects.get(uai="0010826T")
    assert (cfa.siret, cfa.name, cfa.postcode) == (
        "85052026300011",
        "CTRE DE FORMATION D'APPRENTIS CECOF BERNARD PALISSY",
        "01502",
    )
    assert cfa.commune_id == "01004"
    commune = Commune.objects.get(insee="01004")
    assert (cfa.lat, cfa.lon) == (commune.lat, commune.lon)
    assert cfa.opened_on.isoformat() == "1969-03-26"  # Excel serial day 25288

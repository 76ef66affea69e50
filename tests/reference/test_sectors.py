"""NAF sous-classe weights of a ROME from the NAF division table, when the real hirings are not loaded.

Codes and labels: NAF 10.11Z, 10.71A, 10.71B, 10.71C, 47.11F (naf_rev2_sous_classes.csv); ROME D1101 and D1102
(cr_gd_dp_v4_utf8.csv); divisions 10 and 47 list D1102, division 10 lists D1101 (secteurs_naf_rome.json).
"""

import pytest

from alternance.reference import sectors
from alternance.reference.models import NafDivisionRome, RomeNafWeight

NAFS = [
    ("10.11Z", "10", "Transformation et conservation de la viande de boucherie"),
    ("10.71A", "10", "Fabrication industrielle de pain et de pâtisserie fraîche"),
    ("10.71B", "10", "Cuisson de produits de boulangerie"),
    ("10.71C", "10", "Boulangerie et boulangerie-pâtisserie"),
    ("47.11F", "47", "Hypermarchés"),
]


def test_every_sous_classe_of_a_listed_division_and_more_for_the_one_named_like_the_occupation():
    weights = sectors.division_weights(
        [("10", "D1102", "Boulanger / Boulangère"), ("47", "D1102", "Boulanger / Boulangère")]
        + [("10", "D1101", "Boucher / Bouchère")],
        NAFS,
    )
    bonus = sectors.DIVISION_LABEL_BONUS
    assert weights == {
        ("D1102", "10.11Z"): 1,
        ("D1102", "10.71A"): 1,
        ("D1102", "10.71B"): bonus,  # « boulangerie »
        ("D1102", "10.71C"): bonus,
        ("D1102", "47.11F"): 1,
        ("D1101", "10.11Z"): bonus,  # « boucherie »
        ("D1101", "10.71A"): 1,
        ("D1101", "10.71B"): 1,
        ("D1101", "10.71C"): 1,
    }


def test_unknown_division_gives_nothing():
    assert sectors.division_weights([("99", "D1102", "Boulanger / Boulangère")], NAFS) == {}


@pytest.mark.django_db
def test_database_falls_back_on_the_divisions_only_without_hirings(reference_data):
    weights, kind = sectors.rome_naf_weights()
    assert kind == sectors.HIRINGS and weights[("D1102", "10.71C")] > 0
    RomeNafWeight.objects.all().delete()
    weights, kind = sectors.rome_naf_weights()
    assert kind == sectors.DIVISIONS
    assert weights[("D1102", "10.71C")] == sectors.DIVISION_LABEL_BONUS
    assert weights[("D1102", "10.11Z")] == 1
    assert {naf[:2] for rome, naf in weights if rome == "D1102"} == set(
        NafDivisionRome.objects.filter(rome_id="D1102").values_list("division_code", flat=True)
    )
    NafDivisionRome.objects.all().delete()
    assert sectors.rome_naf_weights() == ({}, "")

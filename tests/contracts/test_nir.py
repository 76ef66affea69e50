"""The NIR check (INSEE): 13 characters, then key = 97 - (number mod 97); Corsica 2A / 2B count as 19 / 18."""

import pytest

from alternance.contracts.nir import nir_errors, nir_key, normalize_nir


def key_by_subtraction(first13: str) -> int:
    """The other way INSEE states the Corsica rule: 2A -> subtract 1,000,000, 2B -> subtract 2,000,000."""
    if first13[5:7] in ("2A", "2B"):
        number = int(first13[:5] + "20" + first13[7:]) - (1_000_000 if first13[5:7] == "2A" else 2_000_000)
        return 97 - number % 97
    return 97 - int(first13) % 97


@pytest.mark.parametrize(
    "first13",
    ["2550814168025", "1850578006084", "2090169123456", "1840999350001", "155082A168025", "275102B123456"],
)
def test_key_matches_the_subtraction_rule(first13):
    assert nir_key(first13) == key_by_subtraction(first13)


def test_insee_example_is_valid():
    assert nir_key("2550814168025") == 38
    assert nir_errors("2 55 08 14 168 025 38") == []
    assert normalize_nir("2 55 08 14 168 025 38") == "255081416802538"


@pytest.mark.parametrize("department", ["2A", "2B"])
def test_corsica_nir_is_valid_with_its_own_key(department):
    first13 = f"18402{department}004123"
    nir = first13 + f"{key_by_subtraction(first13):02d}"
    assert nir_errors(nir) == []
    wrong = first13 + f"{(key_by_subtraction(first13) % 97) + 1:02d}"
    assert "la clé" in nir_errors(wrong)[0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2 55 08 14 168 025 39", "la clé"),
        ("2 55 08 14 168 025", "15 caractères"),
        ("5 55 08 14 168 025 38", "15 caractères"),
        ("2 55 13 14 168 025 38", "le mois"),
        ("2 55 08 2C 168 025 38", "15 caractères"),
        ("abcdefghijklmno", "15 caractères"),
    ],
)
def test_wrong_nir_is_refused_with_a_french_message(value, message):
    errors = nir_errors(value)
    assert errors and message in errors[0]


def test_empty_nir_is_allowed_the_box_stays_empty():
    assert nir_errors("") == []

"""SIRET and UAI checks with real identifiers (CFA register, La Poste) and specific error messages."""

import csv

import pytest

from alternance.core.identifiers import luhn_ok, siret_errors, uai_check_letter, uai_departement, uai_errors

# Real pairs from the CFA register (organismes/cfa_uai_siret.cp1252.csv).
GOOD_SIRETS = ["85052026300011", "77931004400028", "41884676200056", "13002271800279"]
GOOD_UAIS = ["0010826T", "0010856A", "0010965U", "0021502X"]


@pytest.mark.parametrize("value", GOOD_SIRETS + ["850 520 263 00011"])
def test_real_sirets_are_valid(value):
    assert siret_errors(value) == []


def test_la_poste_establishments_use_the_sum_of_digits():
    assert siret_errors("35600000009075") == []  # an office: digits sum to 35, not Luhn-valid
    assert not luhn_ok("35600000009075")
    assert siret_errors("35600000000048") == []  # the head office follows Luhn
    assert "La Poste" in siret_errors("35600000009076")[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "vide"),
        ("8505202630001", "14 chiffres ; vous en avez saisi 13"),
        ("850520263000111", "vous en avez saisi 15"),
        ("8505202630001A", "que des chiffres"),
        ("8505202630001²", "que des chiffres"),  # a digit for str.isdigit, not for int(): no crash
        ("85052026300012", "clé de contrôle"),
    ],
)
def test_bad_sirets_say_why(value, expected):
    errors = siret_errors(value)
    assert len(errors) == 1 and expected in errors[0]


@pytest.mark.parametrize("value", GOOD_UAIS + ["0010826t"])
def test_real_uais_are_valid(value):
    assert uai_errors(value) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "vide"),
        ("0010826", "8 caractères"),
        ("00108A6T", "chiffres"),
        ("00108²6T", "chiffres"),
        ("00108261", "lettre"),
        ("0010826U", "doit être T"),
    ],
)
def test_bad_uais_say_why(value, expected):
    errors = uai_errors(value)
    assert len(errors) == 1 and expected in errors[0]


def test_every_uai_and_most_sirets_of_the_real_register_pass(data_dir):
    with open(data_dir / "organismes" / "cfa_uai_siret.cp1252.csv", encoding="cp1252") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == 933
    assert [r["numero_uai"] for r in rows if uai_errors(r["numero_uai"])] == []
    bad_sirets = [
        r["numero_siren_siret_uai"]
        for r in rows
        if r["numero_siren_siret_uai"] and siret_errors(r["numero_siren_siret_uai"])
    ]
    assert len(bad_sirets) < 5  # the register itself holds a couple of mistyped SIRETs


def test_uai_check_letter_and_departement():
    assert uai_check_letter("0010826") == "T"
    assert uai_departement("0010826T") == "01"
    assert uai_departement("6200001G") == "2A"
    assert uai_departement("7200009X") == "2B"
    assert uai_departement("9741182L") == "974"
    assert uai_departement("bad") is None

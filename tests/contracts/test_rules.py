"""Checks of the contract form (pure): each failed check names its field and rule."""

from datetime import date
from decimal import Decimal

import pytest

from alternance.contracts.rules import add_months, check_contract, normalize_naf
from tests.contracts.contract_data import BAKER_CFD, BAKER_RNCP, valid_contract
from tests.contracts.smic import real_smic_schedule

KNOWN = {BAKER_CFD, BAKER_RNCP}


def check(**changes):
    issues, periods = check_contract(valid_contract(**changes), real_smic_schedule(), KNOWN.__contains__)
    return issues, periods


def test_valid_contract_passes_and_gives_the_pay_periods():
    issues, periods = check()
    assert issues == []
    assert periods[0].percent == 27
    assert periods[0].minimum_monthly == Decimal("504.10")  # 27 % of 1 867,02 €


D = date


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        # L6222-1: 16 to 29 at the start
        ({"apprentice_birth_date": D(2011, 9, 2)}, "apprentice_birth_date", "age_min"),
        ({"apprentice_birth_date": D(1996, 8, 31)}, "apprentice_birth_date", "age_max"),
        ({"apprentice_birth_date": D(2026, 9, 2)}, "apprentice_birth_date", "birth_after_start"),
        # minor: guardian
        ({"guardian_last_name": ""}, "guardian_last_name", "guardian_required"),
        ({"guardian_address": "  "}, "guardian_address", "guardian_required"),
        # L6223-8-1: supervisor of age
        ({"supervisor1_birth_date": D(2008, 9, 2)}, "supervisor1_birth_date", "supervisor_minor"),
        (
            {"supervisor2_last_name": "Petit", "supervisor2_first_name": "Anne", "supervisor2_job_title": "Pâtissière"},
            "supervisor2_birth_date",
            "supervisor2_incomplete",
        ),
        (
            {
                "supervisor2_last_name": "Petit",
                "supervisor2_first_name": "Anne",
                "supervisor2_job_title": "Pâtissière",
                "supervisor2_birth_date": D(2009, 1, 1),
            },
            "supervisor2_birth_date",
            "supervisor_minor",
        ),
        # L6222-7-1: 6 months to 3 years
        (
            {"contract_end_date": D(2027, 2, 27), "training_end_date": D(2027, 1, 31)},
            "contract_end_date",
            "duration_min",
        ),
        ({"contract_end_date": D(2029, 9, 1), "training_end_date": D(2029, 7, 1)}, "contract_end_date", "duration_max"),
        ({"contract_end_date": D(2026, 8, 1)}, "contract_end_date", "end_before_start"),
        # end at most 3 months after the training
        ({"training_end_date": D(2028, 5, 30)}, "contract_end_date", "end_after_training"),
        ({"training_end_date": D(2026, 9, 1)}, "training_end_date", "training_end_before_start"),
        # identifiers
        ({"employer_siret": "81234567000012"}, "employer_siret", "siret"),
        ({"employer_naf": "10.71"}, "employer_naf", "naf_format"),
        ({"employer_idcc": "12345"}, "employer_idcc", "idcc_format"),
        ({"training_cfa_uai": "0010826A"}, "training_cfa_uai", "uai"),
        # diploma
        ({"training_diploma_code": "BTS"}, "training_diploma_code", "diploma_format"),
        ({"training_diploma_code": "50022138"}, "training_diploma_code", "diploma_unknown"),
        ({"training_diploma_code": "RNCP1"}, "training_diploma_code", "diploma_unknown"),
        # pay
        ({"contract_monthly_pay": Decimal("504.09")}, "contract_monthly_pay", "pay_below_minimum"),
        ({"contract_mayotte": True}, "contract_mayotte", "mayotte_unavailable"),
    ],
)
def test_each_failed_check_names_its_field_and_rule(changes, field, rule):
    issues, _periods = check(**changes)
    assert (field, rule) in [(i.field, i.rule) for i in issues]
    issue = next(i for i in issues if (i.field, i.rule) == (field, rule))
    assert " : " in issue.message  # « Libellé du champ : règle et correction »


ADULT_PAY = Decimal("1867.02")  # 100 % of the SMIC for 26 and over


@pytest.mark.parametrize(
    "changes",
    [
        {"apprentice_birth_date": D(2011, 8, 31), "apprentice_left_3e": True},  # 15 after the 3e
        {"apprentice_birth_date": D(1990, 1, 1), "apprentice_disability": True, "contract_monthly_pay": ADULT_PAY},
        {
            "apprentice_birth_date": D(1990, 1, 1),
            "apprentice_business_project": True,
            "contract_monthly_pay": ADULT_PAY,
        },
        {
            "apprentice_birth_date": D(1990, 1, 1),
            "apprentice_high_level_athlete": True,
            "contract_monthly_pay": ADULT_PAY,
        },
    ],
)
def test_age_exceptions(changes):
    assert check(**changes)[0] == []


def test_15_is_too_young_without_the_3e():
    issues, _ = check(apprentice_birth_date=D(2011, 8, 31))
    assert [i.rule for i in issues] == ["age_min"]


def test_upper_age_limit_is_29_years_completed():
    ok, _ = check(apprentice_birth_date=D(1996, 9, 2), contract_monthly_pay=Decimal("1867.02"))
    too_old, _ = check(apprentice_birth_date=D(1996, 9, 1), contract_monthly_pay=Decimal("1867.02"))
    assert ok == []
    assert [i.rule for i in too_old] == ["age_max"]


def test_four_years_allowed_for_a_disabled_apprentice_only():
    changes = {"contract_end_date": D(2030, 8, 31), "training_end_date": D(2030, 6, 30)}
    issues, _ = check(**changes)
    assert [i.rule for i in issues] == ["duration_max"]
    assert check(apprentice_disability=True, **changes)[0] == []


def test_minimum_and_maximum_durations_are_inclusive():
    assert check(contract_end_date=D(2027, 2, 28), training_end_date=D(2027, 1, 31))[0] == []
    assert check(contract_end_date=D(2029, 8, 31), training_end_date=D(2029, 6, 30))[0] == []


def test_conventional_minimum_is_used_from_21():
    changes = {
        "apprentice_birth_date": D(2003, 3, 3),
        "contract_conventional_monthly": Decimal("2000.00"),
        "contract_monthly_pay": Decimal("1059.99"),
    }
    issues, periods = check(**changes)
    assert [i.rule for i in issues] == ["pay_below_minimum"]
    assert "1\u202f060,00" in issues[0].message
    assert periods[0].minimum_monthly == Decimal("1060.00")


def test_naf_without_dot_is_accepted():
    assert normalize_naf("1071c") == "10.71C"
    assert check(employer_naf="1071C")[0] == []


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(D(2026, 8, 31), 6, D(2027, 2, 28)), (D(2026, 1, 31), 1, D(2026, 2, 28)), (D(2026, 11, 15), 3, D(2027, 2, 15))],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_messages_are_french_and_name_the_field():
    issues, _ = check(employer_idcc="12345", supervisor1_birth_date=D(2010, 1, 1))
    messages = {i.field: i.message for i in issues}
    assert messages["employer_idcc"].startswith("Code IDCC de la convention collective : saisissez le code IDCC")
    assert messages["supervisor1_birth_date"].startswith(
        "Date de naissance du maître d'apprentissage : le maître d'apprentissage doit être majeur"
    )
    assert messages["supervisor1_birth_date"].endswith("(Code du travail, art. L6223-8-1).")


def test_legal_rules_name_their_source():
    issues, _ = check(apprentice_birth_date=D(2011, 9, 2), contract_monthly_pay=Decimal("1"))
    messages = {i.rule: i.message for i in issues}
    assert "(Code du travail, art. L6222-1)." in messages["age_min"]

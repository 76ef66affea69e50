"""The checks of the official form's notice (cerfa FA14) and of the public contract service (pure, table-driven):
each names its field, its rule and its source."""

from datetime import date
from decimal import Decimal

import pytest

from alternance.contracts.rules import FIELD_LABELS, SOURCES, check_contract, normalize_idcc
from tests.contracts.contract_data import BAKER_CFD, BAKER_RNCP, full_contract
from tests.contracts.smic import real_smic_schedule

KNOWN = {BAKER_CFD, BAKER_RNCP}.__contains__
D = date


def check(**changes):
    return check_contract(full_contract(**changes), real_smic_schedule(), KNOWN)


def test_full_contract_passes():
    issues, periods = check()
    assert issues == []
    assert [p.contract_year for p in periods][-1] == 2


SECOND = {
    "supervisor2_last_name": "Petit",
    "supervisor2_first_name": "Anne",
    "supervisor2_birth_date": D(1990, 2, 3),
    "supervisor2_job_title": "Pâtissière",
}


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        # L6222-12: practical training at most 3 months after the start of the contract, not before it
        ({"contract_practical_start_date": D(2026, 12, 2)}, "contract_practical_start_date", "practical_start_late"),
        ({"contract_practical_start_date": D(2026, 8, 31)}, "contract_practical_start_date", "practical_start_early"),
        ({"training_start_date": D(2026, 12, 2)}, "training_start_date", "training_start_late"),
        # the contract ends at most 3 months after the training (exams)
        ({"training_end_date": D(2028, 5, 30)}, "contract_end_date", "end_after_training"),
        # signed at the latest on the first day
        ({"contract_signature_date": D(2026, 9, 2)}, "contract_signature_date", "signature_after_start"),
        # derogations: under 16 (after the 3e), over 29, longer than 3 years
        (
            {"apprentice_birth_date": D(2011, 6, 1), "apprentice_left_3e": True},
            "contract_derogation",
            "derogation_under_16",
        ),
        (
            {"apprentice_birth_date": D(1994, 6, 1), "apprentice_disability": True, "contract_monthly_pay": 2000},
            "contract_derogation",
            "derogation_over_29",
        ),
        (
            {
                "apprentice_disability": True,
                "contract_end_date": D(2030, 6, 30),
                "training_end_date": D(2030, 6, 30),
            },
            "contract_derogation",
            "derogation_longer",
        ),
        # renewals and amendments name the previous contract; amendments have a date
        ({"contract_type": "22"}, "contract_previous_number", "previous_number_required"),
        (
            {"contract_type": "33", "contract_previous_number": "069202609000001"},
            "contract_amendment_date",
            "amendment_date_required",
        ),
        # L3162-1: a minor works 35 hours a week at most
        ({"contract_weekly_hours": Decimal("36")}, "contract_weekly_hours", "minor_hours"),
        # R6223-22: 1 year with a diploma of the apprentice's level, else 2 years
        ({"supervisor1_experience_years": 0}, "supervisor1_experience_years", "supervisor_experience"),
        (
            {"supervisor1_diploma_level": "0", "supervisor1_experience_years": 1},
            "supervisor1_experience_years",
            "supervisor_experience",
        ),
        (
            {**SECOND, "supervisor2_diploma_level": "3", "supervisor2_experience_years": 0},
            "supervisor2_experience_years",
            "supervisor_experience",
        ),
        # pay: each period at least the legal percent
        ({"pay_percent_2": 30}, "pay_percent_2", "percent_below_minimum"),
        # identifiers of the CFA and of the place of training
        ({"training_cfa_siret": "85052026300012"}, "training_cfa_siret", "siret"),
        ({"training_site_uai": "0010826A"}, "training_site_uai", "uai"),
    ],
)
def test_failed_check_names_its_field_rule_and_source(changes, field, rule):
    issues, _periods = check(**changes)
    matching = [issue for issue in issues if issue.field == field and issue.rule == rule]
    assert matching, [(i.field, i.rule) for i in issues]
    message = matching[0].message
    assert message.startswith(FIELD_LABELS[field])
    if rule in SOURCES:
        assert SOURCES[rule] in message


@pytest.mark.parametrize(
    "changes",
    [
        # the derogations that make a contract legal
        {"apprentice_birth_date": D(2011, 6, 1), "apprentice_left_3e": True, "contract_derogation": "11"},
        {"apprentice_birth_date": D(2011, 6, 1), "apprentice_left_3e": True, "contract_derogation": "50"},
        {
            "apprentice_disability": True,
            "contract_end_date": D(2030, 6, 30),
            "training_end_date": D(2030, 6, 30),
            "contract_derogation": "22",
        },
        # 1 year is enough with a diploma at least of the apprentice's level (CAP: 3; BP: 4)
        {"supervisor1_experience_years": 1},
        {"contract_practical_start_date": D(2026, 12, 1)},  # exactly 3 months
        {"contract_type": "22", "contract_previous_number": "069202509000001"},
        {"pay_percent_1": 27, "pay_percent_2": 51},
        {"contract_weekly_hours": Decimal("35")},
        {**SECOND, "supervisor2_diploma_level": "0", "supervisor2_experience_years": 2},
    ],
)
def test_legal_variants_pass(changes):
    issues, _periods = check(**changes)
    assert issues == []


@pytest.mark.parametrize(("typed", "stored"), [("843", "0843"), ("0843", "0843"), (" 16 ", "0016"), ("9999", "9999")])
def test_idcc_is_accepted_with_or_without_its_leading_zero(typed, stored):
    assert normalize_idcc(typed) == stored
    issues, _periods = check(employer_idcc=typed)
    assert issues == []


def test_idcc_of_five_digits_is_refused():
    issues, _periods = check(employer_idcc="12345")
    assert [(i.field, i.rule) for i in issues] == [("employer_idcc", "idcc_format")]

"""Validation of each field and the cross-field checks (pure: no database)."""

import datetime as dt

import pytest

from alternance.enrolments import validation
from tests.enrolments.records import BAKER_CFD, BAKER_RNCP, CFA_UAI, COMMUNE, OTHER_CFA_UAI, POSTCODE, TODAY, record

REF = validation.Referential(
    cfd_levels={BAKER_CFD: 3},
    rncp_levels={BAKER_RNCP: 3},
    communes={COMMUNE: ("01", "84")},
    postcodes={POSTCODE: COMMUNE},
    allowed_uais=frozenset({CFA_UAI}),
    uai_places={CFA_UAI: ("01", "84")},
    today=TODAY,
)


def codes(raw) -> list[tuple[str, str]]:
    return [(e["code"], e["field"]) for e in validation.validate(raw, REF).errors]


def test_a_complete_record_is_valid_and_normalised():
    verdict = validation.validate(record(nir="1 08 03 01 004 123 45", rncp="37537"), REF)
    assert verdict.errors == []
    clean = verdict.record
    assert clean["birth_date"] == dt.date(2008, 3, 14) and clean["rncp"] == BAKER_RNCP
    assert clean["nir_present"] is True and "nir" not in clean
    assert (clean["level"], clean["departement_code"], clean["region_code"]) == (3, "01", "84")
    assert clean["commune_insee"] == COMMUNE  # from the postcode


@pytest.mark.parametrize(
    "overrides,expected",
    [
        ({"learner_id": ""}, ("required", "learner_id")),
        ({"last_name": None}, ("required", "last_name")),
        ({"school_year": "2025-2027"}, ("invalid_school_year", "school_year")),
        ({"birth_date": "14/13/2008"}, ("invalid_date", "birth_date")),
        ({"birth_date": "2013-01-01"}, ("implausible_age", "birth_date")),  # 12 at the start
        ({"birth_date": "1990-01-01"}, ("implausible_age", "birth_date")),  # 35 at the start
        ({"uai_formateur": "0010826A"}, ("invalid_uai", "uai_formateur")),
        ({"uai_responsable": OTHER_CFA_UAI, "uai_formateur": OTHER_CFA_UAI}, ("uai_not_yours", "uai_responsable")),
        ({"siret_responsable": "85052026300012"}, ("invalid_siret", "siret_responsable")),
        ({"cfd": "12345678"}, ("unknown_cfd", "cfd")),
        ({"cfd": None, "rncp": "RNCP0"}, ("unknown_rncp", "rncp")),
        ({"cfd": None, "rncp": None}, ("diploma_missing", "cfd")),
        ({"postcode": None}, ("address_missing", "postcode")),
        ({"postcode": "00000"}, ("unknown_postcode", "postcode")),
        ({"postcode": None, "commune_insee": "99999"}, ("unknown_commune", "commune_insee")),
        ({"email": "pas-un-courriel"}, ("invalid_email", "email")),
        ({"phone": "12"}, ("invalid_phone", "phone")),
        ({"outcome": "peut-être"}, ("invalid_outcome", "outcome")),
        ({"rqth": "parfois"}, ("invalid_bool", "rqth")),
        ({"course_end": "2025-08-01"}, ("dates_inconsistent", "course_end")),
        ({"dropped_out_on": "2028-01-01"}, ("dates_inconsistent", "dropped_out_on")),
        ({"contracts": "un contrat"}, ("invalid_type", "contracts")),
        ({"last_name": "x" * 300}, ("too_long", "last_name")),
    ],
)
def test_each_field_is_checked_with_a_code_and_a_french_message(overrides, expected):
    errors = validation.validate(record(**overrides), REF).errors
    assert expected in [(e["code"], e["field"]) for e in errors]
    message = next(e["message"] for e in errors if (e["code"], e["field"]) == expected)
    assert f"« {expected[1]}" in message and message.endswith((".", ")")), message


def test_contract_fields_are_checked_with_their_index():
    contracts = [
        {"employer_siret": "123", "start_date": "2025-09-01"},
        {
            "employer_siret": record()["contracts"][0]["employer_siret"],
            "start_date": "2025-10-01",
            "end_date": "2027-08-31",
            "break_date": "2025-09-15",
        },
        {"start_date": "pas une date"},
    ]
    found = codes(record(contracts=contracts))
    assert ("invalid_siret", "contracts.0.employer_siret") in found
    assert ("dates_inconsistent", "contracts.1.break_date") in found
    assert ("required", "contracts.2.employer_siret") in found and ("invalid_date", "contracts.2.start_date") in found


def test_with_a_rqth_there_is_no_upper_age_limit():
    assert codes(record(birth_date="1990-01-01", rqth=True)) == []


def test_the_nir_is_never_in_the_errors_nor_the_record():
    nir = "2 99 12 75 123 456 78"
    verdict = validation.validate(record(nir=nir, birth_date="pas une date"), REF)
    assert nir not in str(verdict.errors)
    assert nir not in str(validation.validate(record(nir=nir), REF).record)


def test_the_fingerprint_ignores_key_order_and_sees_any_change():
    a = validation.validate(record(learner_id="X"), REF).record
    b = dict(reversed(list(a.items())))
    assert validation.fingerprint(a) == validation.fingerprint(b)
    assert validation.fingerprint(a) != validation.fingerprint(a | {"outcome": "obtenu"})

"""The CERFA PDF: fields readable in the uncompressed PDF, characters outside latin-1 replaced."""

import zlib
from decimal import Decimal

from alternance.contracts.cerfa import latin1, render_cerfa
from alternance.contracts.rules import check_contract
from tests.contracts.contract_data import BAKER_CFD, valid_contract
from tests.contracts.smic import real_smic_schedule


def _pdf(compress=False, **changes):
    data = valid_contract(**changes)
    issues, periods = check_contract(data, real_smic_schedule(), {BAKER_CFD}.__contains__)
    assert issues == []
    return render_cerfa(data, periods, reference="abc-123", compress=compress)


def test_pdf_holds_the_contract_fields():
    pdf = _pdf()
    assert pdf.startswith(b"%PDF-")
    for text in (
        b"Contrat d'apprentissage",
        b"Boulangerie Le Fournil",
        b"10.71C",
        b"0843",
        b"50022137",
        b"0010826T",
        b"Durand",
        b"L\xe9a",  # Léa in latin-1
        b"1er septembre 2026",
        b"31 ao\xfbt 2028",
        b"504,10",  # 27 % of the SMIC, first period
        b"abc-123",
    ):
        assert text in pdf, text


def test_pdf_shows_every_pay_period():
    pdf = _pdf()
    for amount in (b"504,10", b"728,14", b"952,18"):
        assert amount in pdf, amount


def test_characters_outside_latin1_are_replaced():
    assert latin1("l’œuvre coûte 5\u202f€ — «\u00a0oui\u00a0»") == "l'oeuvre coûte 5 EUR - «\u00a0oui\u00a0»"
    assert latin1("Ω") == "?"
    pdf = _pdf(employer_name="L’Œuvre du pain")
    assert b"L'OEuvre du pain" in pdf


def test_second_supervisor_is_printed_when_present():
    from datetime import date

    pdf = _pdf(
        supervisor2_last_name="Petit",
        supervisor2_first_name="Anne",
        supervisor2_birth_date=date(1985, 2, 3),
        supervisor2_job_title="Patissiere",
    )
    assert b"Petit" in pdf and b"second ma\xeetre" in pdf
    assert b"second ma\xeetre" not in _pdf()


def test_compressed_pdf_is_smaller_and_still_holds_the_text():
    plain, packed = _pdf(), _pdf(compress=True)
    assert len(packed) < len(plain)
    start = packed.index(b"stream\n") + len(b"stream\n")
    assert b"Boulangerie Le Fournil" in zlib.decompress(packed[start : packed.index(b"endstream", start)])


def test_conventional_minimum_base_is_named():
    pdf = _pdf(
        apprentice_birth_date=__import__("datetime").date(2003, 3, 3),
        guardian_last_name="",
        guardian_first_name="",
        guardian_address="",
        contract_conventional_monthly=Decimal("2000.00"),
        contract_monthly_pay=Decimal("1100.00"),
    )
    assert b"minimum conventionnel" in pdf

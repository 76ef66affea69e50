"""Adapters between the pure engines and the reference tables."""

from datetime import date
from decimal import Decimal

import pytest

from alternance.contracts.services import compute_minimum_pay, diploma_is_known, smic_schedule
from alternance.reference.models import Certification, Diploma, SmicRate
from tests.contracts.contract_data import BAKER_CFD, BAKER_RNCP


@pytest.fixture
def two_rates(db):
    SmicRate.objects.all().delete()
    SmicRate.objects.create(effective_on=date(2001, 7, 1), hourly_gross=Decimal("43.72"), monthly_hours=169)
    SmicRate.objects.create(
        effective_on=date(2024, 1, 1),
        hourly_gross=Decimal("11.65"),
        monthly_hours=Decimal("151.67"),
        monthly_gross=None,
    )
    SmicRate.objects.create(
        effective_on=date(2024, 11, 1),
        hourly_gross=Decimal("11.88"),
        monthly_hours=Decimal("151.67"),
        monthly_gross=Decimal("1801.80"),
    )


def test_smic_schedule_skips_francs_and_computes_missing_monthly_amounts(two_rates):
    assert smic_schedule() == [(date(2024, 1, 1), Decimal("1766.92")), (date(2024, 11, 1), Decimal("1801.80"))]


def test_compute_minimum_pay_reads_the_reference_table(two_rates):
    periods = compute_minimum_pay(date(1995, 5, 5), date(2024, 9, 1), date(2025, 2, 28))
    assert [str(p.minimum_monthly) for p in periods] == ["1766.92", "1801.80"]


def test_diploma_is_known_for_active_cfd_and_rncp_only(db):
    Diploma.objects.get_or_create(cfd=BAKER_CFD, defaults={"title": "BOULANGER (CAP)"})
    Certification.objects.update_or_create(rncp=BAKER_RNCP, defaults={"title": "Boulanger", "is_active": False})
    assert diploma_is_known(BAKER_CFD)
    assert diploma_is_known(f" {BAKER_CFD.lower()} ")
    assert not diploma_is_known(BAKER_RNCP)  # inactive fiche
    Certification.objects.filter(rncp=BAKER_RNCP).update(is_active=True)
    assert diploma_is_known(BAKER_RNCP.lower())
    assert not diploma_is_known("RNCP1")

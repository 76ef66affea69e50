"""Adapters between the pure contract engines and the database (reference.SmicRate, Diploma, Certification)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from alternance.contracts.models import Contract, encode_contract
from alternance.contracts.pay import REFERENCE_AGES, PayPeriod, first_month_by_age, minimum_pay, monthly_smic
from alternance.contracts.rules import check_contract
from alternance.reference.models import Certification, Diploma, SmicRate

# Amounts before 2002 are in francs: the euro history starts on 1 January 2002.
EURO_FROM = date(2002, 1, 1)


def smic_schedule() -> list[tuple[date, Decimal]]:
    """The national SMIC history as (effective date, monthly gross), computed from the hourly SMIC if absent."""
    schedule = []
    for rate in SmicRate.objects.filter(effective_on__gte=EURO_FROM).order_by("effective_on"):
        monthly = rate.monthly_gross
        if monthly is None:
            monthly = monthly_smic(rate.hourly_gross, rate.monthly_hours)
        schedule.append((rate.effective_on, monthly))
    return schedule


def compute_minimum_pay(
    birth_date: date,
    start_date: date,
    end_date: date,
    conventional_monthly: Decimal | None = None,
    mayotte: bool = False,
) -> list[PayPeriod]:
    """The pay engine fed with the SMIC history of the reference table."""
    return minimum_pay(
        birth_date,
        start_date,
        end_date,
        smic_schedule(),
        conventional_monthly=conventional_monthly,
        mayotte=mayotte,
    )


def minimum_pay_by_age(start_date: date, ages=REFERENCE_AGES) -> list[tuple[int, PayPeriod]]:
    """First-month legal minimum at each age for a contract starting on ``start_date`` (raises PayError)."""
    return first_month_by_age(start_date, smic_schedule(), ages)


def diploma_is_known(code: str) -> bool:
    """An active CFD (Base centrale des nomenclatures) or RNCP number (France compétences) of the reference."""
    code = (code or "").strip().upper()
    if code.startswith("RNCP"):
        return Certification.objects.active().filter(rncp=code).exists()
    return Diploma.objects.active().filter(cfd=code).exists()


class ContractInvalid(Exception):
    def __init__(self, issues):
        super().__init__("; ".join(issue.message for issue in issues))
        self.issues = issues


def check(data: dict):
    """Every check of the official form, with the SMIC history and the diploma referentials of the database."""
    return check_contract(data, smic_schedule(), diploma_is_known)


@transaction.atomic
def create_contract(data: dict) -> Contract:
    """Store a contract that passes every check; raise ContractInvalid otherwise."""
    issues, _periods = check(data)
    if issues:
        raise ContractInvalid(issues)
    return Contract.objects.create(
        employer_siret=(data.get("employer_siret") or "").replace(" ", ""),
        start_date=data["contract_start_date"],
        end_date=data["contract_end_date"],
        data=encode_contract(data),
    )

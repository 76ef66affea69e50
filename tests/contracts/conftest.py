"""Fixtures of the contracts tests: the real SMIC history in reference.SmicRate."""

import csv
from datetime import date
from decimal import Decimal

import pytest

from alternance.reference.models import SmicRate
from tests.contracts.smic import SMIC_CSV


def ensure_smic_rates() -> None:
    """Load the real SMIC file into SmicRate when load_reference has not (yet) done it."""
    if SmicRate.objects.exists():
        return
    with SMIC_CSV.open(encoding="utf-8") as handle:
        SmicRate.objects.bulk_create(
            SmicRate(
                effective_on=date.fromisoformat(row["date_effet"]),
                hourly_gross=Decimal(row["smic_horaire_brut_eur"]),
                monthly_hours=Decimal(row["heures_mensuelles"]),
                monthly_gross=Decimal(row["smic_mensuel_brut_eur"]) if row["smic_mensuel_brut_eur"] else None,
                legal_text=row["texte"][:255],
            )
            for row in csv.DictReader(handle)
        )


@pytest.fixture
def smic_rates(db):
    ensure_smic_rates()

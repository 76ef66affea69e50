"""Test helper: the real SMIC history read straight from the shared CSV (no database)."""

import csv
from datetime import date
from decimal import Decimal
from functools import cache

from alternance.contracts.pay import monthly_smic
from alternance.reference.models import SmicRate
from tests.conftest import DATA_DIR

SMIC_CSV = DATA_DIR / "smic" / "smic_history_fr.csv"


@cache
def real_smic_schedule() -> tuple[tuple[date, Decimal], ...]:
    """(effective date, monthly gross) from 2002 (euros); computed from the hourly SMIC when the file has none."""
    rows = []
    with SMIC_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            effective = date.fromisoformat(row["date_effet"])
            if effective.year < 2002:
                continue  # francs
            monthly = row["smic_mensuel_brut_eur"] or None
            amount = (
                Decimal(monthly)
                if monthly
                else monthly_smic(Decimal(row["smic_horaire_brut_eur"]), Decimal(row["heures_mensuelles"]))
            )
            rows.append((effective, amount))
    return tuple(rows)


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

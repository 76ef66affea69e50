"""Models of this domain: apprenticeship contracts that passed every check of the official form."""

import uuid
from datetime import date
from decimal import Decimal

from django.db import models

DECIMAL_FIELDS = frozenset({"contract_monthly_pay", "contract_conventional_monthly", "contract_weekly_hours"})
INT_FIELDS = frozenset({"employer_headcount"})


def encode_contract(data: dict) -> dict:
    """Typed form values -> JSON (dates ISO 8601, amounts as strings)."""
    encoded = {}
    for key, value in data.items():
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        encoded[key] = value
    return encoded


def decode_contract(data: dict) -> dict:
    """JSON -> typed values, the inverse of ``encode_contract``."""
    decoded = {}
    for key, value in data.items():
        if value not in (None, "") and key.endswith("_date"):
            value = date.fromisoformat(value)
        elif value not in (None, "") and key in DECIMAL_FIELDS:
            value = Decimal(value)
        elif value not in (None, "") and key in INT_FIELDS:
            value = int(value)
        elif value == "" and (key.endswith("_date") or key in DECIMAL_FIELDS or key in INT_FIELDS):
            value = None
        decoded[key] = value
    return decoded


class Contract(models.Model):
    """An apprenticeship contract (fields of CERFA FA13), stored once every check passed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    employer_siret = models.CharField(max_length=14, db_index=True)
    start_date = models.DateField()
    end_date = models.DateField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Contrat {self.public_id} ({self.employer_siret}, {self.start_date:%d/%m/%Y})"

    @property
    def values(self) -> dict:
        return decode_contract(self.data)

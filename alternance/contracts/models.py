"""Models of this domain: apprenticeship contracts that passed every check of the official form."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models

DECIMAL_FIELDS = frozenset(
    {
        "contract_monthly_pay",
        "contract_conventional_monthly",
        "contract_weekly_hours",
        "contract_food_benefit",
        "contract_housing_benefit",
    }
)
INT_FIELDS = frozenset(
    {
        "employer_headcount",
        "training_hours",
        "training_diploma_level",
        "supervisor1_experience_years",
        "supervisor2_experience_years",
        "pay_percent_1",
        "pay_percent_2",
        "pay_percent_3",
        "pay_percent_4",
    }
)
# A contract made without an account is deleted this many days after it was made (a draft: after its last
# change) by ``manage.py purge_contracts``; the pages say so.
RETENTION_DAYS = 30


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


class ContractQuerySet(models.QuerySet):
    def without_company(self):
        """Contracts made without an account: reached by their link, purged after RETENTION_DAYS."""
        return self.filter(company__isnull=True)

    def of_company(self, company):
        return self.filter(company=company)

    def expired(self, now):
        """Contracts made without an account past their retention; a company's contracts are kept."""
        return self.without_company().filter(created_at__lt=now - timedelta(days=RETENTION_DAYS))


class Contract(models.Model):
    """An apprenticeship contract (fields of cerfa n° 10103*12 in ``data``, see fields.FIELD_LABELS), stored
    once every check passed. Never holds the apprentice's NIR (typed at printing time only).

    ``company`` is set when a member of the employer's company made it (the delivery layer decides who may
    see it); without it, the contract is reached by its unguessable link and purged after RETENTION_DAYS."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="contracts"
    )
    employer_siret = models.CharField(max_length=14, db_index=True)
    start_date = models.DateField()
    end_date = models.DateField()
    data = models.JSONField(default=dict)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Contrat {self.public_id} ({self.employer_siret}, {self.start_date:%d/%m/%Y})"

    @property
    def expires_on(self):
        """The day it is purged; None for a company's contract (kept)."""
        if self.company_id is not None:
            return None
        return (self.created_at + timedelta(days=RETENTION_DAYS)).date()

    @property
    def values(self) -> dict:
        return decode_contract(self.data)


class ContractDraftQuerySet(models.QuerySet):
    def expired(self, now):
        return self.filter(updated_at__lt=now - timedelta(days=RETENTION_DAYS))


class ContractDraft(models.Model):
    """A contract being filled in, step by step: the typed values so far (``data``, encoded like
    ``Contract.data``). Reached through its unguessable ``public_id`` kept in the browser's session; a draft
    saved by a signed-in person also has ``owner``, who may resume it from their space in another browser."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="contract_drafts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    data = models.JSONField(default=dict)
    steps_done = models.JSONField(default=list)  # keys of the blocks (fields.FIELD_BLOCKS) saved at least once

    objects = ContractDraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return f"Brouillon {self.public_id}"

    @property
    def values(self) -> dict:
        return decode_contract(self.data)

    @property
    def expires_on(self):
        return (self.updated_at + timedelta(days=RETENTION_DAYS)).date()

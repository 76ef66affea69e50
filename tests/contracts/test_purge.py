"""Contracts and drafts made without an account are deleted 30 days after they were made (purge_contracts)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from alternance.contracts.models import RETENTION_DAYS, Contract, ContractDraft
from alternance.contracts.services import create_contract, purge_expired, save_draft_step
from alternance.contracts.tasks import purge_expired_contracts
from tests.contracts.contract_data import full_contract

pytestmark = pytest.mark.usefixtures("smic_rates", "baker_diploma")


def _age(model, pk, days, field):
    model.objects.filter(pk=pk).update(**{field: timezone.now() - timedelta(days=days)})


def test_command_deletes_what_is_older_than_30_days_and_keeps_the_rest():
    old, recent = create_contract(full_contract()), create_contract(full_contract())
    _age(Contract, old.pk, RETENTION_DAYS + 1, "created_at")
    _age(Contract, recent.pk, RETENTION_DAYS - 1, "created_at")
    stale = save_draft_step(None, "employer", {"employer_name": "Ancien"})
    fresh = save_draft_step(None, "employer", {"employer_name": "Récent"})
    _age(ContractDraft, stale.pk, RETENTION_DAYS + 1, "updated_at")
    out = StringIO()
    call_command("purge_contracts", stdout=out)
    assert "1 contrat(s) et 1 brouillon(s) supprimé(s)." in out.getvalue()
    assert list(Contract.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(ContractDraft.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_a_draft_changed_recently_is_kept():
    draft = save_draft_step(None, "employer", {"employer_name": "A"})
    _age(ContractDraft, draft.pk, RETENTION_DAYS + 5, "updated_at")
    save_draft_step(ContractDraft.objects.get(pk=draft.pk), "apprentice", {"apprentice_last_name": "B"})
    assert purge_expired() == (0, 0)
    assert ContractDraft.objects.get().steps_done == ["employer", "apprentice"]


def test_the_purge_also_runs_as_a_task(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    contract = create_contract(full_contract())
    _age(Contract, contract.pk, RETENTION_DAYS + 1, "created_at")
    result = purge_expired_contracts.enqueue()
    assert result.return_value == {"contracts": 1, "drafts": 0}
    assert not Contract.objects.exists()


def test_contract_expiry_date_is_30_days_after_its_creation():
    contract = create_contract(full_contract())
    assert contract.expires_on == (contract.created_at + timedelta(days=30)).date()

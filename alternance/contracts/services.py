"""Adapters between the pure contract engines and the database (reference.SmicRate, Diploma, Certification)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from alternance.contracts.models import Contract, ContractDraft, encode_contract
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
def create_contract(data: dict, company=None) -> Contract:
    """Store a contract that passes every check; raise ContractInvalid otherwise. ``company`` (a Company whose
    SIRET is the employer's, chosen by the caller from the author's memberships) owns it: kept, not purged."""
    issues, _periods = check(data)
    if issues:
        raise ContractInvalid(issues)
    siret = (data.get("employer_siret") or "").replace(" ", "")
    if company is not None and company.siret != siret:
        raise ValueError("the owning company must be the employer (same SIRET)")
    return Contract.objects.create(
        employer_siret=siret,
        company=company,
        start_date=data["contract_start_date"],
        end_date=data["contract_end_date"],
        data=encode_contract(data),
    )


@transaction.atomic
def save_draft_step(draft: ContractDraft | None, step: str, values: dict, owner=None) -> ContractDraft:
    """Merge one step's typed values into the draft (a new draft when None) and mark the step done; a draft
    saved by a signed-in ``owner`` (and not yet someone else's) becomes theirs, to resume from their space."""
    if draft is None:
        draft = ContractDraft()
    else:
        draft = ContractDraft.objects.select_for_update().get(pk=draft.pk)
    if owner is not None and draft.owner_id is None:
        draft.owner = owner
    draft.data = {**draft.data, **encode_contract(values)}
    if step not in draft.steps_done:
        draft.steps_done = [*draft.steps_done, step]
    draft.save()
    return draft


@transaction.atomic
def create_contract_from_draft(draft: ContractDraft, company=None) -> Contract:
    """Store the draft as a contract when it passes every check (ContractInvalid otherwise); the draft goes."""
    contract = create_contract(draft.values, company=company)
    ContractDraft.objects.filter(pk=draft.pk).delete()
    return contract


@transaction.atomic
def purge_expired(now=None) -> tuple[int, int]:
    """Delete the contracts and drafts made without an account that are past their retention (RETENTION_DAYS);
    a company's contracts are kept."""
    now = now or timezone.now()
    contracts, _ = Contract.objects.expired(now).delete()
    drafts, _ = ContractDraft.objects.expired(now).delete()
    return contracts, drafts


# --- Prefill: what the platform already knows, offered for the fields a person left empty ---------------


def company_facts(siret: str) -> dict:
    """The employer block from companies.Company (name, address, commune, NAF, SIRENE size band)."""
    from alternance.companies.models import Company

    siret = (siret or "").replace(" ", "")
    company = Company.objects.select_related("commune", "naf").filter(siret=siret).first() if siret else None
    if company is None:
        return {}
    postcodes = company.commune.postcode_list
    return {
        "employer_name": company.name,
        "employer_address": company.address,
        "employer_postcode": postcodes[0] if postcodes else "",
        "employer_city": company.commune.name,
        "employer_naf": company.naf_id,
        "size_band": company.get_size_band_display(),
        "is_demo": company.is_demo,
    }


def cfa_facts(uai: str) -> dict:
    """The CFA block from the register of organisations (name, SIRET, address) by its UAI."""
    from alternance.organisations.models import Organisation

    uai = (uai or "").strip().upper()
    if not uai:
        return {}
    organisation = Organisation.objects.filter(uai=uai).order_by("pk").first()
    if organisation is None:
        return {}
    return {
        "training_cfa_name": organisation.name,
        "training_cfa_siret": organisation.siret,
        "training_cfa_address": organisation.address,
        "training_cfa_postcode": organisation.postcode,
        "training_cfa_city": organisation.city,
    }


def diploma_facts(code: str) -> dict:
    """Title, level and the other code (CFD ↔ RNCP) of a diploma from the referentials (BCN, RNCP)."""
    code = (code or "").strip().upper().replace(" ", "")
    if code.startswith("RNCP"):
        certification = Certification.objects.filter(rncp=code).first()
        if certification is None:
            return {}
        diploma = Diploma.objects.filter(certifications=certification).order_by("cfd").first()
        return {
            "training_diploma_title": certification.title[:200],
            "training_diploma_rncp": certification.rncp,
            "training_diploma_level": certification.level,
            "diploma_cfd": diploma.cfd if diploma else "",
        }
    diploma = Diploma.objects.filter(cfd=code).first() if code else None
    if diploma is None:
        return {}
    links = Diploma.certifications.through.objects.filter(diploma_id=diploma.pk).order_by("certification_id")
    certification = links.select_related("certification").first()
    certification = certification.certification if certification else None
    return {
        "training_diploma_title": diploma.title[:200],
        "training_diploma_rncp": certification.rncp if certification else "",
        "training_diploma_level": diploma.level,
    }


def prefill(step: str, values: dict) -> dict:
    """Known facts for one step of the form, from the identifiers typed in it (SIRET, UAI, CFD or RNCP)."""
    if step == "employer":
        return company_facts(values.get("employer_siret", ""))
    if step == "training":
        return {**cfa_facts(values.get("training_cfa_uai", "")), **diploma_facts(values.get("training_diploma_code"))}
    return {}

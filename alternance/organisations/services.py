"""Writes of the organisations register: facts from sources, reconciliation, nature and data quality."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from alternance.organisations import rules
from alternance.organisations.models import Organisation, OrganisationFact


def record_fact(organisation: Organisation, field: str, value, source: str, observed_on: dt.date | None = None):
    """Keep one fact with its source and date (the latest date wins for a repeated fact)."""
    if value in (None, ""):
        return None
    value = str(value)[:255]
    observed_on = observed_on or timezone.localdate()
    fact, created = OrganisationFact.objects.get_or_create(
        organisation=organisation, field=field, value=value, source=source, defaults={"observed_on": observed_on}
    )
    if not created and fact.observed_on < observed_on:
        fact.observed_on = observed_on
        fact.save(update_fields=["observed_on"])
    return fact


def find_or_create(*, siret: str, uai: str = "", name: str, source: str, defaults: dict | None = None) -> Organisation:
    """The organisation of this SIRET (the one with this UAI when several), created when unknown.

    Its UAI is not overwritten: a UAI given by a source is recorded as a fact, and reconcile() chooses.
    """
    siret = (siret or "").replace(" ", "")
    uai = (uai or "").strip().upper()
    candidates = list(Organisation.objects.filter(siret=siret)) if siret else []
    if not candidates and not siret and uai:
        candidates = list(Organisation.objects.filter(uai=uai, siret=""))
    chosen = next((o for o in candidates if uai and o.uai == uai), None) or (candidates[0] if candidates else None)
    if chosen is None:
        chosen = Organisation.objects.create(siret=siret, uai=uai, name=name[:255], source=source, **(defaults or {}))
    else:
        changed = []
        for key, value in (defaults or {}).items():
            if value not in (None, "") and getattr(chosen, key) in (None, ""):
                setattr(chosen, key, value)
                changed.append(key)
        if changed:
            chosen.save(update_fields=[*changed, "updated_at"])
    return chosen


def _observations(organisations: Iterable[Organisation]) -> list[tuple[str, str]]:
    observations = []
    org_ids = []
    for organisation in organisations:
        org_ids.append(organisation.pk)
        if organisation.uai:
            observations.append((organisation.uai, organisation.source or "registre"))
    facts = OrganisationFact.objects.filter(organisation_id__in=org_ids, field=OrganisationFact.Field.UAI)
    observations += list(facts.values_list("value", "source"))
    return observations


def uai_candidates(organisation: Organisation) -> rules.Reconciliation:
    """Every UAI the sources give for this organisation's SIRET, most confirmed first."""
    same = Organisation.objects.filter(siret=organisation.siret) if organisation.siret else [organisation]
    return rules.reconcile_uai(_observations(same))


@transaction.atomic
def reconcile(organisations: Iterable[Organisation] | None = None) -> int:
    """Choose the probable UAI of each SIRET, flag conflicts, fill a missing UAI; returns the rows changed."""
    qs = Organisation.objects.all() if organisations is None else organisations
    by_siret: dict[str, list[Organisation]] = defaultdict(list)
    loners = []
    for organisation in qs:
        (by_siret[organisation.siret] if organisation.siret else loners).append(organisation)
    sirets = list(by_siret)
    if organisations is not None and sirets:  # include the other rows of the same SIRET
        for other in Organisation.objects.filter(siret__in=sirets).exclude(
            pk__in=[o.pk for g in by_siret.values() for o in g]
        ):
            by_siret[other.siret].append(other)
    facts = defaultdict(list)
    all_ids = [o.pk for group in by_siret.values() for o in group] + [o.pk for o in loners]
    for chunk_start in range(0, len(all_ids), 5000):
        chunk = all_ids[chunk_start : chunk_start + 5000]
        for org_id, value, source in OrganisationFact.objects.filter(
            organisation_id__in=chunk, field=OrganisationFact.Field.UAI
        ).values_list("organisation_id", "value", "source"):
            facts[org_id].append((value, source))
    changed = 0
    groups = list(by_siret.values()) + [[o] for o in loners]
    for group in groups:
        observations = []
        for organisation in group:
            if organisation.uai:
                observations.append((organisation.uai, organisation.source or "registre"))
            observations += facts[organisation.pk]
        result = rules.reconcile_uai(observations)
        taken = {o.uai for o in group}
        for organisation in group:
            fields = {"probable_uai": result.probable, "uai_conflict": result.conflict}
            if not organisation.uai and result.probable and result.probable not in taken:
                fields["uai"] = result.probable
                taken.add(result.probable)
            if any(getattr(organisation, k) != v for k, v in fields.items()):
                for key, value in fields.items():
                    setattr(organisation, key, value)
                organisation.save(update_fields=[*fields, "updated_at"])
                changed += 1
    return changed


def refresh_nature_and_quality(organisation_ids: Iterable[int] | None = None) -> int:
    """Derive each organisation's nature from the catalogue and recompute its quality verdict."""
    from alternance.trainings.models import Training

    qs = Organisation.objects.select_related("commune")
    if organisation_ids is not None:
        qs = qs.filter(pk__in=list(organisation_ids))
    trainings = Training.objects.all()
    responsible = set(trainings.values_list("organisation_id", flat=True).distinct())
    trainers = set(trainings.exclude(trainer=None).values_list("trainer_id", flat=True).distinct())
    open_statuses = [Training.Status.TO_CHECK, Training.Status.READY, Training.Status.PUBLISHED]
    open_counts = dict(
        trainings.filter(status__in=open_statuses)
        .values("organisation_id")
        .annotate(n=models.Count("id"))
        .values_list("organisation_id", "n")
    )
    without_rncp = dict(
        trainings.filter(status__in=open_statuses, rncp_code="", certification=None)
        .values("organisation_id")
        .annotate(n=models.Count("id"))
        .values_list("organisation_id", "n")
    )
    today = timezone.localdate()
    changed = 0
    for organisation in qs.iterator(chunk_size=2000):
        is_trainer = organisation.pk in trainers
        nature = rules.nature(organisation.pk in responsible, is_trainer)
        if nature == Organisation.Nature.UNKNOWN:
            nature = organisation.nature  # keep what a source said when the catalogue says nothing
        issues = rules.quality_issues(
            siret=organisation.siret,
            uai=organisation.uai or organisation.probable_uai,
            departement=organisation.commune.departement_code if organisation.commune else None,
            uai_conflict=organisation.uai_conflict,
            closed=bool(organisation.closed_on and organisation.closed_on <= today),
            open_courses=open_counts.get(organisation.pk, 0),
            courses_without_rncp=without_rncp.get(organisation.pk, 0),
        )
        verdict = rules.verdict(issues)
        if (organisation.nature, organisation.quality_issues, organisation.quality_verdict) != (
            nature,
            issues,
            verdict,
        ):
            organisation.nature, organisation.quality_issues, organisation.quality_verdict = nature, issues, verdict
            organisation.save(update_fields=["nature", "quality_issues", "quality_verdict", "updated_at"])
            changed += 1
    return changed


def refresh_register(organisation_ids: Iterable[int] | None = None) -> None:
    """Reconcile UAIs, then nature and quality, for some organisations (all when None)."""
    ids = None if organisation_ids is None else list(organisation_ids)
    reconcile(None if ids is None else Organisation.objects.filter(pk__in=ids))
    refresh_nature_and_quality(ids)


def national_quality() -> dict:
    """Counts of the national data-quality report: organisations per verdict and per issue."""
    from alternance.trainings.models import Training

    verdicts = dict(
        Organisation.objects.values("quality_verdict")
        .annotate(n=models.Count("id"))
        .values_list("quality_verdict", "n")
    )
    issues = {code: 0 for code in rules.ISSUES}
    for row in Organisation.objects.exclude(quality_issues=[]).values_list("quality_issues", flat=True).iterator():
        for code in row:
            issues[code] = issues.get(code, 0) + 1
    return {
        "organisations": Organisation.objects.count(),
        "verdicts": {v: verdicts.get(v, 0) for v in Organisation.Verdict.values},
        "issues": issues,
        "courses_without_rncp": Training.objects.filter(rncp_code="", certification=None)
        .exclude(status=Training.Status.CLOSED)
        .count(),
    }

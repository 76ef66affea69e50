"""Register facts derived from the catalogue: each organisation's nature and its data-quality verdict.

They live on the catalogue's side because the arrow goes trainings -> organisations: the register
(alternance.organisations) knows no training; the catalogue reads it and writes these facts back.
"""

from collections.abc import Iterable

from django.db import models
from django.utils import timezone

from alternance.organisations import rules
from alternance.organisations.models import Organisation, OrganisationFact
from alternance.organisations.services import reconcile, save_in_batches
from alternance.trainings.models import Training


def refresh_nature_and_quality(organisation_ids: Iterable[int] | None = None) -> int:
    """Derive each organisation's nature from the catalogue's relations, else from the sources' facts (the
    official CFA file, the feeds), « inconnue » only when none says; recompute its quality verdict."""
    qs = Organisation.objects.select_related("commune")
    if organisation_ids is not None:
        qs = qs.filter(pk__in=list(organisation_ids))
    trainings = Training.objects.real()  # demonstration rows (is_demo) say nothing about a real organisation
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
    # What the sources say besides the catalogue's relations: the official CFA file, the LHEO feeds' roles.
    said: dict[int, set[str]] = {}
    for organisation_id, value in OrganisationFact.objects.filter(field=OrganisationFact.Field.NATURE).values_list(
        "organisation_id", "value"
    ):
        said.setdefault(organisation_id, set()).add(value)
    today = timezone.localdate()
    changed = []
    for organisation in qs.iterator(chunk_size=2000):
        nature = rules.nature(organisation.pk in responsible, organisation.pk in trainers)
        if nature == Organisation.Nature.UNKNOWN:  # the catalogue says nothing: what the sources say
            roles = said.get(organisation.pk, set())
            nature = rules.nature(bool(roles & rules.RESPONSIBLE_NATURES), bool(roles & rules.TRAINER_NATURES))
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
            organisation.updated_at = timezone.now()
            changed.append(organisation)
    return save_in_batches({("nature", "quality_issues", "quality_verdict", "updated_at"): changed})


def refresh_register(organisation_ids: Iterable[int] | None = None) -> None:
    """Reconcile UAIs, then nature and quality, for some organisations (all when None)."""
    ids = None if organisation_ids is None else list(organisation_ids)
    reconcile(None if ids is None else Organisation.objects.filter(pk__in=ids))
    refresh_nature_and_quality(ids)


def national_quality() -> dict:
    """Counts of the national data-quality report: organisations per verdict and per issue."""
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
        "courses_without_rncp": Training.objects.real()
        .filter(rncp_code="", certification=None)
        .exclude(status=Training.Status.CLOSED)
        .count(),
    }

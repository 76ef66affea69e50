"""Writes of the publication status of trainings: the transition table's steps, the rules, their history."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from alternance.core.bulk import insert_rows
from alternance.trainings import rules, workflow
from alternance.trainings.models import StatusChange, Training

HISTORY_FIELDS = ("training_id", "from_status", "to_status", "rule", "reason", "actor_id", "changed_at")


def change_status(training: Training, target: str, *, rule: str, reason: str = "", actor=None) -> list[StatusChange]:
    """Move a training to target through the transition table, one history row per step."""
    steps = workflow.path(training.status, target)
    changes = []
    now = timezone.now()
    for transition, reached in steps:
        changes.append(
            StatusChange(
                training=training,
                from_status=training.status,
                to_status=reached,
                rule=rule,
                reason=reason or transition.value,
                actor=actor,
            )
        )
        training.status = reached
    if changes:
        StatusChange.objects.bulk_create(changes)
        training.status_rule, training.status_changed_at = rule, now
        Training.objects.filter(pk=training.pk).update(status=training.status, status_rule=rule, status_changed_at=now)
    return changes


def facts(
    *,
    in_feed: bool,
    today: dt.date,
    certification: tuple | None,
    has_code: bool,
    end_date: dt.date | None,
    has_place: bool,
    organisation_verdict: str,
) -> dict:
    """The facts the publication rules read (see trainings.rules); certification: (expires_on, is_active,
    apprenticeship) or None."""
    expired = bool(certification and ((certification[0] and certification[0] < today) or not certification[1]))
    return {
        "in_feed": in_feed,
        "rncp_known": certification is not None,
        "rncp_expired": expired,
        "apprenticeship": certification[2] if certification else None,
        "has_certification": bool(certification or has_code),
        "sessions_over": bool(end_date and end_date < today),
        "has_place": has_place,
        "organisation_verdict": organisation_verdict,
    }


def training_facts(training: Training, *, in_feed: bool = True, today: dt.date | None = None) -> dict:
    """The facts the publication rules read (see trainings.rules)."""
    certification = training.certification
    return facts(
        in_feed=in_feed,
        today=today or timezone.localdate(),
        certification=(certification.expires_on, certification.is_active, certification.apprenticeship)
        if certification
        else None,
        has_code=bool(training.diploma_id or training.rncp_code or training.cfd_code),
        end_date=training.end_date,
        has_place=training.commune_id is not None or training.lat is not None,
        organisation_verdict=training.organisation.quality_verdict,
    )


def apply_rules(training: Training, *, in_feed: bool = True, actor=None) -> rules.Rule:
    """Set the status the first matching rule asks for, recording the rule in the history."""
    rule = rules.decide(training_facts(training, in_feed=in_feed))
    if rule.status != training.status:
        change_status(training, rule.status, rule=rule.code, reason=rule.reason, actor=actor)
    return rule


_FACT_COLUMNS = (
    "pk", "status", "certification_id", "certification__expires_on", "certification__is_active",
    "certification__apprenticeship", "diploma_id", "rncp_code", "cfd_code", "end_date", "commune_id", "lat",
    "organisation__quality_verdict",
)  # fmt: skip


def apply_rules_bulk(ids: Iterable[int], *, in_feed: bool = True) -> dict[str, int]:
    """apply_rules for many trainings, by id: one read of the facts, each distinct set of facts decided once,
    one history insert and one update per (status, rule); counts per rule."""
    now, today = timezone.now(), timezone.localdate()
    decided: dict[tuple, rules.Rule] = {}
    paths: dict[tuple[str, str], list] = {}
    history: list[tuple] = []
    groups: dict[tuple[str, str], list[int]] = {}
    counts: dict[str, int] = {}
    rows = Training.objects.filter(pk__in=list(ids)).values_list(*_FACT_COLUMNS)
    for pk, status, cert, expires, active, apprenticeship, diploma, rncp, cfd, end, commune, lat, verdict in rows:
        key = (
            cert is not None,
            bool(cert and ((expires and expires < today) or not active)),
            apprenticeship if cert else None,
            bool(cert or diploma or rncp or cfd),
            bool(end and end < today),
            commune is not None or lat is not None,
            verdict,
        )
        rule = decided.get(key)
        if rule is None:
            rule = decided[key] = rules.decide(
                facts(
                    in_feed=in_feed,
                    today=today,
                    certification=(expires, active, apprenticeship) if cert else None,
                    has_code=bool(diploma or rncp or cfd),
                    end_date=end,
                    has_place=key[5],
                    organisation_verdict=verdict,
                )
            )
        counts[rule.code] = counts.get(rule.code, 0) + 1
        if rule.status == status:
            continue
        steps = paths.get((status, rule.status))
        if steps is None:
            steps = paths[(status, rule.status)] = workflow.path(status, rule.status)
        for _transition, reached in steps:
            history.append((pk, status, reached, rule.code, rule.reason, None, now))
            status = reached
        groups.setdefault((rule.status, rule.code), []).append(pk)
    insert_rows(StatusChange, HISTORY_FIELDS, history)
    for (status, code), pks in groups.items():
        Training.objects.filter(pk__in=pks).update(status=status, status_rule=code, status_changed_at=now)
    return counts


def apply_rules_to_all(queryset=None) -> dict[str, int]:
    """Re-evaluate the rules on imported trainings (after the rules table changed); counts per rule."""
    counts: dict[str, int] = {}
    qs = queryset if queryset is not None else Training.objects.exclude(last_import=None)
    ids = list(qs.exclude(status_rule__in=[rules.ABSENT_FROM_FEED, rules.MANUAL]).values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        with transaction.atomic():
            for code, count in apply_rules_bulk(ids[start : start + 1000]).items():
                counts[code] = counts.get(code, 0) + count
    return counts


def decide_manually(training: Training, target: str, *, actor, reason: str) -> list[StatusChange]:
    """A staff decision (publish, reject...) recorded with the rule « manuel »."""
    return change_status(training, target, rule=rules.MANUAL, reason=reason, actor=actor)

"""Status of a learner on a date (pure, no database): the first matching rule of STATUS_RULES, each citing
its source. The validation of the records sent is in `validation` (fields in `fields`).
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from enum import StrEnum

RUPTURE_GRACE_DAYS = 180
NO_CONTRACT_GRACE_DAYS = 90


# --- status of a learner on a date ---------------------------------------------------------------------------


class Status(StrEnum):
    INSCRIT_SANS_CONTRAT = "inscrit_sans_contrat"
    APPRENTI = "apprenti"
    RUPTURE = "rupture"
    ABANDON = "abandon"
    DIPLOME = "diplome"
    SORTI = "sorti"


STATUS_LABELS = {
    Status.INSCRIT_SANS_CONTRAT: "Inscrit sans contrat",
    Status.APPRENTI: "Apprenti",
    Status.RUPTURE: "En rupture de contrat",
    Status.ABANDON: "Abandon",
    Status.DIPLOME: "Diplômé",
    Status.SORTI: "Sorti sans diplôme",
}


@dataclasses.dataclass(frozen=True)
class ContractFacts:
    start_date: dt.date
    end_date: dt.date | None
    break_date: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        return (
            self.start_date <= day
            and (self.break_date is None or day < self.break_date)
            and (self.end_date is None or day <= self.end_date)
        )


@dataclasses.dataclass(frozen=True)
class LearnerFacts:
    registered_on: dt.date
    course_start: dt.date
    course_end: dt.date
    dropped_out_on: dt.date | None = None
    outcome: str | None = None
    contracts: tuple[ContractFacts, ...] = ()

    def last_contract_before(self, day: dt.date) -> ContractFacts | None:
        started = [c for c in self.contracts if c.start_date <= day]
        return max(started, key=lambda c: c.start_date) if started else None


@dataclasses.dataclass(frozen=True)
class StatusRule:
    code: str
    status: Status | None
    source: str
    applies: Callable[[LearnerFacts, dt.date], bool]


def _broken_since(f: LearnerFacts, day: dt.date) -> int | None:
    last = f.last_contract_before(day)
    if last is None or last.break_date is None or last.break_date > day:
        return None
    return (day - last.break_date).days


def _without_contract(f: LearnerFacts, day: dt.date) -> bool:
    return f.last_contract_before(day) is None


STATUS_RULES: tuple[StatusRule, ...] = (
    StatusRule(
        "not_registered_yet", None, "Date d'inscription transmise par l'organisme", lambda f, d: d < f.registered_on
    ),
    StatusRule(
        "dropped_out",
        Status.ABANDON,
        "Abandon déclaré par l'organisme (dropped_out_on)",
        lambda f, d: f.dropped_out_on is not None and d >= f.dropped_out_on,
    ),
    StatusRule(
        "graduated",
        Status.DIPLOME,
        "Fin de formation et diplôme obtenu (course_end, outcome)",
        lambda f, d: d > f.course_end and f.outcome == "obtenu",
    ),
    StatusRule(
        "left", Status.SORTI, "Fin de formation sans diplôme obtenu (course_end)", lambda f, d: d > f.course_end
    ),
    StatusRule(
        "under_contract",
        Status.APPRENTI,
        "Contrat d'apprentissage en cours (Code du travail L6221-1)",
        lambda f, d: any(c.active_on(d) for c in f.contracts),
    ),
    StatusRule(
        "broken_within_grace",
        Status.RUPTURE,
        "Après une rupture, 180 jours pour trouver un nouvel employeur en formation (Code du travail L6222-18-2)",
        lambda f, d: (days := _broken_since(f, d)) is not None and days < RUPTURE_GRACE_DAYS,
    ),
    StatusRule(
        "broken_past_grace",
        Status.ABANDON,
        "Plus de 180 jours après la rupture sans nouvel employeur (Code du travail L6222-18-2)",
        lambda f, d: _broken_since(f, d) is not None,
    ),
    StatusRule(
        "no_contract_past_grace",
        Status.ABANDON,
        "Plus de 3 mois de formation sans contrat d'apprentissage (Code du travail L6222-12-1)",
        lambda f, d: _without_contract(f, d) and (d - f.course_start).days >= NO_CONTRACT_GRACE_DAYS,
    ),
    StatusRule(
        "no_contract",
        Status.INSCRIT_SANS_CONTRAT,
        "Jusqu'à 3 mois de formation en CFA sans contrat (Code du travail L6222-12-1)",
        lambda f, d: True,
    ),
)


@dataclasses.dataclass(frozen=True)
class StatusVerdict:
    status: Status | None
    rule: str
    source: str


def status_on(facts: LearnerFacts, day: dt.date) -> StatusVerdict:
    """The learner's status on a date: the first rule of STATUS_RULES that applies."""
    for rule in STATUS_RULES:
        if rule.applies(facts, day):
            return StatusVerdict(rule.status, rule.code, rule.source)
    raise AssertionError("the last rule always applies")


def facts_of(record: dict) -> LearnerFacts:
    """LearnerFacts of a normalised record (as returned by validate)."""
    return LearnerFacts(
        registered_on=record["registered_on"],
        course_start=record["course_start"],
        course_end=record["course_end"],
        dropped_out_on=record.get("dropped_out_on"),
        outcome=record.get("outcome") or None,
        contracts=tuple(
            ContractFacts(c["start_date"], c.get("end_date"), c.get("break_date"))
            for c in record.get("contracts") or []
        ),
    )

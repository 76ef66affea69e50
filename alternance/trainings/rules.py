"""Publication rules of imported trainings, as data: the first rule whose conditions all hold sets the status.

Each rule reads facts computed by trainings.services.training_facts:
  in_feed (bool), rncp_known (bool), rncp_expired (bool), apprenticeship (True/False/None),
  has_certification (bool), sessions_over (bool), has_place (bool), organisation_verdict (str).
Changing the catalogue policy means editing this table (and running `manage.py apply_training_rules`).
"""

from dataclasses import dataclass, field

from alternance.trainings.workflow import TrainingStatus

# Rule names kept in the history (StatusChange.rule, Training.status_rule) besides the table's own codes.
ABSENT_FROM_FEED = "absent_du_flux"  # the record left its feed: closed, and only a new import reopens it
MANUAL = "manuel"  # a staff decision: the rules leave it alone
IMPORTED = "import"  # first history row of an imported training


@dataclass(frozen=True)
class Rule:
    code: str
    status: TrainingStatus
    reason: str  # French, shown in the history
    when: dict = field(default_factory=dict)  # fact -> expected value; all must hold

    def matches(self, facts: dict) -> bool:
        return all(facts.get(name) == expected for name, expected in self.when.items())


RULES: tuple[Rule, ...] = (
    Rule(
        ABSENT_FROM_FEED,
        TrainingStatus.CLOSED,
        "La formation n'est plus dans le flux de son Carif-Oref.",
        {"in_feed": False},
    ),
    Rule("rncp_expire", TrainingStatus.CLOSED, "La fiche RNCP de la certification a expiré.", {"rncp_expired": True}),
    Rule("sessions_terminees", TrainingStatus.CLOSED, "Toutes les sessions sont terminées.", {"sessions_over": True}),
    Rule(
        "hors_apprentissage",
        TrainingStatus.REJECTED,
        "La certification n'est pas ouverte à l'apprentissage (kit apprentissage de France compétences).",
        {"apprenticeship": False},
    ),
    Rule(
        "sans_certification",
        TrainingStatus.TO_CHECK,
        "Ni code RNCP ni code diplôme : à vérifier.",
        {"has_certification": False},
    ),
    Rule("sans_lieu", TrainingStatus.TO_CHECK, "Le lieu de formation n'a pas pu être situé.", {"has_place": False}),
    Rule(
        "organisme_non_fiable",
        TrainingStatus.TO_CHECK,
        "L'organisme responsable a des données incohérentes (SIRET, UAI).",
        {"organisation_verdict": "non_fiable"},
    ),
    Rule("complete", TrainingStatus.PUBLISHED, "Formation complète : certification, lieu et sessions à venir.", {}),
)


def decide(facts: dict, rules: tuple[Rule, ...] = RULES) -> Rule:
    """The first rule that matches these facts (the last rule matches everything)."""
    return next(rule for rule in rules if rule.matches(facts))

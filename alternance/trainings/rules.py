"""Publication rules of imported trainings, as data: the first rule whose conditions all hold sets the status.

Each rule reads facts computed by trainings.services.training_facts:
  in_feed (bool), rncp_known (bool), rncp_expired (bool), apprenticeship (True/False/None),
  has_certification (bool), sessions_over (bool), has_place (bool), organisation_verdict (str).
Changing the catalogue policy means editing this table (and running `manage.py apply_training_rules`).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    code: str
    status: str  # a Training.Status value
    reason: str  # French, shown in the history
    when: dict = field(default_factory=dict)  # fact -> expected value; all must hold

    def matches(self, facts: dict) -> bool:
        return all(facts.get(name) == expected for name, expected in self.when.items())


RULES: tuple[Rule, ...] = (
    Rule("absent_du_flux", "fermee", "La formation n'est plus dans le flux de son Carif-Oref.", {"in_feed": False}),
    Rule("rncp_expire", "fermee", "La fiche RNCP de la certification a expiré.", {"rncp_expired": True}),
    Rule("sessions_terminees", "fermee", "Toutes les sessions sont terminées.", {"sessions_over": True}),
    Rule(
        "hors_apprentissage",
        "rejetee",
        "La certification n'est pas ouverte à l'apprentissage (kit apprentissage de France compétences).",
        {"apprenticeship": False},
    ),
    Rule(
        "sans_certification", "a_verifier", "Ni code RNCP ni code diplôme : à vérifier.", {"has_certification": False}
    ),
    Rule("sans_lieu", "a_verifier", "Le lieu de formation n'a pas pu être situé.", {"has_place": False}),
    Rule(
        "organisme_non_fiable",
        "a_verifier",
        "L'organisme responsable a des données incohérentes (SIRET, UAI).",
        {"organisation_verdict": "non_fiable"},
    ),
    Rule("complete", "publiee", "Formation complète : certification, lieu et sessions à venir.", {}),
)


def decide(facts: dict, rules: tuple[Rule, ...] = RULES) -> Rule:
    """The first rule that matches these facts (the last rule matches everything)."""
    return next(rule for rule in rules if rule.matches(facts))

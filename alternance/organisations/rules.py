"""Pure rules of the organisations register: UAI/SIRET pairs, reconciliation of sources, data quality."""

from collections.abc import Iterable
from dataclasses import dataclass

from alternance.core.identifiers import siret_errors, uai_departement, uai_errors


def pair_errors(siret: str, uai: str, departement: str | None = None) -> list[str]:
    """A UAI/SIRET pair is consistent when both are valid and the UAI's département is the address's (BCN)."""
    errors = []
    if siret:
        errors += siret_errors(siret)
    if uai:
        errors += uai_errors(uai)
    if not errors and uai and departement:
        uai_dep = uai_departement(uai)
        dep = departement.upper()
        if uai_dep and not (dep == uai_dep or (uai_dep.startswith("97") and dep.startswith(uai_dep[:3]))):
            errors.append(
                f"L'UAI {uai} appartient au département {uai_dep}, mais l'adresse de l'organisme est "
                f"dans le département {dep} : vérifiez l'UAI."
            )
    return errors


@dataclass(frozen=True)
class UaiCandidate:
    uai: str
    sources: tuple[str, ...]

    @property
    def weight(self) -> int:
        return len(self.sources)


@dataclass(frozen=True)
class Reconciliation:
    candidates: tuple[UaiCandidate, ...]  # most confirmed first
    probable: str  # "" when no valid candidate, or when the most confirmed valid UAIs tie
    conflict: bool
    tied: tuple[str, ...] = ()  # the valid UAIs confirmed by the same, highest number of sources (2 or more)

    @property
    def tie(self) -> bool:
        return len(self.tied) > 1


def reconcile_uai(observations: Iterable[tuple[str, str]]) -> Reconciliation:
    """Choose the probable UAI of a SIRET: the valid UAI confirmed by the most distinct sources.

    observations: (uai, source) pairs. When several valid UAIs are confirmed by the same, highest number of
    sources, none is probable: they are listed in `tied` (in UAI order). A conflict is flagged as soon as two
    different valid UAIs are given by the sources.
    """
    by_uai: dict[str, set[str]] = {}
    for uai, source in observations:
        uai = (uai or "").strip().upper()
        if uai:
            by_uai.setdefault(uai, set()).add(source)
    candidates = sorted(
        (UaiCandidate(uai, tuple(sorted(sources))) for uai, sources in by_uai.items()),
        key=lambda c: (-c.weight, bool(uai_errors(c.uai)), c.uai),
    )
    valid = [c for c in candidates if not uai_errors(c.uai)]
    valid.sort(key=lambda c: (-c.weight, c.uai))
    tied = tuple(c.uai for c in valid if c.weight == valid[0].weight) if valid else ()
    if len(tied) > 1:  # as many sources for each: none is more probable than the others
        return Reconciliation(tuple(candidates), "", True, tied)
    return Reconciliation(tuple(candidates), valid[0].uai if valid else "", len(valid) > 1)


# Data-quality issues: code -> (severity, French label). "error" makes an organisation unreliable.
ISSUES: dict[str, tuple[str, str]] = {
    "missing_siret": ("error", "SIRET manquant"),
    "invalid_siret": ("error", "SIRET invalide"),
    "missing_uai": ("warning", "UAI manquant"),
    "invalid_uai": ("error", "UAI invalide"),
    "uai_conflict": ("error", "Les sources donnent des UAI différents pour ce SIRET"),
    "inconsistent_pair": ("error", "Couple UAI/SIRET incohérent"),
    "closed_still_training": ("error", "SIRET fermé alors que des formations sont ouvertes"),
    "courses_without_rncp": ("warning", "Formations sans code RNCP"),
}


def quality_issues(
    *,
    siret: str,
    uai: str,
    departement: str | None,
    uai_conflict: bool,
    closed: bool,
    open_courses: int,
    courses_without_rncp: int,
) -> list[str]:
    """The data-quality issue codes of one organisation (see ISSUES)."""
    issues = []
    if not siret:
        issues.append("missing_siret")
    elif siret_errors(siret):
        issues.append("invalid_siret")
    if not uai:
        issues.append("missing_uai")
    elif uai_errors(uai):
        issues.append("invalid_uai")
    if uai_conflict:
        issues.append("uai_conflict")
    if siret and uai and not siret_errors(siret) and not uai_errors(uai) and pair_errors(siret, uai, departement):
        issues.append("inconsistent_pair")
    if closed and open_courses:
        issues.append("closed_still_training")
    if courses_without_rncp:
        issues.append("courses_without_rncp")
    return issues


def verdict(issues: Iterable[str]) -> str:
    """fiable (no issue), a_verifier (warnings only) or non_fiable (at least one error)."""
    severities = {ISSUES[code][0] for code in issues}
    if "error" in severities:
        return "non_fiable"
    if "warning" in severities:
        return "a_verifier"
    return "fiable"


RESPONSIBLE_NATURES = frozenset({"responsable", "responsable_formateur"})
TRAINER_NATURES = frozenset({"formateur", "responsable_formateur"})


def nature(is_responsible: bool, is_trainer: bool) -> str:
    """Nature of an organisation from the catalogue relations (LHEO 2.3: organisme responsable / formateur)."""
    if is_responsible and is_trainer:
        return "responsable_formateur"
    if is_responsible:
        return "responsable"
    if is_trainer:
        return "formateur"
    return "inconnue"

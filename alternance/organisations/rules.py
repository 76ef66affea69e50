"""Pure rules of the organisations register: UAI/SIRET pairs, reconciliation of sources, data quality,
the weight of each source per field (the organisation's own declarations) and the checks of contact fields."""

import datetime as dt
import re
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
        if uai and source_weight("uai", source) > 0:  # a declaration never confirms a UAI
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


# ---------------------------------------------------------------------------------------------- declarations
DECLARATION = "declaration_organisme"
"""Source of the facts an organisation's members declare in their space (/espace/organismes/<id>/fiche/)."""

SOURCE_LABELS = {
    DECLARATION: "déclaration de l'organisme",
    "cfa_uai_siret": "liste des CFA (UAI et SIRET), ministère de l'Éducation nationale",
    "registre": "registre de la plateforme",
}


def source_label(source: str) -> str:
    """The French name of a source shown to people (its code when it has no name of its own)."""
    return SOURCE_LABELS.get(source, source)


CONTACT_FIELDS = ("contact_email", "phone", "website", "address", "postcode", "commune")
"""Facts an organisation may declare; the address is the three fields address, postcode and commune."""
ADDRESS_FIELDS = ("address", "postcode", "commune")
IDENTITY_FIELDS = ("siret", "uai", "name", "nature", "qualiopi", "closed_on")

# How much a source counts for a field; the highest weight wins, then the latest date. Decision: an
# organisation knows its own contact details and training sites better than any file (its declaration wins
# over every official source for them, even an older or newer file), but its identity is what the State's
# files say: a declaration counts 0 for the UAI, the SIRET, the name, the nature, Qualiopi and a closure,
# so no member can move a UAI or reopen a closed SIRET by declaring it.
DECLARATION_WEIGHTS: dict[str, int] = {
    **{field: 10 for field in (*CONTACT_FIELDS, "site")},
    **{field: 0 for field in IDENTITY_FIELDS},
}
OFFICIAL_WEIGHT = 1


def source_weight(field: str, source: str) -> int:
    """Weight of `source` for `field` (DECLARATION_WEIGHTS for a declaration, OFFICIAL_WEIGHT otherwise)."""
    if source == DECLARATION:
        return DECLARATION_WEIGHTS.get(field, 0)
    return OFFICIAL_WEIGHT


@dataclass(frozen=True)
class Observation:
    value: str
    source: str
    observed_on: dt.date


def choose(field: str, observations: Iterable[Observation]) -> Observation | None:
    """The observation the register shows for a field: highest source weight, then latest date (then the
    value, so that the choice never depends on the order); sources of weight 0 are ignored."""
    counted = [o for o in observations if o.value and source_weight(field, o.source) > 0]
    if not counted:
        return None
    return max(counted, key=lambda o: (source_weight(field, o.source), o.observed_on, o.value))


_PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")


def phone_errors(value: str) -> list[str]:
    """A French number (plan de numérotation, ARCEP): 10 digits from 0 and a non-zero digit, or +33 then 9."""
    digits = _PHONE_SEPARATORS.sub("", value or "")
    if digits.startswith("+33"):
        national = "0" + digits[3:]
    elif digits.startswith("0033"):
        national = "0" + digits[4:]
    else:
        national = digits
    if not national.isdigit():
        return ["Le numéro de téléphone ne contient que des chiffres (espaces et points permis) : 04 78 12 34 56."]
    if len(national) != 10 or not re.fullmatch(r"0[1-9]\d{8}", national):
        count = len(national)
        return [
            f"Le numéro de téléphone compte 10 chiffres et commence par 0 (ou +33 suivi de 9 chiffres) ; "
            f"vous en avez saisi {count}."
            if count != 10
            else "Le numéro de téléphone commence par 0 suivi d'un chiffre de 1 à 9, par exemple 04 78 12 34 56."
        ]
    return []


def format_phone(value: str) -> str:
    """A valid French number written in pairs: « 04 78 12 34 56 »."""
    digits = _PHONE_SEPARATORS.sub("", value or "")
    national = (
        "0" + digits[3:] if digits.startswith("+33") else "0" + digits[4:] if digits.startswith("0033") else digits
    )
    return " ".join(national[i : i + 2] for i in range(0, 10, 2))


def website_errors(value: str) -> list[str]:
    """A website is an http(s) address with a domain name (the rest is checked by the form's URL field)."""
    if not re.match(r"^https?://[^/\s]+\.[^/\s]+", value or "", re.IGNORECASE):
        return [
            "L'adresse du site doit commencer par https:// et contenir un nom de domaine, par exemple https://www.cfa-exemple.fr."
        ]
    return []

"""Checks of an apprenticeship contract, as the official form (CERFA FA13) does them (pure, no database).

A contract is a flat mapping of typed values (``date``, ``Decimal``, ``bool``, ``str``) keyed by the names of
``FIELD_LABELS``. ``check_contract`` returns every failed check, each naming its field and its rule in French.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from alternance.contracts.pay import (
    PayError,
    PayPeriod,
    add_years,
    age_on,
    format_date_fr,
    format_money_fr,
    minimum_pay,
)
from alternance.core.identifiers import siret_errors, uai_errors

FIELD_LABELS: dict[str, str] = {
    # Employeur
    "employer_name": "Dénomination de l'employeur",
    "employer_siret": "SIRET de l'établissement d'exécution du contrat",
    "employer_naf": "Code NAF de l'activité principale",
    "employer_idcc": "Code IDCC de la convention collective",
    "employer_headcount": "Effectif salarié de l'entreprise",
    "employer_address": "Adresse de l'établissement",
    "employer_postcode": "Code postal de l'établissement",
    "employer_city": "Commune de l'établissement",
    "employer_email": "Courriel de l'employeur",
    # Apprenti
    "apprentice_last_name": "Nom de naissance de l'apprenti",
    "apprentice_first_name": "Prénom de l'apprenti",
    "apprentice_birth_date": "Date de naissance de l'apprenti",
    "apprentice_address": "Adresse de l'apprenti",
    "apprentice_postcode": "Code postal de l'apprenti",
    "apprentice_city": "Commune de l'apprenti",
    "apprentice_email": "Courriel de l'apprenti",
    "apprentice_left_3e": "L'apprenti a terminé la classe de 3e",
    "apprentice_disability": "L'apprenti bénéficie de la reconnaissance de travailleur handicapé (RQTH)",
    "apprentice_business_project": "L'apprenti a un projet de création ou de reprise d'entreprise",
    "apprentice_high_level_athlete": "L'apprenti est inscrit comme sportif de haut niveau",
    # Représentant légal
    "guardian_last_name": "Nom du représentant légal",
    "guardian_first_name": "Prénom du représentant légal",
    "guardian_address": "Adresse du représentant légal",
    # Maîtres d'apprentissage
    "supervisor1_last_name": "Nom du maître d'apprentissage",
    "supervisor1_first_name": "Prénom du maître d'apprentissage",
    "supervisor1_birth_date": "Date de naissance du maître d'apprentissage",
    "supervisor1_job_title": "Emploi occupé par le maître d'apprentissage",
    "supervisor2_last_name": "Nom du second maître d'apprentissage",
    "supervisor2_first_name": "Prénom du second maître d'apprentissage",
    "supervisor2_birth_date": "Date de naissance du second maître d'apprentissage",
    "supervisor2_job_title": "Emploi occupé par le second maître d'apprentissage",
    # Formation
    "training_cfa_name": "Nom du CFA",
    "training_cfa_uai": "Numéro UAI du CFA",
    "training_diploma_code": "Code du diplôme ou titre préparé (CFD ou RNCP)",
    "training_diploma_title": "Intitulé du diplôme ou titre préparé",
    "training_start_date": "Date de début de la formation",
    "training_end_date": "Date de fin de la formation",
    # Contrat
    "contract_start_date": "Date de début d'exécution du contrat",
    "contract_end_date": "Date de fin du contrat",
    "contract_weekly_hours": "Durée hebdomadaire de travail",
    "contract_monthly_pay": "Salaire brut mensuel à l'embauche",
    "contract_conventional_monthly": "Salaire minimum conventionnel de l'emploi",
    "contract_mayotte": "Le contrat s'exécute à Mayotte",
}


def _block(prefix: str) -> tuple[str, ...]:
    return tuple(field for field in FIELD_LABELS if field.startswith(prefix))


# The blocks of the official form, in order: (key, French title, fields).
FIELD_BLOCKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("employer", "L'employeur", _block("employer_")),
    ("apprentice", "L'apprenti(e)", _block("apprentice_")),
    ("guardian", "Le représentant légal (si l'apprenti est mineur)", _block("guardian_")),
    ("supervisors", "Le ou les maîtres d'apprentissage", _block("supervisor")),
    ("training", "La formation", _block("training_")),
    ("contract", "Le contrat", _block("contract_")),
)

MIN_AGE, MIN_AGE_AFTER_3E, MAX_AGE = 16, 15, 29
NAF_RE = re.compile(r"^\d{2}\.\d{2}[A-Z]$")
IDCC_RE = re.compile(r"^\d{4}$")
CFD_RE = re.compile(r"^[0-9A-Z]{8}$")
RNCP_RE = re.compile(r"^RNCP\d{1,6}$")


@dataclass(frozen=True)
class Issue:
    field: str
    rule: str  # stable code, e.g. "age_min"
    message: str  # French, names the field and says how to fix it


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, or the last day of a shorter month (Code de procédure civile, art. 641)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def normalize_naf(value: str) -> str:
    value = (value or "").strip().upper().replace(" ", "")
    if re.fullmatch(r"\d{4}[A-Z]", value):
        value = f"{value[:2]}.{value[2:]}"
    return value


def normalize_diploma_code(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


# The legal source named at the end of each message, by rule.
SOURCES = {
    "age_min": "Code du travail, art. L6222-1",
    "age_max": "Code du travail, art. L6222-1 et L6222-2",
    "guardian_required": "Code civil, art. 388 ; formulaire CERFA FA13",
    "supervisor_minor": "Code du travail, art. L6223-8-1",
    "supervisor2_incomplete": "Code du travail, art. L6223-6",
    "duration_min": "Code du travail, art. L6222-7-1",
    "duration_max": "Code du travail, art. L6222-7-1, L6222-37 et R6222-47",
    "end_after_training": "contrôle du formulaire CERFA FA13",
    "naf_format": "nomenclature NAF rév. 2, INSEE",
    "pay_below_minimum": "Code du travail, art. L6222-27 et D6222-26",
}


def _issue(field: str, rule: str, how: str) -> Issue:
    source = SOURCES.get(rule)
    if source:
        how = f"{how.rstrip('.')} ({source})."
    return Issue(field, rule, f"{FIELD_LABELS[field]} : {how}")


def check_age(data: Mapping) -> list[Issue]:
    """16 to 29 years at the start (L6222-1); 15 after the 3e (L6222-1); no upper limit in the cases of L6222-2."""
    birth, start = data.get("apprentice_birth_date"), data.get("contract_start_date")
    if not birth or not start:
        return []
    if birth >= start:
        return [_issue("apprentice_birth_date", "birth_after_start", "la date doit précéder le début du contrat.")]
    age = age_on(birth, start)
    minimum = MIN_AGE_AFTER_3E if data.get("apprentice_left_3e") else MIN_AGE
    if age < minimum:
        return [
            _issue(
                "apprentice_birth_date",
                "age_min",
                f"l'apprenti doit avoir au moins 16 ans au début du contrat (15 ans s'il a terminé la classe "
                f"de 3e) ; il aura {age} ans le {format_date_fr(start)}. Reportez le début du contrat.",
            )
        ]
    exempt = any(
        data.get(key)
        for key in ("apprentice_disability", "apprentice_business_project", "apprentice_high_level_athlete")
    )
    if age > MAX_AGE and not exempt:
        return [
            _issue(
                "apprentice_birth_date",
                "age_max",
                f"l'apprenti doit avoir au plus 29 ans au début du contrat ; il aura {age} ans le "
                f"{format_date_fr(start)}. Cette limite ne s'applique pas en cas de RQTH, de projet de création "
                "ou de reprise d'entreprise, ou aux sportifs de haut niveau : cochez la case qui convient.",
            )
        ]
    return []


def check_guardian(data: Mapping) -> list[Issue]:
    """A minor apprentice (under 18, Code civil art. 388) signs with a legal guardian (CERFA FA13)."""
    birth, start = data.get("apprentice_birth_date"), data.get("contract_start_date")
    if not birth or not start or birth >= start or age_on(birth, start) >= 18:
        return []
    return [
        _issue(field, "guardian_required", "l'apprenti est mineur au début du contrat : renseignez ce champ.")
        for field in ("guardian_last_name", "guardian_first_name", "guardian_address")
        if not (data.get(field) or "").strip()
    ]


def check_supervisors(data: Mapping) -> list[Issue]:
    """Each maître d'apprentissage is of age (L6223-8-1); a second one is fully identified (L6223-6)."""
    issues = []
    start = data.get("contract_start_date")
    second = ("supervisor2_last_name", "supervisor2_first_name", "supervisor2_birth_date", "supervisor2_job_title")
    if any(data.get(field) for field in second):
        issues += [
            _issue(field, "supervisor2_incomplete", "renseignez ce champ ou videz tous les champs du second maître.")
            for field in second
            if not data.get(field)
        ]
    for prefix in ("supervisor1", "supervisor2"):
        birth = data.get(f"{prefix}_birth_date")
        if birth and start and age_on(birth, start) < 18:
            issues.append(
                _issue(
                    f"{prefix}_birth_date",
                    "supervisor_minor",
                    "le maître d'apprentissage doit être majeur au début du contrat ; choisissez une autre personne.",
                )
            )
    return issues


def check_duration(data: Mapping) -> list[Issue]:
    """6 months to 3 years (L6222-7-1); up to 4 years for a disabled apprentice (L6222-37, R6222-47)."""
    start, end = data.get("contract_start_date"), data.get("contract_end_date")
    if not start or not end:
        return []
    if end <= start:
        return [_issue("contract_end_date", "end_before_start", "la date de fin doit suivre la date de début.")]
    if end < add_months(start, 6) - timedelta(days=1):
        return [
            _issue(
                "contract_end_date",
                "duration_min",
                "le contrat doit durer au moins 6 mois : choisissez une date de fin au "
                f"{format_date_fr(add_months(start, 6) - timedelta(days=1))} ou plus tard.",
            )
        ]
    years = 4 if data.get("apprentice_disability") else 3
    latest = add_years(start, years) - timedelta(days=1)
    if end > latest:
        return [
            _issue(
                "contract_end_date",
                "duration_max",
                f"le contrat dure au plus {years} ans"
                + ("" if years == 4 else " (4 ans pour un apprenti reconnu travailleur handicapé)")
                + f" : choisissez une date de fin au {format_date_fr(latest)} au plus tard.",
            )
        ]
    return []


def check_training_dates(data: Mapping) -> list[Issue]:
    """The contract ends at most 3 months after the end of the training (contrôle du CERFA FA13)."""
    issues = []
    t_start, t_end, end = data.get("training_start_date"), data.get("training_end_date"), data.get("contract_end_date")
    if t_start and t_end and t_end <= t_start:
        issues.append(_issue("training_end_date", "training_end_before_start", "la fin doit suivre le début."))
    if t_end and end and end > add_months(t_end, 3):
        issues.append(
            _issue(
                "contract_end_date",
                "end_after_training",
                "le contrat doit finir au plus tard 3 mois après la fin de la formation, soit le "
                f"{format_date_fr(add_months(t_end, 3))} : avancez la date de fin.",
            )
        )
    return issues


def check_identifiers(data: Mapping) -> list[Issue]:
    """SIRET (INSEE, Luhn), NAF rev. 2 « 99.99X » (INSEE), IDCC on 4 digits, UAI of the CFA (BCN)."""
    issues = []
    if data.get("employer_siret") is not None:
        issues += [Issue("employer_siret", "siret", m) for m in siret_errors(data["employer_siret"])]
    naf = data.get("employer_naf")
    if naf is not None and not NAF_RE.match(normalize_naf(naf)):
        issues.append(
            _issue("employer_naf", "naf_format", "saisissez 4 chiffres et une lettre, par exemple 10.71C ou 1071C.")
        )
    idcc = data.get("employer_idcc")
    if idcc is not None and not IDCC_RE.match(idcc.strip()):
        issues.append(
            _issue(
                "employer_idcc",
                "idcc_format",
                "saisissez les 4 chiffres du code IDCC (9999 s'il n'y a pas de convention collective).",
            )
        )
    if data.get("training_cfa_uai"):
        issues += [Issue("training_cfa_uai", "uai", m) for m in uai_errors(data["training_cfa_uai"])]
    return issues


def check_diploma(data: Mapping, diploma_is_known: Callable[[str], bool]) -> list[Issue]:
    """The diploma is a CFD (Base centrale des nomenclatures) or an RNCP number (France compétences) in force."""
    code = data.get("training_diploma_code")
    if code is None:
        return []
    code = normalize_diploma_code(code)
    if not (CFD_RE.match(code) or RNCP_RE.match(code)):
        return [
            _issue(
                "training_diploma_code",
                "diploma_format",
                "saisissez un code CFD de 8 caractères (par exemple 50022137) "
                "ou un numéro RNCP (par exemple RNCP37850).",
            )
        ]
    if not diploma_is_known(code):
        return [
            _issue(
                "training_diploma_code",
                "diploma_unknown",
                f"le code {code} est absent des référentiels (BCN et RNCP) : vérifiez-le auprès du CFA.",
            )
        ]
    return []


PAY_FIELDS = {
    "birth_date": "apprentice_birth_date",
    "start_date": "contract_start_date",
    "end_date": "contract_end_date",
    "conventional_monthly": "contract_conventional_monthly",
    "mayotte": "contract_mayotte",
}


def check_pay(data: Mapping, smic_schedule: Iterable) -> tuple[list[Issue], list[PayPeriod]]:
    """The proposed pay is not below the legal minimum of the first period (L6222-27, D6222-26)."""
    birth, start, end = (
        data.get("apprentice_birth_date"),
        data.get("contract_start_date"),
        data.get("contract_end_date"),
    )
    if not birth or not start or not end:
        return [], []
    try:
        periods = minimum_pay(
            birth,
            start,
            end,
            smic_schedule,
            conventional_monthly=data.get("contract_conventional_monthly"),
            mayotte=bool(data.get("contract_mayotte")),
        )
    except PayError as error:
        field = PAY_FIELDS.get(error.field or "", "contract_start_date")
        return [Issue(field, error.code, f"{FIELD_LABELS[field]} : {error.message}")], []
    pay: Decimal | None = data.get("contract_monthly_pay")
    first = periods[0]
    if pay is not None and pay < first.minimum_monthly:
        return [
            _issue(
                "contract_monthly_pay",
                "pay_below_minimum",
                f"le minimum légal au début du contrat est de {format_money_fr(first.minimum_monthly)} "
                f"({first.percent} % du {'SMIC' if first.base == 'SMIC' else 'salaire minimum conventionnel'}) : "
                "proposez au moins ce montant.",
            )
        ], periods
    return [], periods


def check_contract(
    data: Mapping, smic_schedule: Iterable, diploma_is_known: Callable[[str], bool]
) -> tuple[list[Issue], list[PayPeriod]]:
    """Every check of the contract; an empty list of issues means the contract can be printed."""
    issues = check_age(data) + check_guardian(data) + check_supervisors(data) + check_duration(data)
    issues += check_training_dates(data) + check_identifiers(data) + check_diploma(data, diploma_is_known)
    pay_issues, periods = check_pay(data, smic_schedule)
    known = {(i.field, i.rule) for i in issues}
    issues += [i for i in pay_issues if (i.field, i.rule) not in known]
    return issues, periods

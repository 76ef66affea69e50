"""Checks of an apprenticeship contract, as the official form (CERFA FA13) does them (pure, no database).

A contract is a flat mapping of typed values (``date``, ``Decimal``, ``bool``, ``str``) keyed by the names of
``fields.FIELD_LABELS`` (the boxes of the form and its blocks are in ``fields``). ``check_contract`` returns
every failed check, each naming its field and its rule in French.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from alternance.contracts.fields import (
    FIELD_LABELS,
    normalize_diploma_code,
    normalize_idcc,
    normalize_naf,
)
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


# The legal source named at the end of each message, by rule.
SOURCES = {
    "age_min": "Code du travail, art. L6222-1",
    "age_max": "Code du travail, art. L6222-1 et L6222-2",
    "guardian_required": "Code civil, art. 388 ; formulaire CERFA FA13",
    "supervisor_minor": "Code du travail, art. L6223-8-1",
    "supervisor2_incomplete": "Code du travail, art. L6223-6",
    "duration_min": "Code du travail, art. L6222-7-1",
    "duration_max": "Code du travail, art. L6222-7-1, L6222-37 et R6222-47",
    "end_after_training": "Code du travail, art. L6222-7-1 ; notice du cerfa FA14",
    "practical_start_late": "Code du travail, art. L6222-12",
    "practical_start_early": "notice du cerfa FA14",
    "training_start_late": "Code du travail, art. L6222-12",
    "signature_after_start": "notice du cerfa FA14",
    "derogation_under_16": "Code du travail, art. L6222-1 ; notice du cerfa FA14",
    "derogation_over_29": "Code du travail, art. L6222-2 ; notice du cerfa FA14",
    "derogation_longer": "Code du travail, art. L6222-37 et R6222-47 ; notice du cerfa FA14",
    "derogation_shorter": "Code du travail, art. L6222-7-1 ; notice du cerfa FA14",
    "previous_number_required": "notice du cerfa FA14",
    "amendment_date_required": "notice du cerfa FA14",
    "minor_hours": "Code du travail, art. L3162-1",
    "supervisor_experience": "Code du travail, art. R6223-22",
    "supervisor_required": "Code du travail, art. L6223-5",
    "percent_below_minimum": "Code du travail, art. L6222-27 et D6222-26",
    "idcc_format": "liste des conventions collectives, ministère du Travail",
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


def check_practical_start(data: Mapping) -> list[Issue]:
    """Practical training at the employer and training at the CFA start at most 3 months after the contract
    (Code du travail, L6222-12)."""
    issues = []
    start = data.get("contract_start_date")
    if not start:
        return []
    latest = add_months(start, 3)
    practical = data.get("contract_practical_start_date")
    if practical and practical < start:
        issues.append(
            _issue(
                "contract_practical_start_date",
                "practical_start_early",
                f"la formation pratique ne peut commencer avant le début du contrat ({format_date_fr(start)}).",
            )
        )
    elif practical and practical > latest:
        issues.append(
            _issue(
                "contract_practical_start_date",
                "practical_start_late",
                "la formation pratique chez l'employeur commence au plus tard 3 mois après le début du contrat, "
                f"soit le {format_date_fr(latest)} : avancez cette date.",
            )
        )
    t_start = data.get("training_start_date")
    if t_start and t_start > latest:
        issues.append(
            _issue(
                "training_start_date",
                "training_start_late",
                "la formation en CFA commence au plus tard 3 mois après le début du contrat, soit le "
                f"{format_date_fr(latest)} : avancez cette date ou retardez le début du contrat.",
            )
        )
    signed = data.get("contract_signature_date")
    if signed and signed > start:
        issues.append(
            _issue(
                "contract_signature_date",
                "signature_after_start",
                f"le contrat est signé au plus tard le jour où il commence ({format_date_fr(start)}).",
            )
        )
    return issues


DEROGATION_CUMUL = "50"


def _has_derogation(data: Mapping, code: str) -> bool:
    return (data.get("contract_derogation") or "") in (code, DEROGATION_CUMUL)


def check_derogations(data: Mapping) -> list[Issue]:
    """A contract outside the common rules names its derogation: under 16, over 29, longer or shorter (notice
    du cerfa FA14)."""
    issues = []
    birth, start, end = (
        data.get("apprentice_birth_date"),
        data.get("contract_start_date"),
        data.get("contract_end_date"),
    )
    derogation = data.get("contract_derogation")
    if derogation is None:  # the contract step is not filled in yet
        return []
    if birth and start and birth < start:
        age = age_on(birth, start)
        if age < MIN_AGE and not _has_derogation(data, "11"):
            issues.append(
                _issue(
                    "contract_derogation",
                    "derogation_under_16",
                    "l'apprenti a moins de 16 ans au début du contrat : choisissez la dérogation 11 (âge "
                    "inférieur à 16 ans) ou 50 (cumul de dérogations).",
                )
            )
        if age > MAX_AGE and not _has_derogation(data, "12"):
            issues.append(
                _issue(
                    "contract_derogation",
                    "derogation_over_29",
                    "l'apprenti a plus de 29 ans au début du contrat : choisissez la dérogation 12 (âge "
                    "supérieur à 29 ans) ou 50 (cumul de dérogations).",
                )
            )
    if start and end and end > add_years(start, 3) - timedelta(days=1) and not _has_derogation(data, "22"):
        issues.append(
            _issue(
                "contract_derogation",
                "derogation_longer",
                "le contrat dure plus de 3 ans : choisissez la dérogation 22 (allongement de la durée) ou 50.",
            )
        )
    return issues


def check_contract_kind(data: Mapping) -> list[Issue]:
    """A renewal or an amendment names the contract it follows; an amendment has its date (notice du cerfa FA14)."""
    from alternance.contracts.codes import AMENDMENT_TYPES, RENEWAL_TYPES

    kind = data.get("contract_type") or ""
    issues = []
    if kind in AMENDMENT_TYPES | RENEWAL_TYPES and not (data.get("contract_previous_number") or "").strip():
        issues.append(
            _issue(
                "contract_previous_number",
                "previous_number_required",
                "un nouveau contrat après un premier contrat, ou un avenant, indique le numéro du contrat "
                "précédent : renseignez-le (il figure sur l'accusé de dépôt de l'OPCO).",
            )
        )
    if kind in AMENDMENT_TYPES and not data.get("contract_amendment_date"):
        issues.append(
            _issue(
                "contract_amendment_date", "amendment_date_required", "un avenant a une date d'effet : saisissez-la."
            )
        )
    return issues


MINOR_MAX_WEEKLY_HOURS = Decimal(35)


def check_minor_hours(data: Mapping) -> list[Issue]:
    """A worker under 18 works at most 35 hours a week (Code du travail, L3162-1)."""
    birth, start, hours = (
        data.get("apprentice_birth_date"),
        data.get("contract_start_date"),
        data.get("contract_weekly_hours"),
    )
    if not birth or not start or hours is None or birth >= start or age_on(birth, start) >= 18:
        return []
    if hours > MINOR_MAX_WEEKLY_HOURS:
        return [
            _issue(
                "contract_weekly_hours",
                "minor_hours",
                "l'apprenti est mineur au début du contrat : 35 heures par semaine au plus.",
            )
        ]
    return []


def diploma_level_of(data: Mapping) -> int | None:
    """Level (3 to 8) of the diploma prepared, from its type code (DIPLOMA_TYPES) when known."""
    known = data.get("training_diploma_level")
    if known:
        return int(known)
    code = data.get("training_diploma_type") or ""
    levels = {"3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8}
    if len(code) == 2:
        return levels.get(code[0])
    return None


def check_supervisor_experience(data: Mapping) -> list[Issue]:
    """A maître d'apprentissage has a diploma of at least the apprentice's level and 1 year of experience, or
    2 years of experience in the qualification (Code du travail, R6223-22)."""
    issues = []
    target = diploma_level_of(data)
    for prefix in ("supervisor1", "supervisor2"):
        years = data.get(f"{prefix}_experience_years")
        if years is None or (prefix == "supervisor2" and not data.get("supervisor2_last_name")):
            continue
        level = data.get(f"{prefix}_diploma_level")
        level = int(level) if str(level or "").isdigit() else None
        needed = 1 if (level and target and level >= target) else 2
        if years < needed:
            how = (
                "avec un diplôme au moins du niveau de celui que prépare l'apprenti, 1 an d'expérience dans la "
                "qualification est exigé ; sinon 2 ans"
                if needed == 1
                else "sans diplôme au moins du niveau de celui que prépare l'apprenti, 2 ans d'expérience dans "
                "la qualification sont exigés"
            )
            issues.append(
                _issue(
                    f"{prefix}_experience_years",
                    "supervisor_experience",
                    f"{how} : choisissez une autre personne ou vérifiez l'accord de branche.",
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
    if idcc is not None and not IDCC_RE.match(normalize_idcc(idcc)):
        issues.append(
            _issue(
                "employer_idcc",
                "idcc_format",
                "saisissez le code IDCC, 4 chiffres au plus (843 ou 0843 ; 9999 s'il n'y a pas de convention "
                "collective).",
            )
        )
    for field in ("training_cfa_siret", "training_site_siret"):
        if data.get(field):
            issues += [_issue(field, "siret", m[0].lower() + m[1:]) for m in siret_errors(data[field])]
    for field in ("training_cfa_uai", "training_site_uai"):
        if data.get(field):
            issues += [_issue(field, "uai", m[0].lower() + m[1:]) for m in uai_errors(data[field])]
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
    issues = []
    for period in periods:
        field = f"pay_percent_{period.contract_year}"
        chosen = data.get(field)
        if chosen is not None and chosen < period.percent and field in FIELD_LABELS:
            if not any(i.field == field for i in issues):
                issues.append(
                    _issue(
                        field,
                        "percent_below_minimum",
                        f"du {format_date_fr(period.start)} au {format_date_fr(period.end)}, le minimum légal est "
                        f"de {period.percent}\u00a0% : saisissez au moins {period.percent}.",
                    )
                )
    if issues:
        return issues, periods
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
    issues += check_practical_start(data) + check_derogations(data) + check_contract_kind(data)
    issues += check_minor_hours(data) + check_supervisor_experience(data)
    pay_issues, periods = check_pay(data, smic_schedule)
    known = {(i.field, i.rule) for i in issues}
    issues += [i for i in pay_issues if (i.field, i.rule) not in known]
    return issues, periods

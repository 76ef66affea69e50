"""Rules of enrolment records (pure, no database): validation of each field, and the learner's status.

Validation is a table: each field has a parser (FIELDS), then cross-field checks run in order (CHECKS);
every error is {"code", "message", "field"} with a French message naming the field and the fix. The
referentials the checks need (known CFD/RNCP, communes, the organisation's UAIs) come in a `Referential`
built by the caller. The status of a learner on a date is the first matching rule of STATUS_RULES, each
citing its source.
"""

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Callable
from enum import StrEnum

from alternance.core import identifiers

# The same organisations' codes repeat in every record of a batch: their checks are memoised.
uai_errors = functools.lru_cache(maxsize=4096)(identifiers.uai_errors)
siret_errors = functools.lru_cache(maxsize=65536)(identifiers.siret_errors)

MIN_AGE, MAX_AGE = 15, 30
RUPTURE_GRACE_DAYS = 180
NO_CONTRACT_GRACE_DAYS = 90
MAX_CONTRACTS = 10
OUTCOMES = ("obtenu", "non_obtenu")


# --- the record's fields -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # text, code, date, bool, contracts
    required: bool = False
    max_length: int = 255


FIELDS = (
    Field("learner_id", "identifiant de l'apprenant", "text", True),
    Field("school_year", "année scolaire", "text", True, 9),
    Field("last_name", "nom", "text", True),
    Field("first_name", "prénom", "text", True),
    Field("birth_date", "date de naissance", "date", True),
    Field("email", "courriel", "text", False, 254),
    Field("phone", "téléphone", "text", False, 32),
    Field("postcode", "code postal", "code", False, 5),
    Field("commune_insee", "code INSEE de la commune", "code", False, 5),
    Field("nir", "NIR", "text", False, 30),
    Field("uai_responsable", "UAI de l'organisme responsable", "code", True, 8),
    Field("siret_responsable", "SIRET de l'organisme responsable", "code", False, 14),
    Field("uai_formateur", "UAI de l'organisme formateur", "code", True, 8),
    Field("siret_formateur", "SIRET de l'organisme formateur", "code", False, 14),
    Field("cfd", "code formation diplôme (CFD)", "code", False, 8),
    Field("rncp", "code RNCP", "code", False, 12),
    Field("course_start", "date de début de formation", "date", True),
    Field("course_end", "date de fin de formation", "date", True),
    Field("registered_on", "date d'inscription", "date", True),
    Field("contracts", "contrats", "contracts"),
    Field("dropped_out_on", "date d'abandon", "date"),
    Field("outcome", "résultat à l'examen", "text", False, 16),
    Field("rqth", "RQTH", "bool"),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
CONTRACT_FIELDS = (
    Field("employer_siret", "SIRET de l'employeur", "code", True, 14),
    Field("start_date", "date de début du contrat", "date", True),
    Field("end_date", "date de fin du contrat", "date"),
    Field("break_date", "date de rupture", "date"),
    Field("break_reason", "motif de rupture", "text", False, 255),
)
LABELS = {f.name: f.label for f in FIELDS + CONTRACT_FIELDS}


def error(code: str, field: str, message: str) -> dict:
    return {"code": code, "message": message, "field": field}


_FRENCH_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SCHOOL_YEAR = re.compile(r"(\d{4})-(\d{4})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"(\+\d{2,3}|0)\d{9}")
_PHONE_SEPARATORS = re.compile(r"[ .\-]")


def parse_date(value) -> dt.date | None:
    """ISO 8601 (AAAA-MM-JJ), or JJ/MM/AAAA as spreadsheets write it; datetime cells give their date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError
    known = _DATES.get(value)
    if known is not None:
        return known
    day = _parse_date_text(value.strip())
    if len(_DATES) < _DATES_MAX:  # the same few hundred dates repeat in every batch
        _DATES[value] = day
    return day


_DATES: dict[str, dt.date] = {}
_DATES_MAX = 100_000


def _parse_date_text(value: str) -> dt.date:
    if len(value) == 10 and value[4] == "-":
        return dt.date.fromisoformat(value)
    if _FRENCH_DATE.fullmatch(value):
        return dt.date(int(value[6:]), int(value[3:5]), int(value[:2]))
    return dt.date.fromisoformat(value[:10]) if _ISO_DATE.fullmatch(value[:10]) else _raise()


def _raise():
    raise ValueError


_TRUE, _FALSE = {"true", "1", "oui", "yes", "o", "vrai"}, {"false", "0", "non", "no", "n", "faux", ""}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError


def _parse_field(f: Field, value, prefix: str, errors: list):
    if value.__class__ is str and f.kind != "date" and f.kind != "bool":
        # The common case, a text or a code sent as a JSON string: the same steps as below, fewer tests.
        value = value.strip()
        if value:
            if f.kind == "code":
                value = value.replace(" ", "").upper()
            if len(value) <= f.max_length:
                return value
    name = prefix + f.name
    if value is None or (isinstance(value, str) and not value.strip()):
        if f.required:
            errors.append(error("required", name, f"« {name} » ({f.label}) est obligatoire : renseignez-le."))
        return None if f.kind != "bool" else False
    if f.kind == "date":
        try:
            return parse_date(value)
        except (ValueError, TypeError):
            errors.append(
                error("invalid_date", name, f"« {name} » ({f.label}) n'est pas une date : écrivez-la AAAA-MM-JJ.")
            )
            return None
    if f.kind == "bool":
        try:
            return parse_bool(value)
        except ValueError:
            errors.append(error("invalid_bool", name, f"« {name} » ({f.label}) vaut true ou false."))
            return False
    if isinstance(value, int | float) and not isinstance(value, bool) and f.kind in ("code", "text"):
        value = str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str):
        errors.append(error("invalid_type", name, f"« {name} » ({f.label}) doit être un texte."))
        return None
    value = value.strip()
    if f.kind == "code":
        value = value.replace(" ", "").upper()
    if len(value) > f.max_length:
        errors.append(
            error(
                "too_long", name, f"« {name} » ({f.label}) compte {f.max_length} caractères au plus ; raccourcissez-le."
            )
        )
        return None
    return value


def parse_contracts(value, errors: list) -> list[dict]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        errors.append(
            error("invalid_type", "contracts", "« contracts » doit être une liste de contrats (peut être vide).")
        )
        return []
    if len(value) > MAX_CONTRACTS:
        errors.append(
            error("too_many", "contracts", f"« contracts » : {MAX_CONTRACTS} contrats au plus par apprenant.")
        )
        return []
    contracts = []
    for index, item in enumerate(value):
        prefix = f"contracts.{index}."
        if not isinstance(item, dict):
            errors.append(error("invalid_type", f"contracts.{index}", f"« contracts.{index} » doit être un objet."))
            continue
        contracts.append({f.name: _parse_field(f, item.get(f.name), prefix, errors) for f in CONTRACT_FIELDS})
    return contracts


# --- the referentials the checks need ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Referential:
    """What the checks know of the world: codes in the referentials and the sender's UAIs."""

    cfd_levels: dict  # known CFD -> level (or None)
    rncp_levels: dict  # known RNCP -> level (or None)
    communes: dict  # INSEE code -> (département, région)
    postcodes: dict  # postcode -> INSEE code of its first commune
    allowed_uais: frozenset  # the organisation's UAI and its training sites' UAIs
    uai_places: dict  # UAI -> (département, région) of the organisation or site
    today: dt.date


# --- cross-field checks (each one a row of the table) --------------------------------------------------------

Check = Callable[[dict, Referential], list[dict]]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@check
def school_year_format(r: dict, ref: Referential) -> list[dict]:
    """School year « 2025-2026 »: two consecutive years (calendrier scolaire, Code de l'éducation L521-1)."""
    value = r.get("school_year")
    if value is None:
        return []
    m = _SCHOOL_YEAR.fullmatch(value)
    if not m or int(m[2]) != int(m[1]) + 1:
        return [
            error(
                "invalid_school_year",
                "school_year",
                "« school_year » s'écrit AAAA-AAAA, deux années qui se suivent, par exemple 2025-2026.",
            )
        ]
    return []


@check
def plausible_age(r: dict, ref: Referential) -> list[dict]:
    """Apprentices are 16 to 29, 15 after the collège, no upper limit with a RQTH (Code du travail L6222-1, L6222-2)."""
    birth, start = r.get("birth_date"), r.get("course_start") or r.get("registered_on")
    if birth is None or start is None:
        return []
    age = age_on(birth, start)
    too_old = age > MAX_AGE and not r.get("rqth")
    if age < MIN_AGE or too_old:
        return [
            error(
                "implausible_age",
                "birth_date",
                f"« birth_date » : l'apprenant aurait {age} ans au début de la formation ; un âge de {MIN_AGE} à "
                f"{MAX_AGE} ans est attendu (sans limite avec une RQTH). Vérifiez la date de naissance.",
            )
        ]
    return []


@check
def identifiers(r: dict, ref: Referential) -> list[dict]:
    """UAI check letter (BCN, RAMSESE) and SIRET Luhn key (INSEE, SIRENE), via alternance.core.identifiers."""
    errors = []
    for name in ("uai_responsable", "uai_formateur"):
        if r.get(name):
            errors += [error("invalid_uai", name, f"« {name} » : {m}") for m in uai_errors(r[name])[:1]]
    for name in ("siret_responsable", "siret_formateur"):
        if r.get(name):
            errors += [error("invalid_siret", name, f"« {name} » : {m}") for m in siret_errors(r[name])[:1]]
    for index, contract in enumerate(r.get("contracts") or []):
        name = f"contracts.{index}.employer_siret"
        if contract.get("employer_siret"):
            errors += [
                error("invalid_siret", name, f"« {name} » : {m}") for m in siret_errors(contract["employer_siret"])[:1]
            ]
    return errors


@check
def uai_of_the_sender(r: dict, ref: Referential) -> list[dict]:
    """Each UAI of a record must be the key's organisation or one of its training sites."""
    errors = []
    for name in ("uai_responsable", "uai_formateur"):
        uai = r.get(name)
        if uai and uai not in ref.allowed_uais and not uai_errors(uai):
            allowed = ", ".join(sorted(ref.allowed_uais)) or "(aucun)"
            errors.append(
                error(
                    "uai_not_yours",
                    name,
                    f"« {name} » : cet UAI n'est ni celui de votre organisme ni celui d'un de ses lieux de formation "
                    f"({allowed}). Envoyez ces données avec la clé de leur organisme.",
                )
            )
    return errors


@check
def known_diploma(r: dict, ref: Referential) -> list[dict]:
    """CFD known in the BCN (n_formation_diplome) and RNCP known in France compétences' register."""
    cfd, rncp = r.get("cfd"), r.get("rncp")
    if not cfd and not rncp:
        return [error("diploma_missing", "cfd", "« cfd » ou « rncp » : indiquez au moins le code du diplôme préparé.")]
    errors = []
    if cfd and cfd not in ref.cfd_levels:
        errors.append(
            error(
                "unknown_cfd",
                "cfd",
                "« cfd » : ce code formation diplôme n'existe pas dans la BCN ; vérifiez ses 8 caractères.",
            )
        )
    if rncp and rncp not in ref.rncp_levels:
        errors.append(
            error(
                "unknown_rncp",
                "rncp",
                "« rncp » : cette fiche RNCP est inconnue ; écrivez-la RNCP suivi de son numéro.",
            )
        )
    return errors


@check
def place_of_residence(r: dict, ref: Referential) -> list[dict]:
    """Postcode or commune INSEE code (COG, INSEE), one of them at least."""
    postcode, insee = r.get("postcode"), r.get("commune_insee")
    if not postcode and not insee:
        return [
            error(
                "address_missing", "postcode", "« postcode » ou « commune_insee » : indiquez la commune de l'apprenant."
            )
        ]
    if insee and insee not in ref.communes:
        return [
            error(
                "unknown_commune",
                "commune_insee",
                "« commune_insee » : ce code INSEE de commune est inconnu (5 caractères, par exemple 69123).",
            )
        ]
    if postcode and postcode not in ref.postcodes:
        return [
            error("unknown_postcode", "postcode", "« postcode » : ce code postal est inconnu ; il compte 5 chiffres.")
        ]
    return []


@check
def contact(r: dict, ref: Referential) -> list[dict]:
    errors = []
    if r.get("email") and not _EMAIL.fullmatch(r["email"]):
        errors.append(error("invalid_email", "email", "« email » : l'adresse doit ressembler à nom@exemple.fr."))
    if r.get("phone") and not _PHONE.fullmatch(_PHONE_SEPARATORS.sub("", r["phone"])):
        errors.append(
            error("invalid_phone", "phone", "« phone » : le numéro compte 10 chiffres (ou +33 et 9 chiffres).")
        )
    return errors


@check
def outcome_value(r: dict, ref: Referential) -> list[dict]:
    if r.get("outcome") and r["outcome"] not in OUTCOMES:
        return [error("invalid_outcome", "outcome", "« outcome » vaut « obtenu », « non_obtenu » ou null.")]
    return []


@check
def consistent_dates(r: dict, ref: Referential) -> list[dict]:
    """Dates in order: the course, the registration and drop-out within it, each contract within its dates."""
    errors = []
    start, end, registered = r.get("course_start"), r.get("course_end"), r.get("registered_on")
    birth, dropped = r.get("birth_date"), r.get("dropped_out_on")
    if start and end and end < start:
        errors.append(
            error(
                "dates_inconsistent",
                "course_end",
                "« course_end » est avant « course_start » : vérifiez les dates de la formation.",
            )
        )
    if registered and end and registered > end:
        errors.append(
            error("dates_inconsistent", "registered_on", "« registered_on » est après la fin de la formation.")
        )
    if birth and birth > ref.today:
        errors.append(error("dates_inconsistent", "birth_date", "« birth_date » est dans le futur."))
    if dropped and ((start and dropped < min(start, registered or start)) or (end and dropped > end)):
        errors.append(
            error(
                "dates_inconsistent",
                "dropped_out_on",
                "« dropped_out_on » doit être entre l'inscription et la fin de la formation.",
            )
        )
    if dropped and dropped > ref.today:
        errors.append(
            error(
                "dates_inconsistent",
                "dropped_out_on",
                "« dropped_out_on » est dans le futur : envoyez l'abandon une fois constaté.",
            )
        )
    for index, c in enumerate(r.get("contracts") or []):
        cs, ce, cb = c.get("start_date"), c.get("end_date"), c.get("break_date")
        if cs and ce and ce < cs:
            errors.append(
                error(
                    "dates_inconsistent",
                    f"contracts.{index}.end_date",
                    f"« contracts.{index}.end_date » est avant le début du contrat.",
                )
            )
        if cb and cs and (cb < cs or (ce and cb > ce)):
            errors.append(
                error(
                    "dates_inconsistent",
                    f"contracts.{index}.break_date",
                    f"« contracts.{index}.break_date » doit être entre le début et la fin du contrat.",
                )
            )
        if cb and cb > ref.today:
            errors.append(
                error(
                    "dates_inconsistent",
                    f"contracts.{index}.break_date",
                    f"« contracts.{index}.break_date » est dans le futur.",
                )
            )
        if cs and end and cs > end:
            errors.append(
                error(
                    "dates_inconsistent",
                    f"contracts.{index}.start_date",
                    f"« contracts.{index}.start_date » est après la fin de la formation.",
                )
            )
    return errors


# --- one record ----------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Verdict:
    record: dict | None  # the normalised record (no NIR, nir_present instead) when valid
    errors: list[dict]


def validate(raw, ref: Referential) -> Verdict:
    """Parse and check one record; the NIR never leaves this function (only nir_present does)."""
    if not isinstance(raw, dict):
        return Verdict(None, [error("invalid_type", "", "Chaque enregistrement est un objet JSON.")])
    errors: list[dict] = []
    record = {}
    for f in FIELDS:
        if f.kind == "contracts":
            record["contracts"] = parse_contracts(raw.get("contracts"), errors)
        elif f.name == "nir":
            nir = raw.get("nir")
            record["nir_present"] = bool(str(nir).strip()) if nir is not None else False
        else:
            record[f.name] = _parse_field(f, raw.get(f.name), "", errors)
    if record.get("rncp") and record["rncp"].isdigit():
        record["rncp"] = f"RNCP{record['rncp']}"
    for fn in CHECKS:
        errors += fn(record, ref)
    if errors:
        return Verdict(None, errors)
    record["rqth"] = bool(record["rqth"])
    record["level"] = ref.cfd_levels.get(record["cfd"]) or ref.rncp_levels.get(record["rncp"])
    place = ref.uai_places.get(record["uai_formateur"]) or ref.uai_places.get(record["uai_responsable"]) or ("", "")
    record["departement_code"], record["region_code"] = place
    if not record["commune_insee"] and record["postcode"]:
        record["commune_insee"] = ref.postcodes.get(record["postcode"], "")
    for f in FIELDS:
        if f.kind in ("text", "code") and f.name != "nir" and record[f.name] is None:
            record[f.name] = ""
    for contract in record["contracts"]:
        contract["break_reason"] = contract["break_reason"] or ""
    return Verdict(record, [])


def canonical_json(record: dict) -> str:
    """A normalised record as JSON, keys sorted and dates as AAAA-MM-JJ: what is hashed and kept in history."""
    return json.dumps(record, sort_keys=True, default=str, separators=(",", ":"))


def fingerprint(record: dict, payload: str | None = None) -> str:
    """Hash of a normalised record's content: the same content sent again is recognised."""
    payload = canonical_json(record) if payload is None else payload
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


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

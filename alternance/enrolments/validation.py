"""Validation of one enrolment record (pure, no database): its fields, then the cross-field checks.

Each field is parsed by its row of the table in `fields` (PARSERS), then the cross-field checks run in order
(CHECKS), each citing its source; every error is {"code", "message", "field"} with a French message naming
the field and the fix. The referentials the checks need (known CFD/RNCP, communes, the organisation's UAIs)
come in a `Referential` built by the caller. `canonical_json` and `fingerprint` give the stored content of a
valid record and its hash (an identical re-send is recognised by it).
"""

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Callable

from alternance.core.identifiers import LA_POSTE_SIREN
from alternance.core.identifiers import siret_errors as _siret_errors
from alternance.core.identifiers import uai_errors as _uai_errors
from alternance.enrolments.fields import PARSERS, TEXT_FIELD_NAMES, error

# The same organisations' codes repeat in every record of a batch: their checks are memoised.
uai_errors = functools.lru_cache(maxsize=4096)(_uai_errors)
_siret_errors_cached = functools.lru_cache(maxsize=4096)(_siret_errors)
_DOUBLED = str.maketrans("0123456789", "0246813579")  # a digit doubled, minus 9 past 9 (Luhn)


def luhn_ok(digits: str) -> bool:
    """Luhn checksum (ISO/IEC 7812-1) of ASCII digits, the same as identifiers.luhn_ok in C string calls."""
    chars = (digits[-1::-2] + digits[-2::-2].translate(_DOUBLED)).encode()
    return (sum(chars) - 48 * len(chars)) % 10 == 0


def siret_errors(value: str) -> list[str]:
    """identifiers.siret_errors, with a short path for a well-formed SIRET (each employer's is new)."""
    if len(value) == 14 and value.isascii() and value.isdigit() and not value.startswith(LA_POSTE_SIREN):
        if luhn_ok(value):
            return []
    return _siret_errors_cached(value)


MIN_AGE, MAX_AGE = 15, 30
OUTCOMES = ("obtenu", "non_obtenu")
_SCHOOL_YEAR = re.compile(r"(\d{4})-(\d{4})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"(\+\d{2,3}|0)\d{9}")
_PHONE_SEPARATORS = re.compile(r"[ .\-]")


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
    get = raw.get
    record = {key: parse(get(name), errors, "") for key, name, parse in PARSERS}
    rncp = record["rncp"]
    if rncp and rncp.isdigit():
        record["rncp"] = f"RNCP{rncp}"
    for fn in CHECKS:
        found = fn(record, ref)
        if found:
            errors += found
    if errors:
        return Verdict(None, errors)
    record["rqth"] = bool(record["rqth"])
    record["level"] = ref.cfd_levels.get(record["cfd"]) or ref.rncp_levels.get(record["rncp"])
    place = ref.uai_places.get(record["uai_formateur"]) or ref.uai_places.get(record["uai_responsable"]) or ("", "")
    record["departement_code"], record["region_code"] = place
    if not record["commune_insee"] and record["postcode"]:
        record["commune_insee"] = ref.postcodes.get(record["postcode"], "")
    for name in TEXT_FIELD_NAMES:
        if record[name] is None:
            record[name] = ""
    for contract in record["contracts"]:
        if contract["break_reason"] is None:
            contract["break_reason"] = ""
    return Verdict(record, [])


def _json_encoder():
    """json.dumps(record, sort_keys=True, default=str, separators=(",", ":")) as one C encoder made once
    (json.dumps builds a new encoder at every call with these options); None where CPython has no C encoder."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None
    return make(None, str, json.encoder.encode_basestring_ascii, None, ":", ",", True, False, True)


_ENCODE = _json_encoder()


def canonical_json(record: dict) -> str:
    """A normalised record as JSON, keys sorted and dates as AAAA-MM-JJ: what is hashed and kept in history."""
    if _ENCODE is not None:
        return "".join(_ENCODE(record, 0))
    return json.dumps(record, sort_keys=True, default=str, separators=(",", ":"))


def fingerprint(record: dict, payload: str | None = None) -> str:
    """Hash of a normalised record's content: the same content sent again is recognised."""
    payload = canonical_json(record) if payload is None else payload
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()

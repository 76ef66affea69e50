"""The fields of an enrolment record and their parsers (pure, no database).

FIELDS is the table: each field has a kind (text, code, date, bool, contracts), whether it is required and
its maximum length. `_parse_field` is the one general parser, with every French error message; `PARSERS`
holds one function per field compiled from the table, with a short path for the common valid value (a
stripped string of the right length, a date already seen, a boolean, a missing optional value) that gives
the same result as `_parse_field`, which it calls for everything else.
"""

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

MAX_CONTRACTS = 10


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
# Text and code fields stored as "" rather than null once the record is valid (the NIR is never stored).
TEXT_FIELD_NAMES = tuple(f.name for f in FIELDS if f.kind in ("text", "code") and f.name != "nir")


def error(code: str, field: str, message: str) -> dict:
    return {"code": code, "message": message, "field": field}


# --- values ------------------------------------------------------------------------------------------------

_FRENCH_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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


# --- one field: the general parser, with every error -------------------------------------------------------


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


# --- one field: the parser compiled from the table -----------------------------------------------------------

Parser = Callable[[object, list, str], object]  # (value, errors, prefix of the field's name) -> parsed value


def compile_parser(f: Field) -> Parser:
    """The parser of one field: its short path for a valid value, else `_parse_field` (same result)."""
    slow, optional, max_length = _parse_field, not f.required, f.max_length

    if f.kind == "text":

        def parse(value, errors, prefix):
            if value.__class__ is str:
                text = value.strip()
                if text and len(text) <= max_length:
                    return text
            elif value is None and optional:
                return None
            return slow(f, value, prefix, errors)

    elif f.kind == "code":

        def parse(value, errors, prefix):
            if value.__class__ is str:
                code = value.strip()
                if code:
                    code = code.replace(" ", "").upper()
                    if len(code) <= max_length:
                        return code
            elif value is None and optional:
                return None
            return slow(f, value, prefix, errors)

    elif f.kind == "date":
        dates = _DATES

        def parse(value, errors, prefix):
            if value.__class__ is str:
                day = dates.get(value)
                if day is not None:
                    return day
            elif value is None and optional:
                return None
            return slow(f, value, prefix, errors)

    elif f.kind == "bool":

        def parse(value, errors, prefix):
            if value is True or value is False:
                return value
            return slow(f, value, prefix, errors)

    else:
        raise ValueError(f"no parser for the kind {f.kind!r} of {f.name}")
    return parse


CONTRACT_PARSERS = tuple((f.name, compile_parser(f)) for f in CONTRACT_FIELDS)


def parse_contracts(value, errors: list, prefix: str = "") -> list[dict]:
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
        if item.__class__ is not dict and not isinstance(item, dict):
            errors.append(error("invalid_type", f"contracts.{index}", f"« contracts.{index} » doit être un objet."))
            continue
        get = item.get
        contracts.append({name: parse(get(name), errors, prefix) for name, parse in CONTRACT_PARSERS})
    return contracts


def parse_nir_presence(value, errors: list, prefix: str = "") -> bool:
    """The NIR itself is never kept: only whether one was sent."""
    return bool(str(value).strip()) if value is not None else False


# (key in the normalised record, key in the sent record, parser), in the order of FIELDS (errors come in it).
PARSERS: tuple[tuple[str, str, Parser], ...] = tuple(
    ("contracts", "contracts", parse_contracts)
    if f.kind == "contracts"
    else ("nir_present", "nir", parse_nir_presence)
    if f.name == "nir"
    else (f.name, f.name, compile_parser(f))
    for f in FIELDS
)

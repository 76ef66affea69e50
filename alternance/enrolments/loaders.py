"""Readers of enrolment files uploaded by CFAs without software: CSV (UTF-8 or Windows-1252, « ; » or « , »)
or XLSX, one learner per line, the API's field names as column headers; contracts in the columns
contract_1_employer_siret, contract_1_start_date... up to contract_3_*. The NIR column, if any, is reduced
to its presence as soon as it is read."""

import csv
import io
import re

from alternance.enrolments import fields

MAX_CONTRACT_COLUMNS = 3
CONTRACT_COLUMN = re.compile(r"contract_(\d)_(\w+)")
COLUMNS = [f.name for f in fields.FIELDS if f.kind != "contracts"] + [
    f"contract_{n}_{f.name}" for n in range(1, MAX_CONTRACT_COLUMNS + 1) for f in fields.CONTRACT_FIELDS
]
MAX_ROWS = 20_000


class LoaderError(ValueError):
    """A file that cannot be read at all (French message for the page)."""


def read_records(content: bytes, filename: str) -> list[dict]:
    """The file's lines as API records (first line: headers)."""
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif filename.lower().endswith((".csv", ".txt")):
        rows = _csv_rows(content)
    else:
        raise LoaderError("Le fichier doit être au format CSV (.csv) ou Excel (.xlsx).")
    rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
    if not rows:
        raise LoaderError("Le fichier est vide : la première ligne doit porter les noms des colonnes.")
    headers = [str(h or "").strip().lower() for h in rows[0]]
    missing = [c for c in ("learner_id", "school_year", "birth_date") if c not in headers]
    if missing:
        raise LoaderError(
            f"Colonnes absentes : {', '.join(missing)}. La première ligne doit porter les noms des colonnes "
            "de l'API (learner_id, school_year, last_name...)."
        )
    if len(rows) - 1 > MAX_ROWS:
        raise LoaderError(f"Le fichier compte {len(rows) - 1} lignes : {MAX_ROWS} au plus ; découpez-le.")
    return [_record(dict(zip(headers, row, strict=False))) for row in rows[1:]]


def _record(row: dict) -> dict:
    record, contracts = {}, {}
    for key, value in row.items():
        if isinstance(value, str):
            value = value.strip()
        match = CONTRACT_COLUMN.fullmatch(key)
        if match:
            contracts.setdefault(int(match[1]), {})[match[2]] = value
        elif key == "nir":
            record["nir"] = "présent" if value not in (None, "") else None
        elif key:
            record[key] = value
    record["contracts"] = [c for _, c in sorted(contracts.items()) if any(v not in (None, "") for v in c.values())]
    return record


def _csv_rows(content: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise LoaderError("Ce fichier Excel est illisible : enregistrez-le de nouveau au format .xlsx.") from exc
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]

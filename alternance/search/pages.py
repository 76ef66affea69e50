"""Reading the result pages of the three kinds from the database in one round trip.

One statement, `SELECT ... UNION ALL SELECT ... UNION ALL SELECT ...`: each branch reads one kind's rows by id
into its own columns of a wide row, the other kinds' columns being typed NULLs. A value of a related row (the
company's name on an offer, the organisation's on a training: both foreign keys are required) is a scalar
subquery by primary key rather than a join: PostgreSQL then probes the index once per row of the page instead of
planning a join, which for trainings hashed every organisation (0.9-1.0 ms of the server's CPU a query instead of
1.1-1.2 at national scale, bench/README.md). The
statement is written once per combination of page lengths (on PostgreSQL, of empty and non-empty pages: the
ids go as one array per kind, so the driver's cache of parsed statements always hits) and cached; the values
go through Django's converters for the database (dates and booleans on SQLite, for instance), as the ORM would.

Rows kept per worker (ROW_CACHE_MAX per kind): a row read is reused for SEARCH_FRESHNESS_SECONDS (2 s: the
delay the index already gives an edited offer), and forgotten earlier when the index's change feed sees its
item change (index.LiveKind: `forget`) or reloads a table. A page whose rows are all known costs no round trip;
an edit of a joined value (a company's name on its offers, an organisation's city on its trainings) shows up
within the same delay. With SEARCH_FRESHNESS_SECONDS = 0 (the tests' settings) nothing is kept.
"""

import datetime as dt
import functools
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models.expressions import Col

from alternance.companies.models import Company
from alternance.offers.models import Offer
from alternance.trainings.models import Training


class OfferRow(NamedTuple):
    id: int
    title: str
    lat: float
    lon: float
    rome: str
    start_date: dt.date | None
    published_at: dt.datetime | None
    applications_count: int
    diploma_level: int | None
    accessible_disability: bool
    is_demo: bool
    company_name: str
    appellation_ogr: int | None
    commune_insee: str | None
    duration_months: int | None


class CompanyRow(NamedTuple):
    id: int
    name: str
    siret: str
    lat: float
    lon: float
    naf: str
    size_band: str
    hires_on_platform: int
    is_demo: bool
    accessible_disability: bool
    commune_insee: str | None


class TrainingRow(NamedTuple):
    id: int
    title: str
    lat: float
    lon: float
    level: int | None
    start_date: dt.date | None
    end_date: dt.date | None
    cfd: str | None
    rncp: str | None
    organisation_name: str
    organisation_city: str
    organisation_postcode: str
    commune_insee: str | None
    is_demo: bool


ROWS = {"offer": OfferRow, "company": CompanyRow, "training": TrainingRow}
"""The named row pages() returns for each kind."""

PATHS = {
    "offer": {"rome": "rome_id", "company_name": "company__name", "appellation_ogr": "appellation_id"},
    "company": {"naf": "naf_id"},
    "training": {
        "cfd": "diploma_id",
        "rncp": "certification_id",
        "organisation_name": "organisation__name",
        "organisation_city": "organisation__city",
        "organisation_postcode": "organisation__postcode",
    },
}
for _kind in PATHS:
    PATHS[_kind].setdefault("commune_insee", "commune_id")
FIELDS = {kind: tuple(PATHS[kind].get(name, name) for name in row._fields) for kind, row in ROWS.items()}
"""The model path (as in values_list) read for each field of the kind's row, in the row's order."""

MODELS = {"offer": Offer, "company": Company, "training": Training}


def _resolve(model, path: str):
    """(field, join) of a values_list path: join is the related field for `relation__field`, else None."""
    if "__" not in path:
        return model._meta.get_field(path.removesuffix("_id") if path.endswith("_id") else path), None
    relation, name = path.split("__")
    fk = model._meta.get_field(relation)
    return fk.related_model._meta.get_field(name), fk


@functools.cache
def _layout(vendor: str):
    """[(kind, [(sql expression, field)...], from clause)] for this database vendor; fields give the converters."""
    quote = connection.ops.quote_name
    layout = []
    for kind, paths in FIELDS.items():
        model = MODELS[kind]
        table = model._meta.db_table
        source, columns = f"{quote(table)}", []
        for path in paths:
            field, fk = _resolve(model, path)
            if fk is None:
                columns.append((f"{quote(table)}.{quote(field.column)}", field))
            else:  # a value of the related row: a scalar subquery by its primary key (module docstring)
                other = quote(fk.related_model._meta.db_table)
                columns.append(
                    (
                        f"(SELECT r.{quote(field.column)} FROM {other} r WHERE r.{quote(fk.target_field.column)}"
                        f" = {quote(table)}.{quote(fk.column)})",
                        field,
                    )
                )
        layout.append((kind, columns, source, f"{quote(table)}.{quote(model._meta.pk.column)}"))
    return layout


@functools.lru_cache(maxsize=512)  # page lengths vary (0 to 100 per kind): keep the common ones
def _statement(vendor: str, lengths: tuple[int, ...]):
    """(sql, [(kind, start, stop)], converters) for pages of these lengths (offer, company, training)."""
    layout = _layout(vendor)
    width = sum(len(columns) for _, columns, _, _ in layout)
    all_fields = [field for _, columns, _, _ in layout for _, field in columns]
    branches, slices, start = [], [], 0
    for (kind, columns, source, pk), n in zip(layout, lengths, strict=True):
        stop = start + len(columns)
        slices.append((kind, start, stop))
        if n:
            select = []
            for position in range(width):
                if start <= position < stop:
                    select.append(columns[position - start][0])
                else:
                    field = all_fields[position]
                    select.append(f"CAST(NULL AS {field.cast_db_type(connection)})")
            if vendor == "postgresql":  # one array parameter: one statement text whatever the page lengths
                where = f"{pk} = ANY(%s)"
            else:
                where = f"{pk} IN ({', '.join(['%s'] * n)})"
            branches.append(f"SELECT {', '.join(select)} FROM {source} WHERE {where}")
        start = stop
    converters = []
    for position, field in enumerate(all_fields):
        col = Col("page", field)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((position, found, col))
    return " UNION ALL ".join(branches), slices, converters


ROW_CACHE_MAX = 200_000
"""Rows kept per kind and worker (about 300 bytes each); past it the kind's rows are all forgotten."""
_ROWS: dict[str, dict[int, tuple[NamedTuple, float]]] = {kind: {} for kind in FIELDS}
_ROWS_LOCK = threading.Lock()
_clock = time.monotonic  # the age of a kept row (tests move it)


def forget(kind: str, ids=None) -> None:
    """Drop the kept rows of these ids of a kind (all of them when ids is None): the index saw them change."""
    with _ROWS_LOCK:
        if ids is None:
            _ROWS[kind] = {}
        else:
            rows = _ROWS[kind]
            for item_id in ids:
                rows.pop(item_id, None)


def pages(ids: dict[str, list[int]]) -> dict[str, dict[int, NamedTuple]]:
    """{kind: {id: ROWS[kind]}} for these ids of each kind; missing ids are absent. Rows read less than
    SEARCH_FRESHNESS_SECONDS ago are taken from this worker's memory (module docstring)."""
    ttl = float(getattr(settings, "SEARCH_FRESHNESS_SECONDS", 2.0))
    if ttl <= 0:
        return read_pages(ids)
    now = _clock()
    out: dict[str, dict[int, NamedTuple]] = {kind: {} for kind in FIELDS}
    missing: dict[str, list[int]] = {}
    for kind, wanted in ids.items():
        kept, found = _ROWS[kind], out[kind]
        for item_id in wanted:
            entry = kept.get(item_id)
            if entry is not None and now - entry[1] < ttl:
                found[item_id] = entry[0]
            else:
                missing.setdefault(kind, []).append(item_id)
    if missing:
        read = read_pages(missing)
        with _ROWS_LOCK:
            for kind, rows in read.items():
                kept = _ROWS[kind]
                if len(kept) + len(rows) > ROW_CACHE_MAX:
                    kept = _ROWS[kind] = {}
                for item_id, row in rows.items():
                    kept[item_id] = (row, now)
                out[kind].update(rows)
    return out


def read_pages(ids: dict[str, list[int]]) -> dict[str, dict[int, NamedTuple]]:
    """{kind: {id: ROWS[kind]}} for these ids of each kind, read from the database; missing ids are absent."""
    lengths = tuple(len(ids.get(kind, ())) for kind in FIELDS)
    out: dict[str, dict[int, NamedTuple]] = {kind: {} for kind in FIELDS}
    if not any(lengths):
        return out
    if connection.vendor == "postgresql":
        sql, slices, converters = _statement(connection.vendor, tuple(min(n, 1) for n in lengths))
        params = [list(ids[kind]) for kind, n in zip(FIELDS, lengths, strict=True) if n]
    else:
        sql, slices, converters = _statement(connection.vendor, lengths)
        params = [i for kind in FIELDS for i in ids.get(kind, ())]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for row in rows:
        if converters:
            row = list(row)
            for position, functions, col in converters:
                value = row[position]
                for convert in functions:
                    value = convert(value, col, connection)
                row[position] = value
        for kind, start, stop in slices:
            if row[start] is not None:  # the id column of the kind the row belongs to
                out[kind][row[start]] = ROWS[kind]._make(row[start:stop])
                break
    return out

"""Fast inserts of many rows, below the ORM: COPY on PostgreSQL (psycopg 3), executemany on other databases.

For bulk writes that would otherwise build one model instance per row (imports): no signals, no save(), no
defaults: every column is given. Values are plain Python (str, int, float, bool, None, date, datetime, and
dicts or lists for JSON fields). `gc_paused()` pauses the cyclic garbage collector while a batch is processed.
"""

import contextlib
import datetime as dt
import gc
import json
from collections.abc import Callable, Iterable, Sequence

from django.db import connections, models, router


def _converter(field: models.Field, vendor: str, ops) -> Callable | None:
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda value: json.dumps(value, cls=encoder)
    if vendor == "postgresql":
        return None  # psycopg adapts dates, datetimes, numbers and text itself
    if isinstance(field, models.DateTimeField):
        return _remembering(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return dt.date.isoformat
    return None


def _remembering(convert: Callable) -> Callable:
    """convert, with its last value remembered: the rows of a batch carry one and the same instant (its
    created_at, updated_at or changed_at), converted once instead of once per row."""
    last: list = [object(), None]

    def converted(value):
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return converted


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], using: str | None = None):
    """Insert rows (tuples of values in the order of `fields`, attnames) into model's table; returns the count."""
    using = using or router.db_for_write(model)
    connection = connections[using]
    concrete = [model._meta.get_field(name) for name in fields]
    converters = [(i, c) for i, f in enumerate(concrete) if (c := _converter(f, connection.vendor, connection.ops))]
    if converters:
        rows = (_convert(row, converters) for row in rows)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in concrete)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            batch = list(rows)
            count = len(batch)
            if batch:
                placeholders = ", ".join(["%s"] * len(concrete))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", batch)
    return count


def _convert(row: Sequence, converters) -> list:
    row = list(row)
    for index, convert in converters:
        if row[index] is not None:
            row[index] = convert(row[index])
    return row


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], using: str | None = None):
    """Update rows by primary key: rows are tuples of the values of `fields` (attnames), then the key. One
    prepared UPDATE run for every row (executemany): not the ORM's bulk_update, whose CASE expressions grow with
    rows times fields."""
    using = using or router.db_for_write(model)
    connection = connections[using]
    concrete = [model._meta.get_field(name) for name in fields]
    converters = [(i, c) for i, f in enumerate(concrete) if (c := _converter(f, connection.vendor, connection.ops))]
    batch = [_convert(row, converters) if converters else row for row in rows]
    if not batch:
        return 0
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in concrete)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s",
            batch,
        )
    return len(batch)


@contextlib.contextmanager
def gc_paused():
    """A 2,000-record batch allocates a few hundred thousand objects without cycles (reference counting frees
    them): the cyclic collector's passes over them, and over the whole process at each full collection, cost a
    sixth of the call's CPU. It is paused for the batch and restored as it was (nested uses are harmless)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

"""Bring a table in line with the records read from its source, comparing in memory, writing in bulk.

One query reads the table, the differences are computed in Python, then bulk_create / bulk_update /
one UPDATE per chunk of vanished keys: no query per row.
"""

from dataclasses import asdict, dataclass

from django.db import connection

BATCH = 1000


@dataclass
class TableCount:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deactivated + self.deleted

    def as_dict(self) -> dict:
        return asdict(self)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sync_by_pk(model, records: dict, *, deactivate: bool = True, guard=None) -> TableCount:
    """Create, update and (when the model has `is_active`) deactivate rows so the table matches `records`.

    `records` maps primary key -> {attname: value}. When `deactivate` is true (the source was read in
    full), rows whose key is absent from `records` are marked inactive (never deleted: other tables
    reference them), or deleted when the model has no `is_active` field. `guard(vanished, active)` may
    raise to refuse a mass deactivation (the caller's transaction then undoes everything).
    """
    count = TableCount()
    pk = model._meta.pk.attname
    has_active = any(f.attname == "is_active" for f in model._meta.concrete_fields)
    fields = sorted({name for record in records.values() for name in record})
    if has_active and "is_active" not in fields:
        fields.append("is_active")
    existing = {row[pk]: row for row in model.objects.values(pk, *fields)}

    new, changed, changed_fields = [], [], set()
    for key, record in records.items():
        values = {name: record.get(name) for name in fields}
        if has_active and record.get("is_active") is None:
            values["is_active"] = True
        old = existing.get(key)
        if old is None:
            new.append(model(**{pk: key}, **values))
            continue
        diff = [name for name in fields if old[name] != values[name]]
        if diff:
            changed.append(model(**{pk: key}, **values))
            changed_fields.update(diff)
        else:
            count.unchanged += 1
    if new:
        model.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        model.objects.bulk_update(changed, sorted(changed_fields), batch_size=BATCH)
    count.created, count.updated = len(new), len(changed)

    vanished = [key for key in existing if key not in records] if deactivate else []
    if has_active:
        vanished = [key for key in vanished if existing[key]["is_active"]]
        if guard is not None and vanished:
            guard(len(vanished), sum(1 for row in existing.values() if row["is_active"]))
        for chunk in _chunks(vanished):
            count.deactivated += model.objects.filter(pk__in=chunk).update(is_active=False)
    elif deactivate:
        for chunk in _chunks(vanished):
            model.objects.filter(pk__in=chunk).delete()
        count.deleted = len(vanished)
    return count


def _insert_rows(model, attnames: list[str], rows: list[tuple]) -> None:
    """Plain multi-row INSERT: link tables have hundreds of thousands of rows, model instances cost too much."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in attnames)
    placeholders = "(" + ", ".join(["%s"] * len(attnames)) + ")"
    size = max(1, min(BATCH, 900 // len(attnames)))  # stay under SQLite's historical 999-parameter limit
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([placeholders] * len(chunk))
            cursor.execute(sql, [value for row in chunk for value in row])


def sync_links(model, key_fields: tuple[str, ...], records: dict[tuple, dict]) -> TableCount:
    """Same for a link table keyed by several columns (`key_fields`, attnames): vanished links are deleted."""
    count = TableCount()
    value_fields = sorted({name for record in records.values() for name in record})
    existing = {}
    for row in model.objects.values("pk", *key_fields, *value_fields):
        existing[tuple(row[name] for name in key_fields)] = row

    new, changed, changed_fields = [], [], set()
    for key, record in records.items():
        old = existing.get(key)
        if old is None:
            new.append((*key, *(record.get(name) for name in value_fields)))
            continue
        diff = [name for name in value_fields if old[name] != record.get(name)]
        if diff:
            obj = model(pk=old["pk"], **dict(zip(key_fields, key, strict=True)), **record)
            changed.append(obj)
            changed_fields.update(diff)
        else:
            count.unchanged += 1
    if new:
        _insert_rows(model, [*key_fields, *value_fields], new)
    if changed:
        model.objects.bulk_update(changed, sorted(changed_fields), batch_size=BATCH)
    count.created, count.updated = len(new), len(changed)

    vanished = [row["pk"] for key, row in existing.items() if key not in records]
    for chunk in _chunks(vanished):
        model.objects.filter(pk__in=chunk).delete()
    count.deleted = len(vanished)
    return count

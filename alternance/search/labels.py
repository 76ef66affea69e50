"""Per-process caches of the referential labels a result page shows (communes, NAF, appellations).

A page of results then reads only its own table (offers, companies or trainings) from the database. The
tables live in the referential cache (alternance.reference.cache: emptied after a new ReferenceLoad); a
code missing from a table is read from the database.
"""

from alternance.reference import cache
from alternance.reference.models import Appellation, Commune, NafCode


def _first_postcode(name: str, postcodes: str) -> tuple[str, str]:
    return name, (postcodes.split() or [""])[0]


TABLES = {
    # name: (model, key field, value fields, value from a row)
    "commune": (Commune, "insee", ("name", "postcodes"), _first_postcode),
    "naf": (NafCode, "code", ("label",), lambda label: label),
    "appellation": (Appellation, "ogr_code", ("label",), lambda label: label),
}


def _table(name: str) -> dict:
    model, key, fields, make = TABLES[name]

    def build() -> dict:
        return {row[0]: make(*row[1:]) for row in model.objects.values_list(key, *fields).iterator()}

    return cache.cached(f"labels:{name}", build)


def lookup(name: str, keys) -> dict:
    """{key: value} for these keys (None skipped); keys missing from the cache are read from the database."""
    table = _table(name)
    missing = {k for k in keys if k is not None and k not in table}
    if missing:
        model, key, fields, make = TABLES[name]
        for row in model.objects.filter(**{f"{key}__in": missing}).values_list(key, *fields):
            table[row[0]] = make(*row[1:])
    return table


def reset() -> None:
    """Forget every cached referential value (tests)."""
    cache.forget()

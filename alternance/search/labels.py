"""Per-process caches of the referential labels a result page shows (communes, NAF, appellations).

A page of results then reads only its own table (offers, companies or trainings) from the database. The
referentials change only through load_reference: the caches are emptied when a newer ReferenceLoad exists
(checked at most every CHECK_SECONDS), and a code missing from a cache is read from the database.
"""

import threading
import time

from alternance.reference.models import Appellation, Commune, NafCode, ReferenceLoad

CHECK_SECONDS = 60.0

_lock = threading.Lock()
_state: dict = {"version": None, "checked": -1e9, "tables": {}}


def _first_postcode(name: str, postcodes: str) -> tuple[str, str]:
    return name, (postcodes.split() or [""])[0]


TABLES = {
    # name: (model, key field, value fields, value from a row)
    "commune": (Commune, "insee", ("name", "postcodes"), _first_postcode),
    "naf": (NafCode, "code", ("label",), lambda label: label),
    "appellation": (Appellation, "ogr_code", ("label",), lambda label: label),
}


def _table(name: str) -> dict:
    now = time.monotonic()
    if now - _state["checked"] > CHECK_SECONDS:
        version = ReferenceLoad.objects.latest_version()
        with _lock:
            if version != _state["version"]:
                _state["tables"] = {}
                _state["version"] = version
            _state["checked"] = now
    table = _state["tables"].get(name)
    if table is None:
        model, key, fields, make = TABLES[name]
        table = {row[0]: make(*row[1:]) for row in model.objects.values_list(key, *fields).iterator()}
        _state["tables"][name] = table
    return table


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
    """Forget every cached label (tests)."""
    with _lock:
        _state.update(version=None, checked=-1e9, tables={})

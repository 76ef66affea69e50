"""Where search candidates come from (step 1: the database directly)."""

from .sources import DatabaseSource

_SOURCE = None


def get_source():
    global _SOURCE
    if _SOURCE is None:
        _SOURCE = DatabaseSource()
    return _SOURCE

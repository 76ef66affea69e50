"""The WSGI application with a fault point, for tests/e2e/test_enrolments_fault.py only.

ENROLMENT_FAULT_POINT=before_commit: the batch's rows are written, then (still inside the transaction)
the worker touches ENROLMENT_FAULT_MARKER and sleeps, so the test can kill the server there.
ENROLMENT_FAULT_POINT=after_commit: the same once the transaction is committed, before the answer.
"""

import functools
import os
import time
from pathlib import Path

from config.wsgi import application  # sets Django up before the project's modules are imported

POINT = os.environ.get("ENROLMENT_FAULT_POINT", "")
MARKER = Path(os.environ.get("ENROLMENT_FAULT_MARKER", "/nonexistent"))


def _stop_here(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        MARKER.write_text(POINT)
        time.sleep(120)
        return result

    return wrapper


def install() -> None:
    from alternance.api import enrolments as api_enrolments
    from alternance.enrolments import services

    if POINT == "before_commit":
        services._write_postgres = _stop_here(services._write_postgres)
        services._write_orm = _stop_here(services._write_orm)
    elif POINT == "after_commit":
        api_enrolments.ingest = _stop_here(api_enrolments.ingest)


install()
__all__ = ["application"]

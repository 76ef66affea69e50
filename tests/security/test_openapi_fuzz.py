"""schemathesis against the OpenAPI of /api/v1, in process through the WSGI application: no server error,
no status the OpenAPI does not list, content types and bodies as documented (a bounded number of cases per
operation, so that the whole run stays under two minutes). Two response schemas of one class name once
shared one OpenAPI component (GET /api/v1/places/suggest was documented with the detail pages' place);
tests/api/test_reference_api.py keeps the names unique."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))


pytestmark = pytest.mark.django_db

# pytest-django has set Django up before collection; reading the OpenAPI needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
if os.environ.get("SCHEMATHESIS_PATH"):  # one operation at a time while investigating: a regex of paths
    schema = schema.include(path_regex=os.environ["SCHEMATHESIS_PATH"])
else:
    # GET /api/v1/search takes about 45 s per generated case on the test database (10 cases: 7 minutes):
    # left out of the suite until it is faster; run it with SCHEMATHESIS_PATH=^/api/v1/search (it passes).
    schema = schema.exclude(path="/api/v1/search")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_answers_what_its_openapi_says(case):
    # Like Django's test client: the WSGI handler must not close the test's connection between requests
    # (on PostgreSQL that would end the test transaction: « the connection is closed »).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        case.call_and_validate(
            headers={"Accept-Encoding": "identity"},  # bodies read as sent, not gzipped (GZipMiddleware)
            checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

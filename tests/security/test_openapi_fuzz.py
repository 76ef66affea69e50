"""schemathesis against the OpenAPI of /api/v1, in process through the WSGI application: no server error,
no status the OpenAPI does not list, content types and bodies as documented (a bounded number of cases per
operation, so that the whole run stays under two minutes). Two response schemas of one class name once
shared one OpenAPI component (GET /api/v1/places/suggest was documented with the detail pages' place);
tests/api/test_reference_api.py keeps the names unique.

The operations behind an API key are fuzzed twice: without a key (401 only) and with a key of every scope
(test_api_with_a_key_answers_what_its_openapi_says), which is what reaches their code: run without a key,
schemathesis found no fault there while, with one, it found three 500s (issue 15 audit)."""

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


HYPOTHESIS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The operations that take an API key.
with_key = schema.include(path_regex="^/api/v1/(imports|applications|appointments|enrolments)")


def _call(case, headers: dict):
    # Like Django's test client: the WSGI handler must not close the test's connection between requests
    # (on PostgreSQL that would end the test transaction: « the connection is closed »).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        # bodies read as sent, not gzipped (GZipMiddleware)
        case.call_and_validate(headers={"Accept-Encoding": "identity", **headers}, checks=CHECKS)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_answers_what_its_openapi_says(case):
    _call(case, {})


@pytest.fixture
def key_of_every_scope():
    from alternance.accounts.models import ApiKey, Scope
    from alternance.organisations.models import Organisation
    from tests.factories import OrganisationFactory

    organisation = Organisation.objects.filter(uai="0010826T").first() or OrganisationFactory(
        uai="0010826T", siret="85052026300011"
    )
    return ApiKey.issue("fuzz", list(Scope.values), organisation=organisation)[1]


@with_key.parametrize()
@HYPOTHESIS
def test_api_with_a_key_answers_what_its_openapi_says(case, key_of_every_scope):
    _call(case, {"Authorization": f"Bearer {key_of_every_scope}"})

"""The WSGI handler of config/wsgi.py (core.serving.Handler) answers GET /api/v1/search without the session, CSRF,
user, message, HTMX and allauth middleware: the same answers, byte for byte, as Django's whole chain."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from alternance.core import serving
from tests.factories import CompanyFactory, OfferFactory, TrainingFactory

pytestmark = pytest.mark.usefixtures("search_reference")


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a request must not close the test's connection (its transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


COOKIES = "sessionid=abcdefghijklmnopqrstuvwxyz012345; csrftoken=abcdefghijklmnopqrstuvwxyz012345"


def _answer(handler, path, query, **headers):
    environ = RequestFactory().get(path, query, **headers).environ
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, sorted(response_headers)

    body = handler(environ, start_response)
    try:
        content = b"".join(body)
    finally:
        body.close()
    return seen["status"], seen["headers"], content


QUERIES = [
    {"romes": "D1102", "lat": 45.7549, "lon": 4.8364, "radius_km": 30},
    {"romes": "D1102,D1104", "lat": 45.7549, "lon": 4.8364, "radius_km": 100, "sort": "distance", "page_size": 5},
    {"romes": "ZZZZ", "lat": 45.7549, "lon": 4.8364},  # 400 in the error shape
    {"romes": "D1102", "lat": "nord", "lon": 4.8364},  # 422 in the error shape
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("headers", [{}, {"HTTP_COOKIE": COOKIES}])
def test_the_search_api_answers_the_same_bytes_without_the_session_middleware(query, headers):
    OfferFactory()
    TrainingFactory(romes=["D1102"])
    CompanyFactory()
    handler = serving.Handler()
    assert handler.sessionless is not handler
    expected = _answer(WSGIHandler(), "/api/v1/search", query, **headers)
    answer = _answer(handler, "/api/v1/search", query, **headers)
    assert answer == expected
    status, response_headers, _ = answer
    names = {name for name, _ in response_headers}
    assert {"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Content-Length"} <= names
    assert "Set-Cookie" not in names
    assert status.split()[0] in {"200", "400", "422"}


def test_the_search_api_is_still_rate_limited(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (1, 60)}
    handler = serving.Handler()
    statuses = [_answer(handler, "/api/v1/search", QUERIES[0])[0] for _ in range(3)]
    assert statuses[0].startswith("200")
    assert statuses[-1].startswith("429")

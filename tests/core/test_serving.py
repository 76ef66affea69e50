"""A serving process (config/wsgi.py): the collector's thresholds, the long-lived objects frozen after warm-up."""

import importlib
import sys

import pytest
from django.core.signals import request_finished

from alternance.core import serving
from alternance.reference import cache as reference_cache
from alternance.web.search.forms import active_commune


class FakeGC:
    def __init__(self):
        self.calls = []

    def set_threshold(self, *values):
        self.calls.append(("threshold", values))

    def collect(self):
        self.calls.append(("collect",))

    def freeze(self):
        self.calls.append(("freeze",))


@pytest.mark.django_db  # request_finished also closes old database connections
def test_thresholds_set_once_and_freezes_after_the_first_requests(monkeypatch):
    fake = FakeGC()
    monkeypatch.setattr(serving, "gc", fake)
    monkeypatch.setattr(serving, "_state", {"requests": 0, "prepared": False})
    try:
        serving.prepare_process()
        serving.prepare_process()  # idempotent
        assert fake.calls == [("threshold", serving.GC_THRESHOLDS), ("collect",), ("freeze",)]
        fake.calls.clear()
        for _ in range(max(serving.FREEZE_AFTER)):
            request_finished.send(sender=None)
        assert fake.calls.count(("freeze",)) == len(serving.FREEZE_AFTER)
        assert fake.calls.count(("collect",)) == len(serving.FREEZE_AFTER)  # collected before each freeze
    finally:
        request_finished.disconnect(dispatch_uid="alternance.core.serving")


@pytest.mark.django_db
def test_the_wsgi_application_warms_the_pages_then_prepares_its_process(django_assert_num_queries):
    reference_cache.forget()
    sys.modules.pop("config.wsgi", None)  # run the module's start-up again, as a new worker does
    importlib.import_module("config.wsgi")

    assert serving._state["prepared"]
    with django_assert_num_queries(0):  # warm_pages() loaded what the first results page reads
        assert active_commune("69123").name == "Lyon"


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


@pytest.mark.django_db
def test_the_handler_skips_the_session_middleware_only_for_the_sessionless_paths(settings):
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.middleware.csrf import CsrfViewMiddleware
    from django.test import RequestFactory

    handler = serving.Handler()
    hooks = [getattr(hook, "__self__", None) for hook in handler._view_middleware]
    assert any(isinstance(owner, CsrfViewMiddleware) for owner in hooks)  # every other path: CSRF checked
    short = [getattr(hook, "__self__", None) for hook in handler.sessionless._view_middleware]
    assert not any(isinstance(owner, CsrfViewMiddleware | SessionMiddleware) for owner in short)
    assert "django.contrib.sessions.middleware.SessionMiddleware" in settings.MIDDLEWARE  # the setting left whole
    assert set(settings.SESSIONLESS_SKIP) <= set(settings.MIDDLEWARE)

    # a POST to a page without its CSRF token is still refused
    environ = RequestFactory().post("/recherche/", {"metier": "x"}).environ
    seen = {}
    body = handler(environ, lambda status, headers, exc_info=None: seen.setdefault("status", status))
    body.close()
    assert seen["status"].startswith("403")


def test_without_sessionless_paths_the_handler_is_djangos(settings):
    settings.SESSIONLESS_PATHS = []
    handler = serving.Handler()
    assert handler.sessionless is handler

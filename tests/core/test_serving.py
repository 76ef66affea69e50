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

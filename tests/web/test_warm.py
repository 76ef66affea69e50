"""warm_pages (alternance/web/warm.py): a worker's start loads what the first results page would."""

import logging

import pytest
from django.db import DatabaseError

from alternance.reference import cache
from alternance.web import warm
from alternance.web.search import forms
from alternance.web.search.forms import active_commune, active_rome_labels

pytestmark = pytest.mark.django_db


def test_after_warming_the_form_reads_no_database(django_assert_num_queries):
    cache.forget()
    warm.warm_pages()
    with django_assert_num_queries(0):
        assert active_commune("69123").name == "Lyon"
        assert active_rome_labels(["D1102"]) == {"D1102": "Boulanger / Boulangère"}


def test_a_database_that_cannot_answer_leaves_the_loading_to_the_first_page(monkeypatch, caplog):
    cache.forget()

    def down():
        raise DatabaseError("connexion refusée")

    monkeypatch.setattr(forms, "load_caches", down)
    with caplog.at_level(logging.WARNING, logger="alternance.web.warm"):
        warm.warm_pages()
    assert "first page will load them" in caplog.text
    monkeypatch.undo()
    assert active_commune("69123").name == "Lyon"

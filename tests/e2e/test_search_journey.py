"""Journey 1: a young person finds trainings, offers and companies for an occupation near Lyon."""

import re

import pytest
from django.core.management import call_command

from tests.e2e.combobox import pick_baker, pick_suggestion, search_as_typed
from tests.e2e.conftest import e2e_db

pytestmark = [e2e_db]


@pytest.fixture
def demo_data(reference_data, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", scale="tiny", seed=7, verbosity=0)


def test_find_by_occupation_and_place_with_the_keyboard(page, live_server, demo_data, assert_accessible):
    page.goto(live_server.url + "/")
    assert_accessible(page)
    pick_baker(page)
    pick_suggestion(page, "Ville ou code postal", "Lyon", "Lyon")
    assert page.locator("#id_insee").input_value() == "69123"
    page.get_by_label("Distance maximale").select_option("30")
    page.get_by_role("button", name="Rechercher").press("Enter")

    page.wait_for_url(re.compile(r"/recherche/\?"))
    summary = page.locator("#summary").inner_text()
    assert "résultat" in summary
    for section in ("offer", "company", "training"):
        heading = page.locator(f"#titre-{section}")
        assert heading.is_visible()
        assert page.locator(f"#resultats-{section} .fr-card").count() > 0, section
    companies = page.locator("#resultats-company").text_content()
    assert "Candidature spontanée" in companies
    assert "Cette entreprise n'a pas publié d'offre" in companies
    assert re.search(r"à \d+,\d\xa0km", page.locator("#resultats-offer").inner_text())
    assert_accessible(page)

    # The map shows the same page of results; its markers are reachable with the keyboard.
    toggle = page.locator("#map-toggle")
    assert toggle.inner_text() == "Afficher la carte"
    toggle.focus()
    toggle.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    markers = page.locator("#results-map .alt-marker")
    markers.first.wait_for()
    assert markers.count() == page.locator(".alt-results .fr-card").count()
    markers.first.focus()
    markers.first.press("Enter")
    assert "à " in page.locator(".leaflet-popup-content").inner_text()
    assert_accessible(page)


def test_search_works_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    search_as_typed(page, live_server.url, "boulanger", "Lyon")
    assert "Boulanger / Boulangère autour de Lyon" in page.locator("h1").inner_text()
    assert page.locator("#resultats-training .fr-card").count() > 0
    context.close()  # axe-core needs JavaScript: the same page is checked in the journey above


def test_unknown_place_gets_a_clear_message(page, live_server, reference_data, assert_accessible):
    page.goto(live_server.url + "/recherche/?metier=boulanger&lieu=Zzzzville&rayon=30")
    assert "Aucune commune ne correspond à «\u00a0Zzzzville\u00a0»" in page.locator("#id_lieu-error").inner_text()
    assert page.locator("#id_metier-error").count() == 0
    assert_accessible(page)

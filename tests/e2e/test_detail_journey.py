"""Journey: a candidate opens an offer from the search results with the keyboard, then its company."""

import re

import pytest
from django.core.management import call_command

from tests.contracts.smic import ensure_smic_rates
from tests.e2e.conftest import e2e_db

pytestmark = [e2e_db]
RESULTS = "/recherche/?metier=boulanger&rome=D1102&lieu=Lyon&insee=69123&rayon=30&type=offer"


@pytest.fixture
def demo_data(reference_data, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", scale="tiny", seed=7, verbosity=0)
        ensure_smic_rates()


def tab_to(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches the selector (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} jamais atteint au clavier")


def test_candidate_opens_an_offer_from_the_results_with_the_keyboard(page, live_server, demo_data, assert_accessible):
    page.goto(live_server.url + RESULTS)
    first = page.locator("#resultats-offer .fr-card__title a").first
    title = first.inner_text().strip()
    tab_to(page, "#resultats-offer .fr-card__title a")
    assert page.evaluate("document.activeElement.textContent.trim()") == title
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/offres/\d+/$"))

    assert page.locator("h1").inner_text().strip() == title
    assert page.title().startswith(title)
    assert page.locator("#demo-notice").is_visible()  # seed_demo rows are fictional and say so
    pay_rows = page.locator("#table-pay tbody tr")
    assert pay_rows.count() == 4
    assert "€" in pay_rows.first.inner_text()
    apply = page.get_by_role("link", name="Postuler")
    assert re.search(r"^/offres/\d+/postuler/$", apply.get_attribute("href"))
    # The small map is drawn by the static script (Leaflet); the page said the place in words already.
    page.locator("#place-map.leaflet-container").wait_for()
    assert page.locator("#place-map").is_visible()
    assert_accessible(page)

    tab_to(page, "main a[href^='/entreprises/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/entreprises/\d{14}/$"))
    assert page.locator("#why-hire li").count() > 0
    assert page.locator("#reply-stats").is_visible()
    assert_accessible(page)


def test_offer_page_is_complete_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(live_server.url + RESULTS)
        page.locator("#resultats-offer .fr-card__title a").first.click()
        page.wait_for_url(re.compile(r"/offres/\d+/$"))
        assert page.locator("#place-map").is_hidden()
        main = page.locator("main").inner_text()
        for words in ("Type de contrat", "Début", "Rythme", "Postes", "Lieu", "Rémunération minimale légale"):
            assert words in main, words
        assert page.get_by_role("link", name="Postuler").is_visible()
    finally:
        context.close()

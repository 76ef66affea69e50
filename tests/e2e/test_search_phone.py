"""The search journey on a phone (375 px): results first, focus on the announced summary, free text read as the
suggestion list would, a sparse place (issue 12)."""

import re

import pytest
from django.core.management import call_command

from tests.e2e.combobox import search_as_typed
from tests.e2e.conftest import e2e_db

pytestmark = [e2e_db]
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def demo_data(reference_data, django_db_blocker):
    """Demonstration data, and the process-wide indexes built before the browser asks (the live server runs
    in this process): a cold start on a loaded machine would otherwise exceed the page timeout."""
    from alternance.reference.suggest import occupation_index, place_index
    from alternance.search import index

    with django_db_blocker.unblock():
        call_command("seed_demo", scale="tiny", seed=7, verbosity=0)
        occupation_index()
        place_index()
        index.reset()
        index.get_source()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_results_first_and_focus_on_the_summary(phone, live_server, demo_data, assert_accessible):
    search_as_typed(phone, live_server.url, "boulanger", "Lyon")
    # the first result is in the first screen
    card = phone.locator(".alt-results .fr-card").first
    box = card.bounding_box()
    assert box is not None and box["y"] < PHONE["height"], box
    # the focus is on the summary, announced to screen readers
    phone.wait_for_function("document.activeElement && document.activeElement.id === 'summary'")
    summary = phone.locator("#summary")
    assert summary.get_attribute("role") == "status" and summary.get_attribute("tabindex") == "-1"
    assert "résultat" in summary.inner_text()
    # the filters are folded, with their count
    assert phone.locator("#filtres").is_hidden()
    assert phone.get_by_role("button", name="Filtres et tri").get_attribute("aria-expanded") == "false"
    # the result tabs within 4 Tab presses (after at most 3 other readings)
    for _ in range(4):
        phone.keyboard.press("Tab")
        if phone.evaluate("!!document.activeElement.closest('nav[aria-label=\"Types de résultats\"]')"):
            break
    else:
        pytest.fail("les onglets de résultats ne sont pas atteints en 4 tabulations")
    assert_accessible(phone)

    # the filters open, and their count says what is active
    phone.get_by_role("button", name="Filtres et tri").click()
    phone.locator("#filtres").wait_for(state="visible")
    phone.locator("label[for='niveau-3']").click()
    phone.get_by_role("button", name="Appliquer les filtres").click()
    phone.wait_for_url(re.compile(r"niveau=3"))
    assert phone.get_by_role("button", name="Filtres et tri (1 actif)").count() == 1
    phone.wait_for_function("document.activeElement && document.activeElement.id === 'summary'")


def test_a_page_opened_directly_keeps_the_skip_links_first(phone, live_server, demo_data):
    phone.goto(live_server.url + "/recherche/?metier=boulanger&lieu=Lyon&rayon=30")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Contenu"


@pytest.mark.parametrize(
    ("typed", "understood", "rome_label"),
    [
        ("infirmiere", "Infirmier / Infirmière en soins généraux (IDE)", "Infirmier / Infirmière en soins généraux"),
        ("mecano", "Mécanicien / Mécanicienne automobile", "Mécanicien / Mécanicienne automobile"),
        ("boulangere", "Boulanger / Boulangère", "Boulanger / Boulangère"),
    ],
)
def test_free_text_is_read_as_the_suggestion_list_would(
    phone, live_server, demo_data, assert_accessible, typed, understood, rome_label
):
    search_as_typed(phone, live_server.url, typed, "Lyon")
    assert phone.locator("h1").inner_text().startswith(rome_label)
    assert understood in phone.locator("#understood").inner_text()
    readings = phone.locator("#understood a")
    if readings.count():
        other = readings.first.inner_text()
        assert other != understood
        readings.first.click()  # the other reading, in one click, same place
        phone.wait_for_url(re.compile(r"rome="))
        assert "autour de Lyon" in phone.locator("h1").inner_text()
        phone.wait_for_function("document.activeElement && document.activeElement.id === 'summary'")
    assert_accessible(phone)


def test_sparse_place_shows_the_nearest_with_their_distance(phone, live_server, demo_data, assert_accessible):
    phone.goto(live_server.url + "/recherche/?metier=p%C3%A2tissi%C3%A8re&lieu=Saint-Flour&insee=15187&rayon=30")
    assert phone.locator("h1").inner_text() == "Pâtissier / Pâtissière autour de Saint-Flour"
    notices = phone.locator(".fr-notice__title").all_inner_texts()
    assert "Aucune formation à moins de 100 km : voici les plus proches." in notices
    trainings = phone.locator("#resultats-training .fr-card")
    assert trainings.count() > 0
    distances = [float(d.replace(",", ".")) for d in re.findall(r"à (\d+,\d)\xa0km", trainings.first.inner_text())]
    assert distances and distances[0] > 100
    page_text = phone.locator("main").inner_text()
    assert "Essayez une distance plus grande" not in page_text and "Élargir à" not in page_text
    assert_accessible(phone)

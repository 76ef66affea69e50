"""Journey: a company checks the minimum pay of a future apprentice with the simulator, keyboard only."""

import pytest

from tests.contracts.smic import ensure_smic_rates
from tests.e2e.conftest import e2e_db

pytestmark = [e2e_db]


@pytest.fixture
def smic_history(transactional_db):
    ensure_smic_rates()


def test_simulator_journey(live_server, page, assert_accessible, smic_history):
    page.goto(f"{live_server.url}/remuneration/")
    assert page.locator("h1").inner_text() == "Rémunération minimale d'un apprenti"
    assert_accessible(page)

    page.get_by_label("Date de naissance de l'apprenti").fill("2006-02-10")
    page.get_by_label("Date de début du contrat").fill("2026-09-01")
    page.get_by_label("Date de fin du contrat").fill("2028-08-31")
    page.get_by_label("Date de fin du contrat").press("Enter")

    page.wait_for_url("**/remuneration/?*")
    rows = page.locator("#table-periods tbody tr")
    assert rows.count() == 3
    assert "1er mars 2027" in rows.nth(1).inner_text()
    assert "989,52" in rows.nth(1).inner_text()
    assert page.get_by_text("À partir du 1er mars 2027 : 21 ans, 53 % du SMIC").is_visible()
    assert_accessible(page)

    # Keyboard: the submit button is reachable with Tab from the last field.
    page.get_by_label("Le contrat s'exécute à Mayotte").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Calculer la rémunération"


def test_simulator_errors_are_accessible(live_server, page, assert_accessible, smic_history):
    page.goto(f"{live_server.url}/remuneration/?birth_date=2006-02-10&start_date=2026-09-01&end_date=2026-08-01")
    assert page.get_by_text("La date de fin du contrat est antérieure à sa date de début").is_visible()
    assert page.locator("#table-periods").count() == 0
    assert_accessible(page)


def test_simulator_on_a_phone(live_server, mobile_page, assert_accessible, smic_history):
    mobile_page.goto(f"{live_server.url}/remuneration/?birth_date=2008-03-15&start_date=2025-09-01&end_date=2027-08-31")
    assert mobile_page.locator("#table-periods tbody tr").count() == 5
    assert_accessible(mobile_page)

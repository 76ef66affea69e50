"""The public dashboard in a browser: figures with small counts hidden, charts drawn by DSFR Chart with
their tables, the CSV download, axe-core clean at 1280 and 360 px."""

import pytest

from alternance.enrolments.services import ingest
from alternance.organisations.models import Organisation
from tests.e2e.conftest import e2e_db
from tests.enrolments.records import CFA_UAI, TODAY, record

pytestmark = [e2e_db]


@pytest.fixture
def enrolments(reference_data, django_db_blocker):
    with django_db_blocker.unblock():
        cfa = Organisation.objects.get(uai=CFA_UAI)
        contract = record()["contracts"][0]
        broken = [contract | {"break_date": "2026-01-10", "break_reason": "démission"}]
        learners = [record() for _ in range(12)] + [record(contracts=broken)] + [record(contracts=[])]
        result = ingest(cfa, learners, today=TODAY)
    assert result.accepted == 14
    return learners


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}])
def test_dashboard_journey(browser, live_server, enrolments, assert_accessible, viewport):
    context = browser.new_context(locale="fr-FR", viewport=viewport, is_mobile=viewport["width"] < 400)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/")
        page.locator("footer").get_by_role("link", name="Tableau de bord de l'apprentissage").click()
        page.wait_for_url("**/tableau-de-bord/")
        assert page.get_by_role("heading", level=1).inner_text() == "Tableau de bord de l'apprentissage"
        # Charts are drawn by the DSFR Chart web components (their script is loaded from static vendor/).
        page.wait_for_function(
            "customElements.get('bar-chart') !== undefined && customElements.get('line-chart') !== undefined"
        )
        page.locator("bar-chart canvas, bar-chart svg").first.wait_for(state="attached")
        # Each chart has its table; small groups read « <3 », no learner is named.
        tables = page.locator("main table")
        assert tables.count() >= 7
        status_table = page.locator("table", has=page.locator("caption", has_text="Par statut"))
        assert status_table.locator("abbr", has_text="<3").count() >= 1
        text = page.locator("main").inner_text()
        assert all(r["last_name"] not in text for r in enrolments)
        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger les indicateurs (CSV)").click()
        assert download.value.suggested_filename.startswith("indicateurs-apprentissage-")
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        context.close()

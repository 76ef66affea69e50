"""The API documentation page (Swagger UI inside the site's frame), at 1280 and 360 px."""

import gzip
import json

from tests.e2e.conftest import axe_violations, e2e_db
from tests.e2e.page_checks import MAX_COMPRESSED_BYTES, open_page
from tests.e2e.pages import SWAGGER_PATH, WIDTHS

pytestmark = [e2e_db]


# The API documentation: Swagger UI (shipped by django-ninja) inside the site's header and footer, in French,
# with colour and accessibility fixes of our own (alternance/web/static/alternance/swagger-docs.css and .js).
# axe-core finds nothing, on the page as loaded and with the search endpoint opened and tried.
SEARCH_OPERATION = "#operations-recherche-alternance_api_search_search"


def test_api_docs(browser, live_server, reference_data):
    for viewport in WIDTHS.values():
        context, page = open_page(browser, viewport)
        try:
            response = page.goto(live_server.url + SWAGGER_PATH)
            assert response.status == 200
            assert len(gzip.compress(response.body())) < MAX_COMPRESSED_BYTES
            page.locator("#swagger-ui .opblock").first.wait_for()
            assert page.evaluate("document.documentElement.lang") == "fr"
            assert page.locator("header.fr-header").count() == 1 and page.locator("footer.fr-footer").count() == 1
            assert page.locator("main a[href='/']").inner_text() == "Retour à la recherche"
            violations = axe_violations(page)
            assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)

            # « Essayer » then « Exécuter » on the search endpoint: the example values give a 200.
            operation = page.locator(SEARCH_OPERATION)
            operation.locator(".opblock-summary-control").click()
            operation.get_by_role("button", name="Essayer").click()
            assert operation.locator("tr[data-param-name='romes'] input").input_value() == "D1102,D1104"
            operation.get_by_role("button", name="Exécuter").click()
            status = operation.locator(".live-responses-table tbody .response-col_status").first
            status.wait_for()
            assert status.inner_text().strip() == "200"
            assert "Paramètres" in operation.inner_text() and "Réponse du serveur" in operation.inner_text()
            violations = axe_violations(page)
            assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
            if viewport["width"] <= 360:
                assert page.evaluate("document.documentElement.scrollWidth") <= 360
        finally:
            context.close()

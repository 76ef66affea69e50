"""Content-Security-Policy: every page of PAGES, the API documentation and the admin load in Chromium
without a single violation reported by the browser (securitypolicyviolation event or console message)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from tests.e2e.conftest import e2e_db
from tests.e2e.pages import PAGES, SIGNED_IN, STATUSES, SWAGGER_PATH
from tests.e2e.site_data import session_cookies

pytestmark = [e2e_db]

# Collects the violations from the first byte of every document, before any script of the page runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def violations_on(
    browser, url: str, *, wait_for: str, login: tuple[str, str] | None = None, status: int = 200, cookies=None
) -> list[str]:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    if cookies:
        context.add_cookies(cookies)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(30_000)
    console: list[str] = []
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    try:
        if login:
            page.goto(url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + "/admin/login/")
            page.fill("#id_username", login[0])
            page.fill("#id_password", login[1])
            page.locator("input[type=submit]").click()
            page.wait_for_load_state()
        response = page.goto(url)
        assert response.status == status, f"{url} : statut {response.status}"
        assert "Content-Security-Policy" in {k.title() for k in response.headers} or (
            "content-security-policy" in response.headers
        ), f"{url} : pas d'en-tête Content-Security-Policy"
        page.locator(wait_for).first.wait_for()
        page.wait_for_load_state("networkidle")
        return page.evaluate("window.__cspViolations") + console
    finally:
        context.close()


# Public pages not (yet) in PAGES.
MORE_PAGES = {"tableau-de-bord": ("/tableau-de-bord/", "main h1")}


@pytest.mark.parametrize("name", list(PAGES) + list(MORE_PAGES))
def test_page_has_no_csp_violation(name, browser, live_server, site_data):  # noqa: F811
    path, selector = PAGES.get(name) or MORE_PAGES[name]
    url = live_server.url + path.format(**site_data)
    cookies = session_cookies(live_server, site_data["space_user"]) if name in SIGNED_IN else None
    assert violations_on(browser, url, wait_for=selector, status=STATUSES.get(name, 200), cookies=cookies) == []


def test_an_inline_script_is_reported(browser, live_server):
    """The check itself: a script without the nonce, added to a page, is refused and reported."""
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/remuneration/")
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; "
            "document.body.append(s); }"
        )
        page.wait_for_function("window.__cspViolations.length > 0")
        assert page.evaluate("window.ran") is None
    finally:
        context.close()


def test_api_docs_have_no_csp_violation(browser, live_server):
    assert violations_on(browser, live_server.url + SWAGGER_PATH, wait_for=".opblock") == []


def test_admin_has_no_csp_violation(browser, live_server):
    # A staff member allowed to read trainings only: the admin's menu then lists no app the e2e database
    # leaves out of available_apps (referentials, organisations).
    user = get_user_model().objects.create_user("csp-admin", "csp@example.org", "mot-de-passe-csp", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_training"))
    violations = violations_on(
        browser,
        live_server.url + "/admin/trainings/training/",
        wait_for="#changelist",
        login=("csp-admin", "mot-de-passe-csp"),
    )
    assert violations == []

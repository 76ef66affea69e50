"""Browser journeys: Playwright for Python driving Debian's Chromium, with an axe-core check."""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.site_data import site_data  # noqa: F401 (the seeded site of the page checks, a fixture)

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Live-server tests are transactional: Django flushes the tables after each test. Flushing only the
# apps a journey writes to keeps the referentials (loaded once per session) in place.
KEPT_APPS = {"alternance.reference", "alternance.organisations"}
E2E_APPS = [app for app in settings.INSTALLED_APPS if app not in KEPT_APPS]
e2e_db = pytest.mark.django_db(transaction=True, available_apps=E2E_APPS)
"""Mark for browser journeys: `pytestmark = [e2e_db]` in each tests/e2e module."""


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _referentials_loaded(reference_data):
    """Every journey reads the referentials: reload them if a transactional test before it flushed them."""


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium est introuvable ({CHROMIUM}) : apt-get install -y chromium")
        pytest.skip("Chromium absent : parcours navigateur ignorés (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def mobile_page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def inject_axe(page) -> None:
    """Load axe-core into the page through the DevTools protocol: a <script> tag would break the page's CSP."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2 A/AA rules) on the current page and return its violations."""
    inject_axe(page)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.fixture
def assert_accessible():
    def check(page):
        violations = axe_violations(page)
        assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)

    return check

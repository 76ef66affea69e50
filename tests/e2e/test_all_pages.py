"""Every public page, at 1280 px and at 360 px: axe-core clean, no horizontal scrolling on a phone,
HTML under 100 KB compressed, a visible keyboard focus and a working « Contenu » skip link (page_checks.py);
the same skip links everywhere, French typography, titles announcing form errors. The pages are listed in
pages.py; the pages behind a sign-in are checked in test_signed_in_pages.py, the navigation in
test_navigation.py, the API documentation in test_api_docs.py."""

import re

import pytest

from tests.e2e.conftest import e2e_db
from tests.e2e.page_checks import check_page
from tests.e2e.pages import PAGES, SIGNED_IN, STATUSES, WIDTHS
from tests.e2e.site_data import session_cookies

pytestmark = [e2e_db]


# Known issues in templates owned by another package, reported to their owner; strict: the test fails
# as soon as the page is fixed, so the mark is removed then.
KNOWN_ISSUES: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_ISSUES[name]))
        if name in KNOWN_ISSUES
        else name
        for name in PAGES
    ],
)
def test_page_is_accessible_light_and_fits_a_phone(name, browser, live_server, site_data, assert_accessible):
    path, selector = PAGES[name]
    cookies = session_cookies(live_server, site_data["space_user"]) if name in SIGNED_IN else None
    for viewport in WIDTHS.values():
        status = STATUSES.get(name, 200)
        check_page(
            browser, live_server, path.format(**site_data), selector, viewport, assert_accessible, status, cookies
        )


def test_contract_form_errors_fit_a_phone(mobile_page, live_server, site_data, assert_accessible):
    """The contract form's first step sent empty: the error summary and every field in error stay within 360 px."""
    page = mobile_page
    page.goto(live_server.url + "/contrats/nouveau/")
    page.get_by_role("button", name="Enregistrer et continuer").press("Enter")
    page.locator("#errors-summary").wait_for()
    assert page.title().startswith("Erreur dans le formulaire — ")
    assert page.locator(".fr-input-group--error, .fr-select-group--error").count() > 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


# Skip links: the same on every page (RGAA 12.7), from alternance.web.context_processors.
SKIPLINKS_ISSUES: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=SKIPLINKS_ISSUES[name]))
        if name in SKIPLINKS_ISSUES
        else name
        for name in PAGES
    ],
)
def test_same_skiplinks_on_every_page(name, client, site_data, rf):
    from alternance.web.context_processors import site

    expected = [(link["link"], link["label"]) for link in site(rf.get("/"))["skiplinks"]]
    if name in SIGNED_IN:
        from django.contrib.auth.models import User

        client.force_login(User.objects.get(pk=site_data["space_user"]))
    html = client.get(PAGES[name][0].format(**site_data)).content.decode()
    links = re.findall(r'<a class="fr-link" href="(#[\w-]+)"[^>]*>([^<]+)</a>', html.split('class="fr-skiplinks"')[1])
    assert [(href, label.strip()) for href, label in links][: len(expected)] == expected
    assert len(links) >= len(expected) and links[len(expected) - 1][0] == "#footer"
    for target, _ in expected:
        assert f'id="{target[1:]}"' in html, target


# French typography in the shared header and footer and in the contract pages' own text: a
# non-breaking space before « : ; ! ? % € » and inside guillemets (the pay explanations and the date
# errors come from alternance.contracts.pay and are checked there).
TYPOGRAPHY_PAGES = [
    "simulateur",
    "contrat-nouveau",
    "contrat-etape-apprenti",
    "contrat-etape-contrat",
    "contrat",
    "offre",
    "offre-pourvue",
    "entreprise",
    "formation",
    "formation-fermee",
    "rendez-vous-formation-fermee",
    "page-introuvable",
]
BAD_SPACING = re.compile(r"[^\s\u00a0\u202f] [:;!?»%€]|« ")


@pytest.mark.parametrize("name", TYPOGRAPHY_PAGES)
def test_french_typography(name, client, site_data):
    from lxml import html as lxml_html

    response = client.get(PAGES[name][0].format(**site_data))
    doc = lxml_html.fromstring(response.content)
    # Text written by companies or catalogue feeds (.alt-user-text) is theirs, shown as they wrote it.
    for node in doc.xpath("//script | //style | //table | //*[contains(@class, 'alt-user-text')]"):
        node.drop_tree()
    text = " ".join(doc.text_content().split(" "))
    bad = sorted({text[max(m.start() - 20, 0) : m.end() + 10] for m in BAD_SPACING.finditer(text)})
    assert bad == []
    assert "\u00a0:" in doc.xpath("string(//footer)") or "\u00a0:" in doc.xpath("string(//main)")


def test_french_typography_of_contract_form_messages():
    from alternance.web.contracts.forms import ContractForm, SimulatorForm

    texts = []
    for form_class in (SimulatorForm, ContractForm):
        for field in form_class().fields.values():
            texts += [str(field.label), str(field.help_text), *map(str, field.error_messages.values())]
    assert len(texts) > 100
    bad = sorted({text for text in texts if BAD_SPACING.search(text)})
    assert bad == []


def test_page_title_announces_form_errors(client, site_data):
    """RGAA 11.10: after a failed submission the page title says there is an error."""
    failed = client.get(PAGES["simulation-erreur"][0]).content.decode()
    assert "<title>Erreur dans le formulaire — " in failed
    passed = client.get(PAGES["simulation"][0]).content.decode()
    assert "<title>Rémunération minimale" in passed

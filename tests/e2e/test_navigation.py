"""The site's frame on a phone and a computer: the burger menu with the keyboard, the State brand only behind
its setting, the navigation without JavaScript (the footer's site map)."""

import re

import pytest

from tests.e2e.conftest import e2e_db
from tests.e2e.page_checks import open_page
from tests.e2e.pages import WIDTHS

pytestmark = [e2e_db]


def test_burger_menu_opens_the_navigation_with_the_keyboard(mobile_page, live_server, assert_accessible):
    page = mobile_page
    page.goto(live_server.url + "/remuneration/")
    burger = page.locator(".fr-header__navbar .fr-btn--menu")
    assert burger.is_visible()
    nav_link = page.locator("#menu-principal").get_by_role("link", name="Organismes de formation")
    assert not nav_link.is_visible()
    # No empty brand bar: without the State brand the burger sits beside the service title.
    title_box = page.locator(".fr-header__service-title").bounding_box()
    burger_box = burger.bounding_box()
    same_row = burger_box["y"] < title_box["y"] + title_box["height"] < burger_box["y"] + 2 * burger_box["height"]
    assert same_row, (title_box, burger_box)
    assert title_box["x"] + title_box["width"] <= burger_box["x"]
    burger.focus()
    page.keyboard.press("Enter")
    menu = page.locator("#menu-principal")
    page.wait_for_function("document.querySelector('#menu-principal').classList.contains('fr-modal--opened')")
    assert burger.get_attribute("data-fr-opened") == "true"
    assert nav_link.is_visible()
    # The keyboard reaches the links of the opened menu.
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Organismes de formation":
            break
    assert page.evaluate("document.activeElement.closest('#menu-principal') !== null")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Organismes de formation"
    assert_accessible(page)
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('#menu-principal').classList.contains('fr-modal--opened')")
    assert not menu.get_by_role("link", name="Organismes de formation").is_visible()


@pytest.mark.parametrize("state_brand", [False, True])
def test_state_brand_only_behind_its_setting(state_brand, settings, browser, live_server, assert_accessible):
    settings.ALTERNANCE_STATE_BRAND = state_brand
    for viewport in WIDTHS.values():
        context, page = open_page(browser, viewport)
        try:
            page.goto(live_server.url + "/remuneration/")
            logos = page.locator(".fr-logo")
            header_text = page.locator("header").inner_text()
            footer_text = page.locator("footer").inner_text()
            if state_brand:
                assert logos.count() == 2
                assert re.search(r"République\s+française", header_text, re.IGNORECASE)
                assert re.search(r"République\s+française", footer_text, re.IGNORECASE)
            else:
                assert logos.count() == 0
                assert "République" not in header_text and "République" not in footer_text
            home = page.locator(".fr-header__service a[href='/']")
            assert home.get_attribute("title").startswith("Accueil")
            assert home.is_visible()
            assert_accessible(page)
            if viewport["width"] <= 360:
                assert page.evaluate("document.documentElement.scrollWidth") <= 360
        finally:
            context.close()


def test_navigation_without_javascript_on_a_phone(browser, live_server):
    """Without JavaScript the burger cannot open the menu: it is hidden and the footer's site map links
    every page of the main menu."""
    context = browser.new_context(locale="fr-FR", viewport=WIDTHS["mobile"], is_mobile=True, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/remuneration/")
        assert not page.locator(".fr-header__navbar .fr-btn--menu").is_visible()
        menu = page.locator("#menu-principal a.fr-nav__link")
        targets = {menu.nth(i).get_attribute("href") for i in range(menu.count())}
        assert {"/", "/remuneration/", "/organismes/", "/donnees/", "/api/v1/docs"} <= targets
        site_map = page.locator("footer .fr-footer__top a")
        links = [site_map.nth(i) for i in range(site_map.count())]
        reachable = {link.get_attribute("href") for link in links if link.is_visible()}
        assert targets <= reachable
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_role("link", name="Organismes de formation").last.click()
        page.wait_for_url("**/organismes/")
    finally:
        context.close()

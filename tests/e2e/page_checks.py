"""The checks every page goes through (check_page): status, content selector, under 100 KB gzipped, axe-core,
no horizontal scrolling at 360 px, a visible focus on every tab stop, the « Contenu » skip link."""

import gzip

MAX_COMPRESSED_BYTES = 100 * 1024


def open_page(browser, viewport: dict, cookies: list[dict] | None = None):
    context = browser.new_context(locale="fr-FR", viewport=viewport, is_mobile=viewport["width"] < 400)
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def focus_after_skiplinks(page) -> dict:
    """Tab from the top of the page past the skip links; describe the focused element and its outline."""
    skiplinks = page.locator(".fr-skiplinks a").count()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(skiplinks + 1):
        page.keyboard.press("Tab")
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.getBoundingClientRect();
            // DSFR draws the ring on the element, or on its ::before inside a .fr-enlarge-link block.
            const rings = [getComputedStyle(el), getComputedStyle(el, '::before')]
                .filter(s => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2);
            return {tag: el.tagName, text: el.textContent.trim().slice(0, 40),
                    skip: !!el.closest('.fr-skiplinks'), ring: rings.length > 0,
                    visible: box.width > 0 && box.height > 0};
        }"""
    )


FOCUS_SWEEP = 40


def tab_stops_without_focus_ring(page) -> list[str]:
    """Tab through the first FOCUS_SWEEP stops; list those without a 2 px outline on the element or on
    its ::before / ::after (DSFR draws it there in .fr-enlarge-link blocks). The calendar button inside a
    date field is the browser's own widget (it draws its ring, the field itself loses :focus)."""
    missing = []
    for _ in range(FOCUS_SWEEP):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const ring = [getComputedStyle(el), getComputedStyle(el, '::before'), getComputedStyle(el, '::after')]
                    .some(s => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2);
                const picker = el.matches('input[type=date]') && !el.matches(':focus');
                return {ok: ring || picker, name: el.tagName + '#' + el.id + ' ' + el.textContent.trim().slice(0, 30)};
            }"""
        )
        if info is None:
            break
        if not info["ok"]:
            missing.append(info["name"])
    return missing


def check_page(
    browser,
    live_server,
    path: str,
    selector: str,
    viewport: dict,
    assert_accessible,
    status: int = 200,
    cookies: list[dict] | None = None,
) -> None:
    context, page = open_page(browser, viewport, cookies)
    try:
        response = page.goto(live_server.url + path)
        assert response.status == status, f"{path} : statut {response.status}"
        if cookies:  # signed in: the page itself, not a sign-in page it redirected to
            assert page.url == live_server.url + path, f"{path} : redirigé vers {page.url}"
        assert page.locator(selector).count() > 0, f"{path} : {selector} absent"
        body = response.body()
        compressed = len(gzip.compress(body))
        assert compressed < MAX_COMPRESSED_BYTES, f"{path} : {compressed} octets compressés"
        assert_accessible(page)
        if viewport["width"] <= 360:
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= 360, f"{path} : défilement horizontal ({scroll_width} px)"

        focused = focus_after_skiplinks(page)
        assert not focused["skip"], focused
        assert focused["visible"], focused
        assert focused["ring"], f"{path} : focus invisible {focused}"

        without_ring = tab_stops_without_focus_ring(page)
        assert without_ring == [], f"{path} : focus invisible sur {without_ring}"

        page.goto(live_server.url + path)  # tab again from the top of the page
        page.keyboard.press("Tab")
        skip = page.locator(".fr-skiplinks a", has_text="Contenu")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Contenu"
        assert skip.get_attribute("href") == "#content"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#content"
        assert page.evaluate("document.activeElement.id") == "content"
    finally:
        context.close()

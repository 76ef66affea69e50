"""The pages behind a sign-in (space, staff pages; SIGNED_IN_PAGES of pages.py), each with the session of its
person, through the same checks as the public pages (page_checks.check_page) at 1280 and 360 px."""

import pytest

from tests.e2e.conftest import e2e_db
from tests.e2e.page_checks import check_page
from tests.e2e.pages import SIGNED_IN_PAGES, WIDTHS
from tests.e2e.site_data import session_cookie

pytestmark = [e2e_db]


@pytest.mark.parametrize("name", list(SIGNED_IN_PAGES))
def test_signed_in_page_is_accessible_light_and_fits_a_phone(
    name, browser, live_server, site_data, assert_accessible, django_db_blocker
):
    persona, path, selector = SIGNED_IN_PAGES[name]
    with django_db_blocker.unblock():
        cookies = session_cookie(site_data["people"][persona], live_server)
    for viewport in WIDTHS.values():
        check_page(browser, live_server, path.format(**site_data), selector, viewport, assert_accessible, 200, cookies)

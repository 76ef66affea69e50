"""`{% frozen %}` (alternance/web/templatetags/fragment_tags.py): rendered once per process, the request's CSP
nonce put in on each page; rendered again after a setting changes, never kept with DEBUG or without a nonce."""

import re

import pytest
from django.template import engines
from django.test import override_settings
from django.utils.csp import LazyNonce

from alternance.web.templatetags.fragment_tags import NONCE


def template(body: str):
    return engines["django"].from_string("{% load static fragment_tags %}" + body)


def test_the_request_nonce_is_put_in_escaped_each_time():
    page = template('{% frozen %}<script src="/a.js" nonce="{{ csp_nonce }}"></script>{% endfrozen %}')
    assert page.render({"csp_nonce": "first"}) == '<script src="/a.js" nonce="first"></script>'
    second = page.render({"csp_nonce": 'se"<cond'})
    assert second == '<script src="/a.js" nonce="se&quot;&lt;cond"></script>'
    assert NONCE not in second


def test_the_fragment_is_rendered_once():
    page = template("{% frozen %}{{ value }}{% endfrozen %}|{{ value }}")
    assert page.render({"csp_nonce": "n", "value": "one"}) == "one|one"
    assert page.render({"csp_nonce": "n", "value": "two"}) == "one|two"


def test_a_setting_change_renders_it_again():
    page = template("{% frozen %}{{ value }}{% endfrozen %}")
    assert page.render({"csp_nonce": "n", "value": "one"}) == "one"
    with override_settings(ALTERNANCE_SITE_TITLE="autre"):
        assert page.render({"csp_nonce": "n", "value": "two"}) == "two"


@pytest.mark.parametrize("context", [{"csp_nonce": ""}, {"csp_nonce": None}])
def test_without_a_nonce_nothing_is_kept(context):
    page = template('{% frozen %}{{ value }}<script nonce="{{ csp_nonce }}"></script>{% endfrozen %}')
    page.render({**context, "value": "one"})
    assert page.render({**context, "value": "two"}).startswith("two")


def test_with_debug_nothing_is_kept(settings):
    settings.DEBUG = True
    page = template("{% frozen %}{{ value }}{% endfrozen %}")
    page.render({"csp_nonce": "n", "value": "one"})
    assert page.render({"csp_nonce": "n", "value": "two"}) == "two"


@pytest.mark.django_db
def test_every_script_and_style_sheet_of_the_results_page_carries_that_answer_s_nonce(client):
    params = {"metier": "Boulanger", "rome": "D1102", "lieu": "Lyon", "insee": "69123"}
    seen = set()
    for _ in range(2):
        response = client.get("/recherche/", params)
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        html = response.content.decode()
        assert NONCE not in html
        tags = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", html)
        assert len(tags) >= 6 and all(f'nonce="{nonce}"' in tag for tag in tags), tags
        assert html.count(f'nonce="{nonce}"') >= 8  # scripts, site.css and leaflet.css
        seen.add(nonce)
    assert len(seen) == 2


def test_a_nonce_not_printed_yet_is_a_nonce():
    """The request's LazyNonce is false until something prints it: the first fragment of a page still keeps."""
    page = template('{% frozen %}{{ value }}<link nonce="{{ csp_nonce }}">{% endfrozen %}')
    page.render({"csp_nonce": LazyNonce(), "value": "one"})
    nonce = LazyNonce()
    assert not nonce
    assert page.render({"csp_nonce": nonce, "value": "two"}) == f'one<link nonce="{nonce}">'


def test_with_keys_one_rendering_is_kept_per_value():
    page = template("{% frozen section %}{{ section }}:{{ value }}{% endfrozen %}")
    assert page.render({"csp_nonce": "n", "section": "/", "value": "one"}) == "/:one"
    assert page.render({"csp_nonce": "n", "section": "/donnees/", "value": "two"}) == "/donnees/:two"
    assert page.render({"csp_nonce": "n", "section": "/", "value": "three"}) == "/:one"
    assert page.render({"csp_nonce": "n", "section": "/donnees/", "value": "four"}) == "/donnees/:two"


def test_past_the_bound_the_kept_renderings_are_dropped():
    from alternance.web.templatetags.fragment_tags import MAX_KEPT

    page = template("{% frozen key %}{{ key }}{{ value }}{% endfrozen %}")
    for key in range(MAX_KEPT):
        page.render({"csp_nonce": "n", "key": key, "value": "a"})
    assert page.render({"csp_nonce": "n", "key": 0, "value": "b"}) == "0a"
    page.render({"csp_nonce": "n", "key": MAX_KEPT, "value": "b"})  # one too many: everything dropped
    assert page.render({"csp_nonce": "n", "key": 0, "value": "c"}) == "0c"

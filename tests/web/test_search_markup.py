"""The search form, its filters and the combobox fields built in Python (alternance/web/search/form_markup.py)
give the markup the templates gave: tests/web/legacy_templates/ keeps those templates as the reference, and
each case renders both and compares the parsed HTML (elements, attributes, text; not the indentation)."""

import re
from pathlib import Path

import pytest
from django.template import Context, Engine
from django.test.html import parse_html

from alternance.web.offers.forms import OccupationForm
from alternance.web.search.form_markup import combobox_field, search_filters, search_form
from alternance.web.search.forms import LEVEL_CHOICES, SIZE_CHOICES, SearchForm

pytestmark = pytest.mark.django_db

LEGACY = Engine(dirs=[Path(__file__).parent / "legacy_templates"])
HOSTILE = "\"><script>alert(1)</script>&amp; l'été"
LYON = {"metier": "Boulanger", "rome": "D1102", "lieu": "Lyon", "insee": "69123"}


def legacy(name: str, **context) -> str:
    return LEGACY.get_template(name).render(Context(context))


def assert_same_markup(new: str, old: str) -> None:
    squeeze = lambda html: re.sub(r"[ \n]+", " ", re.sub(r">[ \n]+<", "><", html)).strip()  # noqa: E731
    assert squeeze(new).replace("><", ">\n<") == squeeze(old).replace("><", ">\n<")
    assert parse_html(new) == parse_html(old)


def bound(params) -> SearchForm:
    form = SearchForm(_querydict(params))
    form.is_valid()
    return form


FORMS = {
    "home (unbound)": lambda: SearchForm(),
    "valid, 60 km": lambda: bound({**LYON, "rayon": "60"}),
    "valid, no distance": lambda: bound(LYON),
    "empty fields": lambda: bound({"metier": "", "lieu": ""}),
    "hostile text everywhere": lambda: bound(
        {"metier": HOSTILE, "rome": HOSTILE, "lieu": HOSTILE, "insee": HOSTILE, "rayon": HOSTILE}
    ),
    "other fields' errors above the form": lambda: bound(
        {**LYON, "rayon": "500", "type": "nimporte", "page": "0", "debut": "demain", "tri": "<b>"}
    ),
    "too long": lambda: bound({"metier": "x" * 500, "lieu": "Lyon"}),
}


@pytest.mark.parametrize("case", FORMS)
def test_search_form_is_the_templates_markup(case):
    form = FORMS[case]()
    if case == "valid, 60 km":
        form.add_error(None, f"Le moteur de recherche ne répond pas {HOSTILE}")  # as the view does on SearchError
    assert_same_markup(search_form(form), legacy("search/_form.html", form=form))


def test_user_input_is_escaped_in_the_form():
    html = search_form(FORMS["hostile text everywhere"]())
    assert "<script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp; l&#x27;été"' in html
    assert "Aucune commune ne correspond à «\u00a0&quot;&gt;&lt;script&gt;" in html


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"metier": "", "rome": "D1102", "lieu": HOSTILE},
        {"metier": "boulanger", "rome": "D1102", "lieu": "Lyon", "insee": "69123"},
    ],
)
def test_the_offer_step_combobox_is_the_templates_markup(params):
    form = OccupationForm(params) if params else OccupationForm()
    form.is_valid()
    for field, hidden, hint, url in (("metier", "rome", "Tapez le début", "/suggestions/metiers/"),):
        old = legacy("search/_combobox_field.html", field=form[field], hidden=form[hidden], hint=hint, suggest_url=url)
        assert_same_markup(combobox_field(form[field], form[hidden], hint, url), old)
    old = legacy("search/_combobox_field.html", field=form["lieu"], hidden=form["insee"], hint=HOSTILE, suggest_url=url)
    assert_same_markup(combobox_field(form["lieu"], form["insee"], HOSTILE, url), old)


def facets(counts):
    return [{"value": value, "label": label, "count": counts.get(value, 0)} for value, label in counts["choices"]]


LEVELS = facets({"choices": LEVEL_CHOICES, "3": 12, "5": 1_204})
SIZES = facets({"choices": SIZE_CHOICES, SIZE_CHOICES[0][0]: 3})
FILTERS = {
    "no filter": (LYON, {}, 0, ""),
    "every filter, one kind": (
        {**LYON, "niveau": ["3", "5"], "taille": [SIZE_CHOICES[1][0]], "accessible": "on", "debut": "2027-01-04"},
        {"accessible": 7},
        4,
        "offer",
    ),
    "one filter, sorted by distance": ({**LYON, "tri": "distance", "accessible": "false"}, {"accessible": 0}, 1, ""),
    "wrong date, hostile values": (
        {**LYON, "debut": HOSTILE, "tri": HOSTILE, "niveau": [HOSTILE]},
        {},
        2,
        "training",
    ),
}


@pytest.mark.parametrize("case", FILTERS)
def test_filters_are_the_templates_markup(case):
    params, counts, active, only = FILTERS[case]
    form = SearchForm(_querydict(params))
    form.is_valid()
    old = legacy(
        "search/_filters.html",
        form=form,
        result={"facets": counts},
        level_facets=LEVELS,
        size_facets=SIZES,
        active_filters=active,
        only=only,
    )
    assert_same_markup(search_filters(form, counts, LEVELS, SIZES, active, only), old)


def _querydict(params):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query

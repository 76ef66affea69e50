"""The result card built in Python (alternance/web/search/cards.py): every value escaped, DSFR markup per kind."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from alternance.web.search.cards import result_card, result_cards

COMMON = {"commune_name": "Lyon", "postcode": "69001", "distance_km": 4.26, "is_demo": False, "reasons": []}


def item(**values):
    return SimpleNamespace(**{**COMMON, **values})


@pytest.mark.parametrize(
    "result, expected",
    [
        (
            item(
                type="offer",
                id=12,
                title="Boulanger",
                company_name="Fournil & Co",
                start_date=dt.date(2027, 3, 1),
                duration_months=24,
            ),
            [
                'href="/offres/12/"',
                "Fournil &amp; Co — Lyon (69001)",
                "Début le 1er mars 2027 · contrat de 24&nbsp;mois",
                'fr-badge--info fr-badge--no-icon">Offre<',
            ],
        ),
        (
            item(
                type="company",
                siret="73282932000074",
                title="Boulangerie",
                naf_label="Boulangerie et pâtisserie",
                spontaneous_notice="Candidature spontanée possible",
                spontaneous_label="Candidature spontanée",
            ),
            [
                'href="/entreprises/73282932000074/"',
                "Boulangerie et pâtisserie — Lyon (69001)<br>Candidature",
                'fr-badge--new fr-badge--no-icon">Candidature spontanée<',
            ],
        ),
        (
            item(
                type="training",
                id=7,
                title="CAP Boulanger",
                organisation_name="CFA",
                start_date=None,
                is_demo=True,
                reasons=["Métier recherché"],
            ),
            [
                'href="/formations/7/"',
                "CFA — Lyon (69001)</p>",
                "Démonstration",
                '<p class="fr-tag fr-tag--sm">Métier recherché</p>',
            ],
        ),
    ],
)
def test_each_kind_has_its_card(result, expected):
    html = result_card(result)
    for fragment in expected:
        assert fragment in html
    assert "à 4,3\u00a0km" in html


def test_every_value_is_escaped():
    html = result_card(
        item(
            type="offer",
            id=1,
            title='<script>alert("x")</script>',
            company_name="<b>",
            start_date=None,
            duration_months=None,
            reasons=["<i>"],
        )
    )
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_group_s_cards_are_list_items_in_order():
    offers = [item(type="offer", id=n, title=f"Offre {n}", company_name="<Co>", start_date=None, duration_months=None)
              for n in (3, 1)]  # fmt: skip
    html = result_cards(offers)
    assert html == "".join(f'<li class="fr-col-12 fr-col-md-6">{result_card(offer)}</li>' for offer in offers)
    assert html.index("/offres/3/") < html.index("/offres/1/") and "&lt;Co&gt;" in html
    assert result_cards([]) == ""


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "a&b",
        "<script>",
        '"q"',
        "l'été",
        "&amp;",
        "",
        12,
        3.5,
        None,
        mark_safe("<b>sûr</b>"),
        gettext_lazy("Oui"),
    ],
)
def test_the_fast_escapes_write_what_djangos_write(value):
    from django.utils import html

    from alternance.web.search.cards import conditional_escape, escape

    assert escape(value) == html.escape(value)
    escaped = conditional_escape(value)
    assert escaped == html.conditional_escape(value)
    assert type(escaped) is type(html.conditional_escape(value))  # safe stays safe: never escaped twice

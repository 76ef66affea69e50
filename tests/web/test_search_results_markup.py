"""The sections of the results page built in Python (alternance/web/search/results_markup.py) give the markup
the template loop gave (tests/web/legacy_templates/search/_result_groups.html): parsed HTML compared."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.paginator import Paginator
from django.template import Context, Engine

from alternance.web.search.results_markup import result_groups
from tests.web.test_search_markup import HOSTILE, assert_same_markup

LEGACY = Engine(
    dirs=[Path(__file__).parent / "legacy_templates", Path(__file__).parents[2] / "alternance/web/templates"],
    libraries={
        "alternance_tags": "alternance.web.templatetags.alternance_tags",
        "search_tags": "alternance.web.templatetags.search_tags",
    },
)
QUERY = "metier=Boulanger&rome=D1102&lieu=Lyon&insee=69123&rayon=30"


def item(kind: str, n: int, **values):
    common = {"commune_name": "Lyon", "postcode": "69001", "distance_km": 4.26 + n, "is_demo": False, "reasons": []}
    if kind == "offer":
        extra = {"id": n, "company_name": "Fournil & Co", "start_date": None, "duration_months": 12}
    elif kind == "company":
        extra = {
            "siret": f"7328293200{n:04d}",
            "naf_label": "Boulangerie",
            "spontaneous_notice": "Candidature spontanée possible",
            "spontaneous_label": "Candidature spontanée",
        }
    else:
        extra = {"id": n, "organisation_name": "CFA <Lyon>", "start_date": None}
    return SimpleNamespace(type=kind, title=f"Boulanger {n}", **{**common, **extra, **values})


def group(kind: str, total: int, shown: int, nearest: bool = False, page: int | None = None, size: int = 20):
    titles = {"offer": "Offres d'apprentissage", "company": "Entreprises", "training": "Formations"}
    out = {
        "kind": kind,
        "title": titles[kind],
        "total": total,
        "items": [item(kind, n) for n in range(shown)],
        "nearest": nearest,
        "page_obj": None,
    }
    if page is not None:
        out["page_obj"] = Paginator(range(total), size).get_page(page)
    return out


CASES = {
    "all kinds, more than shown": dict(
        groups=[group("offer", 1234, 10), group("company", 10, 10), group("training", 3, 3)], only=""
    ),
    "an empty kind, a wider distance": dict(
        groups=[group("offer", 0, 0), group("company", 0, 0), group("training", 2, 2)], only="", wider_radius=60
    ),
    "an empty kind at the largest distance": dict(groups=[group("offer", 0, 0)], only="", wider_radius=None),
    "the nearest beyond the distance": dict(groups=[group("training", 0, 3, nearest=True)], only=""),
    "one kind, first page of many": dict(groups=[group("offer", 95, 20, page=1)], only="offer"),
    "one kind, a middle page": dict(groups=[group("company", 95, 20, page=3)], only="company"),
    "one kind, last page": dict(groups=[group("training", 95, 15, page=5)], only="training"),
    "one kind, one page": dict(groups=[group("offer", 7, 7, page=1)], only="offer"),
    "hostile query and radius": dict(
        groups=[group("offer", 0, 0), group("company", 40, 10)], only="", base_query=HOSTILE, wider_query=HOSTILE
    ),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("radius_km", [30, 60.0, 42.5])
def test_the_sections_are_the_template_loop_s_markup(case, radius_km):
    values = {"base_query": QUERY, "wider_radius": 60, "wider_query": QUERY.replace("30", "60"), **CASES[case]}
    new = result_groups(
        values["groups"], radius_km, values["only"], values["base_query"], values["wider_radius"], values["wider_query"]
    )
    context = {**values, "result": SimpleNamespace(radius_km=radius_km)}
    old = LEGACY.get_template("search/_result_groups.html").render(Context(context))
    assert_same_markup(str(new), old)

"""Suggestions of occupations and places, on the real referentials."""

import time

import pytest

pytestmark = pytest.mark.django_db


def suggest(client, q, limit=5):
    response = client.get("/api/v1/occupations/suggest", {"q": q, "limit": limit})
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize(
    "query,rome",
    [
        ("boulangr", "D1102"),  # a missing letter
        ("boulang", "D1102"),  # a prefix
        ("BOULANGÈRE", "D1102"),  # case, accent, feminine
        ("developeur web", "M1855"),  # a missing letter, two words
        ("aide soignante", "J1501"),  # feminine form
        ("mecanicienne auto", "I1604"),  # feminine form, abbreviation, no accents
        ("pâtissiere", "D1104"),
    ],
)
def test_occupation_suggest_finds_the_right_rome_in_the_first_results(client, query, rome):
    results = suggest(client, query)
    assert rome in [r["rome"] for r in results[:3]], results
    first = results[0]
    assert set(first) >= {"rome", "label", "rome_label", "kind"}


def test_occupation_suggest_gives_the_fiche_label(client):
    results = suggest(client, "boulanger", 1)
    assert results == [
        {
            "rome": "D1102",
            "label": "Boulanger / Boulangère",
            "rome_label": "Boulanger / Boulangère",
            "kind": results[0]["kind"],
            "ogr": results[0]["ogr"],
        }
    ]


def test_occupation_suggest_respects_limit_and_finds_nothing_for_nonsense(client):
    assert len(suggest(client, "vendeur", 3)) == 3
    assert suggest(client, "zzqxw") == []


@pytest.mark.parametrize("q,code", [("", "empty_query"), ("   ", "empty_query"), ("a" * 500, "query_too_long")])
def test_occupation_suggest_rejects_empty_or_long_query(client, q, code):
    response = client.get("/api/v1/occupations/suggest", {"q": q})
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["field"] == "q"


def test_occupation_suggest_rejects_bad_limit_with_structured_error(client):
    response = client.get("/api/v1/occupations/suggest", {"q": "boulanger", "limit": 500})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == "limit"


def test_occupation_suggest_is_fast_enough_to_type(client):
    suggest(client, "boulanger")  # builds the index
    start = time.perf_counter()
    for q in ["b", "bo", "bou", "boul", "boula", "boulan", "boulang"]:
        suggest(client, q)
    # Generous bound: a sanity check against an accidental per-request rebuild, not a benchmark.
    assert time.perf_counter() - start < 2


def places(client, q):
    response = client.get("/api/v1/places/suggest", {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def test_places_suggest_by_name_gives_the_commune_first(client):
    first = places(client, "Lyon")[0]
    assert first["insee"] == "69123"
    assert first["name"] == "Lyon"
    assert first["departement"] == "69"
    assert "69001" in first["postcodes"]
    assert 45.7 < first["lat"] < 45.8 and 4.8 < first["lon"] < 4.9


def test_places_suggest_ignores_accents_and_saint_abbreviation(client):
    assert places(client, "st etienne")[0]["insee"] == "42218"
    assert places(client, "SAINT-ÉTIENNE")[0]["insee"] == "42218"


def test_places_suggest_by_postcode(client):
    results = places(client, "69003")
    assert results and all("69003" in r["postcodes"] for r in results)


def test_places_suggest_rejects_empty_query(client):
    response = client.get("/api/v1/places/suggest", {"q": ""})
    assert response.status_code == 400 and response.json()["code"] == "empty_query"


def test_places_answer_has_every_field_its_openapi_schema_requires(client):
    """Two response schemas named alike share one OpenAPI component: /places/suggest was documented with the
    detail pages' place (« address » required). The answer and its schema must agree."""
    spec = client.get("/api/v1/openapi.json").json()
    ref = spec["paths"]["/api/v1/places/suggest"]["get"]["responses"]["200"]["content"]["application/json"]
    listing = spec["components"]["schemas"][ref["schema"]["$ref"].rsplit("/", 1)[1]]
    item = spec["components"]["schemas"][listing["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[1]]
    results = client.get("/api/v1/places/suggest", {"q": "Lyon", "limit": 3}).json()["results"]
    assert results
    for place in results:
        assert set(item["required"]) <= set(place), (item["required"], place)
        assert set(place) <= set(item["properties"])


def test_api_schema_names_are_unique():
    """ninja names an OpenAPI component after its class: two classes of one name would document one shape."""
    from collections import Counter

    from ninja import Schema

    from config.api import api  # noqa: F401 (imports every router)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = Counter(
        cls.__name__ for cls in set(subclasses(Schema)) if cls.__module__.startswith(("alternance.api", "config"))
    )
    assert [name for name, count in names.items() if count > 1] == []

"""GET /api/v1/search: results of three kinds around a place, counts, errors as {"code","message","field"}."""

import pytest

from alternance.reference.models import Commune
from tests.factories import CompanyFactory, OfferFactory, TrainingFactory

pytestmark = pytest.mark.django_db

LYON = {"lat": 45.7549, "lon": 4.8364}


@pytest.fixture
def around_lyon():
    villeurbanne = Commune.objects.get(insee="69266")
    marseille = Commune.objects.get(insee="13055")
    near = OfferFactory(commune=villeurbanne, lat=villeurbanne.lat, lon=villeurbanne.lon)
    far = OfferFactory(commune=marseille, lat=marseille.lat, lon=marseille.lon)
    training = TrainingFactory(romes=["D1102"])
    company = CompanyFactory()
    return {"near": near, "far": far, "training": training, "company": company}


def get(client, **params):
    query = {"romes": "D1102", "radius_km": 30, **LYON, **params}
    return client.get("/api/v1/search", query)


def test_search_returns_the_three_kinds_within_the_radius_with_counts(client, around_lyon):
    response = get(client, sort="distance")
    assert response.status_code == 200, response.content
    body = response.json()
    found = {(r["type"], r["id"]) for r in body["results"]}
    assert ("offer", around_lyon["near"].id) in found
    assert ("offer", around_lyon["far"].id) not in found  # Marseille is 280 km away
    assert ("training", around_lyon["training"].id) in found
    assert ("company", around_lyon["company"].id) in found
    assert body["counts"]["offer"] == 1
    assert body["count"] == sum(body["counts"].values())
    distances = [r["distance_km"] for r in body["results"]]
    assert distances == sorted(distances)
    offer = next(r for r in body["results"] if r["type"] == "offer")
    assert 0 < offer["distance_km"] < 10
    assert offer["distance_km"] == round(offer["distance_km"], 1)
    assert offer["reasons"] and offer["title"]


def test_search_types_filter_limits_the_kinds(client, around_lyon):
    body = get(client, types="training").json()
    assert {r["type"] for r in body["results"]} == {"training"}


def test_openapi_schema_documents_the_search(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/search" in schema["paths"]
    assert "/api/v1/occupations/suggest" in schema["paths"]


def test_docs_page_needs_no_cdn(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/" in html
    assert "cdn" not in html.lower()


@pytest.mark.parametrize(
    "params,code,field",
    [
        ({"romes": "Z9999"}, "unknown_rome", "romes"),
        ({"romes": ""}, "missing_rome", "romes"),
        ({"lat": 95}, "invalid_lat", "lat"),
        ({"lon": -200}, "invalid_lon", "lon"),
        ({"radius_km": 250}, "invalid_radius", "radius_km"),
        ({"types": "offer,job"}, "invalid_types", "types"),
        ({"sort": "name"}, "invalid_sort", "sort"),
        ({"levels": "2"}, "invalid_levels", "levels"),
    ],
)
def test_bad_input_gets_a_structured_4xx(client, params, code, field):
    response = get(client, **params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code and body["field"] == field
    assert body["message"]


@pytest.mark.parametrize("params,field", [({"lat": "nord"}, "lat"), ({"page_size": 500}, "page_size")])
def test_badly_typed_input_gets_a_422_naming_the_field(client, params, field):
    response = get(client, **params)
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_results_say_demo_rows_and_the_nearest_beyond_the_radius(client):
    training = TrainingFactory(romes=["D1102"], is_demo=True)  # in Lyon
    saint_flour = {"romes": "D1102", "lat": 45.0339, "lon": 3.0929, "radius_km": 100, "types": "training"}
    body = client.get("/api/v1/search", saint_flour).json()
    assert body["counts"]["training"] == 0 and body["nearest"] == ["training"]
    item = body["results"][0]
    assert item["id"] == training.id and item["is_demo"] is True and item["distance_km"] > 100
    assert "Aucune formation à moins de 100 km : voici les plus proches." in body["notices"]


def test_openapi_documents_every_search_error_code(client):
    from alternance.search.types import ERROR_CODES

    description = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/search"]["get"]["description"]
    assert all(f"`{code}`" in description for code in ERROR_CODES)


@pytest.mark.parametrize("params,code", [({"levels": "bac"}, "invalid_levels"), ({"sizes": "géante"}, "invalid_sizes")])
def test_the_api_answers_the_domain_check_with_its_code_and_message(client, params, code):
    from alternance.search.services import search
    from alternance.search.types import SearchError, SearchFilters

    body = get(client, **params).json()
    assert body["code"] == code
    with pytest.raises(SearchError) as error:
        levels = frozenset({params["levels"]}) if "levels" in params else frozenset()
        sizes = frozenset({params["sizes"]}) if "sizes" in params else frozenset()
        search(romes=["D1102"], radius_km=30, filters=SearchFilters(levels=levels, sizes=sizes), **LYON)
    assert (error.value.code, error.value.message, error.value.field) == (body["code"], body["message"], body["field"])

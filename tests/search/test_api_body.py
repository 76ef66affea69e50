"""GET /api/v1/search writes its body itself (no validation pass): the body must still be a SearchOut."""

import json

import pytest
from ninja.responses import NinjaJSONEncoder

from alternance.api.search import ResultOut, SearchOut
from alternance.companies.models import Company
from alternance.offers.models import Offer
from alternance.search import labels
from alternance.trainings.models import Training
from tests.factories import CompanyFactory, OfferFactory, TrainingFactory

pytestmark = pytest.mark.usefixtures("search_reference")


def _validated(body: dict) -> dict:
    """The body as ninja would write it after validating it against SearchOut."""
    return json.loads(json.dumps(SearchOut.model_validate(body).model_dump(), cls=NinjaJSONEncoder))


def test_the_body_is_exactly_a_validated_search_out(client):
    offer = OfferFactory()
    TrainingFactory(romes=["D1102"])
    CompanyFactory()
    response = client.get("/api/v1/search", {"romes": "D1102", "lat": 45.7549, "lon": 4.8364, "radius_km": 30})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body == _validated(body)
    assert list(body) == list(SearchOut.model_fields)
    assert {r["type"] for r in body["results"]} == {"offer", "company", "training"}
    for result in body["results"]:
        assert list(result) == list(ResultOut.model_fields)
    item = next(r for r in body["results"] if r["type"] == "offer")
    assert item["commune_name"] == offer.commune.name
    assert item["details"]["company_name"] == offer.company.name
    assert item["details"]["start_date"] == offer.start_date.isoformat()
    assert item["details"]["appellation_title"] == offer.appellation.label
    assert "score" not in item and "score" not in item["details"]


@pytest.mark.parametrize("extra", [{}, {"sort": "date"}, {"types": "training", "page_size": 5}])
def test_the_bytes_are_those_ninja_would_write(client, extra):
    """The body is written without ninja's renderer: same bytes as SearchOut validated then encoded by
    NinjaJSONEncoder (key order, separators, escaped accents, dates and datetimes)."""
    for _ in range(2):
        OfferFactory()
        TrainingFactory(romes=["D1102"])
        CompanyFactory()
    query = {"romes": "D1102", "lat": 45.7549, "lon": 4.8364, "radius_km": 30, **extra}
    response = client.get("/api/v1/search", query)
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    assert body["results"]
    written_by_ninja = json.dumps(SearchOut.model_validate(body).model_dump(), cls=NinjaJSONEncoder)
    assert response.content.decode() == written_by_ninja
    encoded = {}  # each date or datetime as NinjaJSONEncoder writes it
    for result in body["results"]:
        model = {"offer": Offer, "company": Company, "training": Training}[result["type"]]
        row = model.objects.get(pk=result["id"])
        for name in ("published_at", "start_date", "end_date"):
            if name in result["details"]:
                encoded[name] = json.loads(json.dumps(getattr(row, name), cls=NinjaJSONEncoder))
                assert result["details"][name] == encoded[name], name
    assert encoded.get("start_date") and (encoded.get("published_at") or "types" in extra)


@pytest.fixture
def fresh_labels():
    labels.reset()
    yield
    labels.reset()  # the renamed commune below must not outlive the test


def test_labels_follow_a_new_referential_load(fresh_labels):
    from alternance.reference.models import Commune, ReferenceLoad

    lyon = Commune.objects.get(insee="69123")
    assert labels.lookup("commune", {"69123"})["69123"][0] == lyon.name
    Commune.objects.filter(insee="69123").update(name="Lugdunum")
    assert labels.lookup("commune", {"69123"})["69123"][0] == lyon.name  # cached until a new load
    ReferenceLoad.objects.create()  # seen at once in this process (reference.cache)
    assert labels.lookup("commune", {"69123"})["69123"][0] == "Lugdunum"


def test_result_addresses_are_reversed_once_per_script_prefix():
    """result_paths() caches the reversed addresses by script prefix (a site served under a sub-path)."""
    from django.urls import get_script_prefix, set_script_prefix

    from alternance.api.search import result_paths

    plain = result_paths()["offer"][0]
    assert plain.startswith("/") and result_paths() is result_paths()
    before = get_script_prefix()
    set_script_prefix("/alternance/")
    try:
        assert result_paths()["offer"][0] == "/alternance" + plain
    finally:
        set_script_prefix(before)
    assert result_paths()["offer"][0] == plain

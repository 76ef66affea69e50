"""GET /api/v1/search writes its body itself (no validation pass): the body must still be a SearchOut."""

import json

import pytest
from ninja.responses import NinjaJSONEncoder

from alternance.api.search import ResultOut, SearchOut
from alternance.search import labels
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

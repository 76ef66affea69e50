"""GET /api/v1/organisations?uai=&siret=&q=&page= and /api/v1/organisations/{id}."""

import pytest

from alternance.core.identifiers import uai_check_letter
from alternance.organisations.services import record_fact
from alternance.trainings.register import refresh_register
from tests.factories import OrganisationFactory

# UAIs of no real establishment (the CFA register is loaded with the referentials): 99xxxxx + check letter.
FREE_UAI_1 = "9912345" + uai_check_letter("9912345")
FREE_UAI_2 = "9912346" + uai_check_letter("9912346")

pytestmark = pytest.mark.django_db


def test_filters_by_siret_uai_and_words(client):
    wanted = OrganisationFactory(name="CFA Métiers du goût Zéphyr", uai=FREE_UAI_1)
    OrganisationFactory(name="Autre CFA Zéphyr")
    body = client.get("/api/v1/organisations", {"siret": wanted.siret}).json()
    assert [o["id"] for o in body["results"]] == [wanted.pk] and body["count"] == 1
    assert [o["id"] for o in client.get("/api/v1/organisations", {"uai": FREE_UAI_1.lower()}).json()["results"]] == [
        wanted.pk
    ]
    words = client.get("/api/v1/organisations", {"q": "goût zéphyr"}).json()
    assert [o["id"] for o in words["results"]] == [wanted.pk]
    assert client.get("/api/v1/organisations", {"q": "Zéphyr"}).json()["count"] == 2


def test_an_alternative_uai_from_a_source_finds_the_organisation(client):
    organisation = OrganisationFactory(uai=FREE_UAI_1)
    record_fact(organisation, "uai", FREE_UAI_2, "lheo:x")
    body = client.get("/api/v1/organisations", {"uai": FREE_UAI_2}).json()
    assert [o["id"] for o in body["results"]] == [organisation.pk]


def test_pages(client):
    OrganisationFactory.create_batch(23, name="CFA Pagination Xylophone")
    first = client.get("/api/v1/organisations", {"q": "Xylophone"}).json()
    second = client.get("/api/v1/organisations", {"q": "Xylophone", "page": 2}).json()
    assert (first["count"], first["pages"], len(first["results"]), len(second["results"])) == (23, 2, 20, 3)
    assert not {o["id"] for o in first["results"]} & {o["id"] for o in second["results"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"siret": "123"}, "siret"), ({"uai": "0010826U"}, "uai"), ({"page": 0}, "page"), ({"page": "x"}, "page")],
)
def test_bad_filters_use_the_error_shape(client, params, field):
    response = client.get("/api/v1/organisations", params)
    assert response.status_code in (400, 422)
    body = response.json()
    assert body["field"] == field and body["message"] and body["code"]


def test_detail_lists_candidates_and_facts(client):
    organisation = OrganisationFactory(uai="0010826T", source="cfa")
    record_fact(organisation, "uai", "0010856A", "lheo:a")
    record_fact(organisation, "uai", "0010856A", "lheo:b")
    refresh_register([organisation.pk])
    body = client.get(f"/api/v1/organisations/{organisation.pk}").json()
    assert body["probable_uai"] == "0010856A" and body["uai_conflict"] is True
    assert body["uai_candidates"][0] == {"uai": "0010856A", "sources": ["lheo:a", "lheo:b"], "valid": True}
    assert {"field": "uai", "value": "0010856A", "source": "lheo:a"}.items() <= body["facts"][0].items()
    assert body["quality_verdict"] == "non_fiable" and "uai_conflict" in body["quality_issues"]


def test_unknown_organisation_is_404(client):
    response = client.get("/api/v1/organisations/999999")
    assert response.status_code == 404 and response.json()["code"] == "not_found"

"""GET /api/v1/offers/{id}, /companies/{siret}, /trainings/{id}: the pages' content as JSON, 404 in the error shape."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from alternance.contracts.services import compute_minimum_pay
from alternance.offers.workflow import OfferStatus
from alternance.search import details
from alternance.trainings.models import Training, TrainingSession
from tests.contracts.smic import ensure_smic_rates
from tests.factories import CompanyFactory, OfferFactory, TrainingFactory

pytestmark = pytest.mark.django_db
MONEY = re.compile(r"^\d+\.\d{2}$")


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.SEARCH_FRESHNESS_SECONDS = 0
    details.reset()
    ensure_smic_rates()


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    return response.json()


def assert_error_shape(body, code="not_found"):
    assert set(body) == {"code", "message", "field"}
    assert body["code"] == code and body["message"] and body["field"]


def test_offer_as_json(client):
    start = dt.date(2027, 9, 1)
    offer = OfferFactory(start_date=start, rhythm="1 semaine sur 2", applications_count=4)
    body = get(client, f"/api/v1/offers/{offer.pk}")
    assert body["id"] == offer.pk and body["url"] == f"/offres/{offer.pk}/"
    assert body["title"] == offer.title and body["status"] == "publiee"
    assert body["availability"] == {"state": "open", "accepts_applications": True, "notice": ""}
    assert body["apply_url"] == f"/offres/{offer.pk}/postuler/"
    assert body["company"] == {
        "siret": offer.company.siret,
        "name": offer.company.name,
        "url": f"/entreprises/{offer.company.siret}/",
    }
    assert body["occupation"] == {"code": "D1102", "label": "Boulanger / Boulangère"}
    assert body["rhythm"] == "1 semaine sur 2" and body["contract_type"] == "apprentissage"
    assert body["applications_count"] == 4 and body["max_applications"] == 80
    assert body["place"]["city"] == "Lyon" and body["place"]["insee"] == "69123"
    pay = body["minimum_pay"]
    assert pay["start_date"] == "2027-09-01" and pay["error"] is None
    assert [row["age"] for row in pay["rows"]] == [16, 18, 21, 26]
    assert [row["percent"] for row in pay["rows"]] == [27, 43, 53, 100]
    assert all(isinstance(row["monthly_gross"], str) and MONEY.match(row["monthly_gross"]) for row in pay["rows"])
    at_18 = compute_minimum_pay(dt.date(2009, 9, 1), start, dt.date(2028, 8, 31))[0].minimum_monthly
    assert Decimal(pay["rows"][1]["monthly_gross"]) == at_18
    assert body["similar_offers"] == [] and body["is_demo"] is False and body["demo_notice"] is None


def test_closed_offer_is_readable_with_its_status(client):
    offer = OfferFactory(status=OfferStatus.FILLED)
    nearby = OfferFactory()
    body = get(client, f"/api/v1/offers/{offer.pk}")
    assert body["status"] == "pourvue"
    assert body["availability"]["state"] == "filled" and body["availability"]["accepts_applications"] is False
    assert body["apply_url"] is None
    assert [item["id"] for item in body["similar_offers"]] == [nearby.pk]
    assert body["similar_offers"][0]["url"] == f"/offres/{nearby.pk}/"


def test_demo_offer_says_so(client):
    body = get(client, f"/api/v1/offers/{OfferFactory(is_demo=True).pk}")
    assert body["is_demo"] is True and "fictive" in body["demo_notice"]


@pytest.mark.parametrize("path", ["/api/v1/offers/999999", "/api/v1/offers/{draft}"])
def test_unknown_or_draft_offer_is_404(client, path):
    draft = OfferFactory(status=OfferStatus.DRAFT, published_at=None)
    assert_error_shape(get(client, path.format(draft=draft.pk), status=404))


def test_company_as_json(client):
    company = CompanyFactory(address="3 place Bellecour")
    offer = OfferFactory(company=company)
    body = get(client, f"/api/v1/companies/{company.siret}")
    assert body["siret"] == company.siret and body["url"] == f"/entreprises/{company.siret}/"
    assert body["naf"] == {"code": "10.71C", "label": "Boulangerie et boulangerie-pâtisserie"}
    assert body["size_band"] == {"code": "02", "label": "3 à 5 salariés"}
    assert body["place"]["address"] == "3 place Bellecour"
    assert body["spontaneous_application_url"] == f"/entreprises/{company.siret}/candidature/"
    assert body["open_offers"] == [{"id": offer.pk, "title": offer.title, "url": f"/offres/{offer.pk}/"}]
    reasons = body["hiring_reasons"]
    assert "D1102" in [r["rome"] for r in reasons]
    assert all(re.match(r"^0\.\d{4}$|^1\.0000$", r["share"]) for r in reasons)
    assert reasons == sorted(reasons, key=lambda r: -float(r["share"]))


@pytest.mark.parametrize("siret", ["12345678901234", "123", "abcdefghijklmn"])
def test_unknown_company_is_404(client, siret):
    assert_error_shape(get(client, f"/api/v1/companies/{siret}", status=404))


def test_company_closed_to_spontaneous_applications_without_offer_is_404(client):
    company = CompanyFactory(accepts_spontaneous=False)
    assert_error_shape(get(client, f"/api/v1/companies/{company.siret}", status=404))


def test_training_as_json(client):
    training = TrainingFactory(romes=["D1102"])
    TrainingSession.objects.create(training=training, start_date=dt.date(2027, 9, 6), end_date=dt.date(2029, 6, 30))
    body = get(client, f"/api/v1/trainings/{training.pk}")
    assert body["url"] == f"/formations/{training.pk}/"
    assert body["appointment_url"] == f"/formations/{training.pk}/rendez-vous/"
    assert body["organisation"]["name"] == training.organisation.name
    assert body["organisation"]["verdict"] == training.organisation.quality_verdict
    assert body["organisation"]["url"] == f"/organismes/{training.organisation.pk}/"
    assert body["sessions"] == [{"start_date": "2027-09-06", "end_date": "2029-06-30"}]
    assert body["occupations"] == [{"code": "D1102", "label": "Boulanger / Boulangère"}]
    assert body["level"] == 3 and body["place"]["city"] == "Lyon"


@pytest.mark.parametrize("status", [Training.Status.CLOSED, Training.Status.TO_CHECK])
def test_unpublished_training_is_404(client, status):
    """Never published (a closed course too): unknown, like its page."""
    training = TrainingFactory(status=status)
    assert_error_shape(get(client, f"/api/v1/trainings/{training.pk}", status=404))


def test_a_course_closed_after_publication_stays_readable_with_its_status(client):
    """Like its page (and a filled offer): 200 with the status « fermee » and no appointment form; sent back to
    check in between, it was unknown."""
    from alternance.trainings.rules import ABSENT_FROM_FEED
    from alternance.trainings.status import change_status

    training = TrainingFactory(romes=["D1102"])
    assert get(client, f"/api/v1/trainings/{training.pk}")["status"] == "publiee"
    change_status(training, Training.Status.TO_CHECK, rule="manuel")
    assert_error_shape(get(client, f"/api/v1/trainings/{training.pk}", status=404))
    change_status(training, Training.Status.CLOSED, rule=ABSENT_FROM_FEED)
    body = get(client, f"/api/v1/trainings/{training.pk}")
    assert (body["id"], body["status"], body["appointment_url"]) == (training.pk, "fermee", None)
    assert body["url"] == f"/formations/{training.pk}/" and body["title"] == training.title
    assert body["occupations"] == [{"code": "D1102", "label": "Boulanger / Boulangère"}]
    status = get(client, f"/api/v1/trainings/{training.pk}/status")
    assert (status["status"], status["history"]) == ("fermee", [])


def test_detail_endpoints_are_in_the_openapi_schema(client):
    paths = get(client, "/api/v1/openapi.json")["paths"]
    for path in ("/api/v1/offers/{offer_id}", "/api/v1/companies/{siret}", "/api/v1/trainings/{training_id}"):
        assert "404" in paths[path]["get"]["responses"], path
    training = get(client, "/api/v1/openapi.json")["components"]["schemas"]["TrainingOut"]["properties"]
    assert "status" in training and {"type": "null"} in training["appointment_url"]["anyOf"]

"""Partner API: POST /api/v1/applications (multipart) and /api/v1/appointments (JSON), every status."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alternance.accounts.models import ApiKey, Scope
from alternance.job_applications import rules
from alternance.job_applications.models import Application, AppointmentRequest
from alternance.trainings.models import Training
from alternance.trainings.rules import ABSENT_FROM_FEED
from alternance.trainings.status import change_status
from tests.factories import CompanyFactory, TrainingFactory
from tests.job_applications.files import EXECUTABLE, PNG, docx_bytes, oversized_pdf, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(ja_company):
    return ja_company


@pytest.fixture
def offer(ja_offer):
    return ja_offer


@pytest.fixture
def training(ja_training):
    return ja_training


@pytest.fixture
def key(db):
    return ApiKey.issue("partenaire", [Scope.APPLICATIONS])[1]


def auth(secret):
    return {"Authorization": f"Bearer {secret}"} if secret else {}


def fields(**overrides):
    data = {
        "first_name": "Yanis",
        "last_name": "Benali",
        "email": "yanis@example.org",
        "phone": "",
        "message": "Bonjour",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_application(client, secret, cv=None, cv_name="cv.pdf", **overrides):
    data = fields(**overrides)
    if cv is not False:
        data["cv"] = SimpleUploadedFile(cv_name, pdf_bytes() if cv is None else cv, content_type="application/pdf")
    return client.post("/api/v1/applications", data, headers=auth(secret))


def test_201_for_an_offer_and_for_a_spontaneous_application(client, key, offer, company):
    response = post_application(client, key, offer_id=offer.pk, answers="Oui")
    assert response.status_code == 201, response.json()
    body = response.json()
    application = Application.objects.get(public_id=body["id"])
    assert body == {"id": str(application.public_id), "status": "nouvelle"}
    assert application.api_key.name == "partenaire" and application.answers[0]["answer"] == "Oui"
    spontaneous = post_application(client, key, company_siret=company.siret, cv=docx_bytes(), cv_name="cv.docx")
    assert spontaneous.status_code == 201


@pytest.mark.parametrize("secret", [None, "inconnue"])
def test_401_without_a_valid_key(client, offer, secret):
    response = post_application(client, secret, offer_id=offer.pk)
    assert response.status_code == 401 and response.json()["field"] == "Authorization"


def test_403_with_a_key_of_another_scope(client, offer):
    secret = ApiKey.issue("lheo", [Scope.LHEO])[1]
    assert post_application(client, secret, offer_id=offer.pk).status_code == 403


@pytest.mark.parametrize(
    "overrides,field", [({"offer_id": 999999999}, "offer_id"), ({"company_siret": "73282932000074"}, "company_siret")]
)
def test_404_unknown_offer_or_company(client, key, overrides, field):
    response = post_application(client, key, **overrides)
    assert response.status_code == 404 and response.json()["field"] == field


def test_404_for_a_draft_offer(client, key, company):
    """A draft has no public page (GET /api/v1/offers/{id} is 404): applying to it is 404 too, not 409."""
    from tests.factories import OfferFactory

    draft = OfferFactory(company=company, status="brouillon")
    response = post_application(client, key, offer_id=draft.pk)
    assert response.status_code == 404 and response.json()["field"] == "offer_id"


def test_409_duplicate_and_full(client, key, offer):
    assert post_application(client, key, offer_id=offer.pk, answers="Oui").status_code == 201
    duplicate = post_application(client, key, offer_id=offer.pk, answers="Oui")
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate"
    offer.applications_count = rules.MAX_PER_OFFER
    offer.save()
    full = post_application(client, key, offer_id=offer.pk, answers="Oui", email="autre@example.org")
    assert full.status_code == 409 and full.json()["code"] == "full"


def test_413_cv_over_3_mb(client, key, company):
    response = post_application(client, key, company_siret=company.siret, cv=oversized_pdf())
    assert response.status_code == 413 and response.json()["field"] == "cv"


@pytest.mark.parametrize("content,name", [(EXECUTABLE, "cv.pdf"), (PNG, "photo.pdf")])
def test_415_cv_not_really_pdf_or_docx(client, key, company, content, name):
    response = post_application(client, key, company_siret=company.siret, cv=content, cv_name=name)
    assert response.status_code == 415 and response.json()["field"] == "cv"
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"email": "pas-une-adresse"}, "email"),
        ({"first_name": ""}, "first_name"),
        ({"company_siret": "123"}, "company_siret"),
        ({}, "offer_id"),  # neither offer nor company
        ({"cv": False}, "cv"),
        ({"answers": None}, "answer_1"),  # the offer's question left unanswered
    ],
)
def test_422_names_the_bad_field(client, key, offer, company, overrides, field):
    overrides = dict(overrides)
    cv = overrides.pop("cv", None)
    if field == "answer_1":
        overrides["offer_id"] = offer.pk
    elif field not in ("offer_id", "company_siret"):
        overrides["company_siret"] = company.siret
    response = post_application(client, key, cv=cv, **overrides)
    assert response.status_code == 422, response.json()
    assert response.json()["field"] == field and response.json()["message"]


def test_422_when_the_company_cannot_be_reached(client, key):
    company = CompanyFactory(contact_email="")
    response = post_application(client, key, company_siret=company.siret)
    assert response.status_code == 422 and response.json()["code"] == "unreachable"


def test_429_daily_limit_with_retry_after(client, key, monkeypatch):
    monkeypatch.setattr(rules, "MAX_PER_DAY_PER_EMAIL", 1)
    first, second = CompanyFactory(contact_email="a@example.org"), CompanyFactory(contact_email="b@example.org")
    assert post_application(client, key, company_siret=first.siret).status_code == 201
    response = post_application(client, key, company_siret=second.siret)
    assert response.status_code == 429 and response.json()["code"] == "daily_limit"
    assert 0 < int(response["Retry-After"]) <= 86400


# ---------------------------------------------------------------------------------------------- appointments
def appointment(training_id, **overrides):
    data = {
        "training_id": training_id,
        "first_name": "Inès",
        "last_name": "Martin",
        "email": "ines@example.org",
        "reasons": ["inscription"],
        "message": "",
    }
    data.update(overrides)
    return data


def post_appointment(client, secret, payload):
    return client.post("/api/v1/appointments", payload, content_type="application/json", headers=auth(secret))


def test_appointment_201_401_404_409_422(client, key, training):
    assert post_appointment(client, None, appointment(training.pk)).status_code == 401
    assert post_appointment(client, key, appointment(999999999)).json()["field"] == "training_id"
    assert post_appointment(client, key, appointment(999999999)).status_code == 404
    created = post_appointment(client, key, appointment(training.pk))
    assert created.status_code == 201
    assert AppointmentRequest.objects.get(public_id=created.json()["id"]).reasons == ["inscription"]
    assert post_appointment(client, key, appointment(training.pk)).status_code == 409
    bad = post_appointment(client, key, appointment(training.pk, email="autre@example.org", reasons=["nimporte"]))
    assert bad.status_code == 422 and bad.json()["field"] == "reasons"
    missing = post_appointment(client, key, {"training_id": training.pk})
    assert missing.status_code == 422 and missing.json()["field"]


def test_appointment_to_a_course_closed_after_publication_is_409_never_published_404(client, key, training):
    """Like the page's form: a course closed after it was published keeps its record and refuses requests with
    a clear conflict (409, training_closed, in French); a course never published (closed or sent back to
    check before its publication) stays unknown (404)."""
    change_status(training, Training.Status.CLOSED, rule=ABSENT_FROM_FEED)
    response = post_appointment(client, key, appointment(training.pk))
    assert response.status_code == 409, response.content
    body = response.json()
    assert set(body) == {"code", "message", "field"}
    assert (body["code"], body["field"]) == ("training_closed", "training_id")
    assert body["message"].startswith("Cette formation est fermée")
    assert not AppointmentRequest.objects.exists()
    never = TrainingFactory(status=Training.Status.CLOSED)
    to_check = TrainingFactory(status=Training.Status.TO_CHECK)
    for course in (never, to_check):
        response = post_appointment(client, key, appointment(course.pk))
        assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_appointment_429(client, key, training, monkeypatch):
    monkeypatch.setattr(rules, "MAX_PER_DAY_PER_EMAIL", 0)
    assert post_appointment(client, key, appointment(training.pk)).status_code == 429


def test_every_status_is_documented_in_the_openapi(client):
    spec = client.get("/api/v1/openapi.json").json()
    applications = spec["paths"]["/api/v1/applications"]["post"]["responses"]
    appointments = spec["paths"]["/api/v1/appointments"]["post"]["responses"]
    assert set(applications) >= {"201", "401", "404", "409", "413", "415", "422", "429"}
    assert set(appointments) >= {"201", "401", "404", "409", "422", "429"}
    assert "training_closed" in appointments["409"]["description"]
    assert appointments["409"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ErrorOut"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"reasons": "inscription"}, "reasons"),  # pydantic's list_type
        ({"first_name": 12}, "first_name"),  # string_type
        ({"training_id": 1.5}, "training_id"),  # int_from_float
    ],
)
def test_appointment_type_errors_are_answered_in_french(client, key, training, body, field):
    payload = {**fields(), "training_id": training.pk, "reasons": ["inscription"], **body}
    response = client.post("/api/v1/appointments", payload, content_type="application/json", headers=auth(key))
    assert response.status_code == 422
    error = response.json()
    assert error["field"] == field and "Input" not in error["message"] and "should" not in error["message"]


def test_an_unreadable_body_is_answered_in_french(client, key):
    response = client.post("/api/v1/appointments", "{", content_type="application/json", headers=auth(key))
    assert response.status_code == 400
    assert response.json()["message"].startswith("Le corps de la demande est illisible")

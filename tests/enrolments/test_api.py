"""POST/GET /api/v1/enrolments: answers per record, 413, read-back without the NIR, key lifecycle."""

import json

import pytest
from django.core.management import call_command

from alternance.accounts.models import ApiKey, Scope
from alternance.enrolments.models import Enrolment
from tests.enrolments.records import record

pytestmark = pytest.mark.django_db

URL = "/api/v1/enrolments"


def post(client, records, auth):
    return client.post(URL, data=json.dumps({"records": records}), content_type="application/json", **auth)


def test_each_record_gets_its_verdict(client, auth):
    response = post(client, [record(), record(cfd="12345678"), record()], auth)
    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["rejected"]) == (2, 1)
    assert [r["status"] for r in body["records"]] == ["accepted", "rejected", "accepted"]
    assert body["records"][1]["errors"] == [
        {"code": "unknown_cfd", "field": "cfd", "message": body["records"][1]["errors"][0]["message"]}
    ]
    assert body["records"][0]["change"] == "created" and Enrolment.objects.count() == 2


def test_resending_is_idempotent_through_the_api(client, auth):
    batch = [record(), record()]
    post(client, batch, auth)
    again = post(client, batch, auth).json()
    assert [r["change"] for r in again["records"]] == ["unchanged", "unchanged"]
    assert Enrolment.objects.count() == 2


def test_more_than_2000_records_get_413_with_a_clear_message(client, auth):
    response = post(client, [record()] * 2001, auth)
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_many_records" and "2001" in body["message"] and "2000" in body["message"]
    assert Enrolment.objects.count() == 0


@pytest.mark.parametrize("body", ["pas du json", json.dumps({"records": "x"}), json.dumps([1])])
def test_a_malformed_body_gets_400(client, auth, body):
    response = client.post(URL, data=body, content_type="application/json", **auth)
    assert response.status_code == 400 and response.json()["field"] == "records"


def test_read_back_is_paginated_scoped_and_never_returns_the_nir(client, auth, other_cfa):
    nir = "1 08 03 01 004 123 45"
    post(client, [record(nir=nir) for _ in range(3)], auth)
    key, secret = ApiKey.issue("autre CFA", [Scope.ENROLMENTS], organisation=other_cfa)
    other = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert other["count"] == 0  # another organisation sees nothing of this one
    page = client.get(URL, {"page_size": 2}, **auth).json()
    assert page["count"] == 3 and len(page["results"]) == 2
    assert page["results"][0]["nir_present"] is True and "nir" not in page["results"][0]
    assert nir not in json.dumps(page)
    assert page["results"][0]["status"] in {"apprenti", "inscrit_sans_contrat", "abandon", "rupture"}
    last = page["results"][-1]["updated_at"]
    assert client.get(URL, {"since": last}, **auth).json()["count"] <= 1


def test_since_returns_only_what_changed(client, auth):
    first = record()
    post(client, [first, record()], auth)
    stamp = Enrolment.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    post(client, [first | {"outcome": "obtenu"}], auth)
    changed = client.get(URL, {"since": stamp.isoformat()}, **auth).json()
    assert [r["learner_id"] for r in changed["results"]] == [first["learner_id"]]
    assert changed["results"][0]["version"] == 2


def test_key_lifecycle(client, cfa, capsys):
    assert post(client, [record()], {}).status_code == 401
    assert post(client, [record()], {"HTTP_AUTHORIZATION": "Bearer inconnue"}).status_code == 401
    call_command("create_api_token", "logiciel", scope=["enrolments"], organisation=cfa.uai)
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert post(client, [record()], auth).status_code == 200
    call_command("revoke_api_token", "logiciel")
    revoked = post(client, [record()], auth)
    assert revoked.status_code == 401 and revoked.json()["field"] == "Authorization"
    assert client.get(URL, **auth).status_code == 401
    _, lheo = ApiKey.issue("flux", [Scope.LHEO])
    assert post(client, [record()], {"HTTP_AUTHORIZATION": f"Bearer {lheo}"}).status_code == 403


def test_a_key_of_another_organisation_cannot_send_this_one_s_learners(client, other_cfa):
    _, secret = ApiKey.issue("autre", [Scope.ENROLMENTS], organisation=other_cfa)
    body = post(client, [record()], {"HTTP_AUTHORIZATION": f"Bearer {secret}"}).json()
    assert body["rejected"] == 1
    assert {e["code"] for e in body["records"][0]["errors"]} == {"uai_not_yours"}
    assert Enrolment.objects.count() == 0


def test_an_enrolment_key_without_organisation_is_refused(client):
    _, secret = ApiKey.issue("sans organisme", [Scope.ENROLMENTS])
    response = post(client, [record()], {"HTTP_AUTHORIZATION": f"Bearer {secret}"})
    assert response.status_code == 403 and response.json()["code"] == "no_organisation"


def test_the_openapi_documents_the_record_fields_with_an_example(client):
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["paths"][URL]["post"]["requestBody"]["content"]["application/json"]
    fields = body["schema"]["properties"]["records"]["items"]["properties"]
    for name in ("learner_id", "school_year", "nir", "uai_formateur", "cfd", "rncp", "contracts", "outcome", "rqth"):
        assert name in fields
    assert "break_date" in fields["contracts"]["items"]["properties"]
    assert body["example"]["records"][0]["school_year"] == "2025-2026"


def test_public_indicators_give_null_and_suppressed_for_small_groups(client, cfa):
    contract = record()["contracts"][0]
    broken = [contract | {"break_date": "2026-01-10", "break_reason": "démission"}]
    from alternance.enrolments.services import ingest
    from tests.enrolments.records import TODAY

    ingest(cfa, [record() for _ in range(6)] + [record(contracts=broken)], today=TODAY)
    body = client.get("/api/v1/indicators/enrolments").json()
    assert set(body) >= {"total", "status", "region", "departement", "organisation", "diploma", "level", "months"}
    hidden = [c for c in body["status"] if c["suppressed"]]
    assert hidden and all(c["value"] is None for c in hidden)
    assert len(body["months"]) == 12
    published = [c["value"] for c in body["status"] if not c["suppressed"]]
    if body["total"]["value"] is not None:
        assert body["total"]["value"] - sum(published) >= 3  # the hidden cells cannot be told apart


def test_the_answer_is_written_in_the_shape_of_batchout(client, auth):
    """The view writes its body itself (no validation pass over 2,000 records): it must still be a BatchOut."""
    from alternance.api.enrolments import BatchOut, RecordErrorOut, RecordOut

    body = post(client, [record(), record(cfd="12345678", phone="12")], auth).json()
    assert body == BatchOut.model_validate(body).model_dump()
    assert list(body) == list(BatchOut.model_fields)
    assert [list(r) for r in body["records"]] == [list(RecordOut.model_fields)] * 2
    assert [list(e) for e in body["records"][1]["errors"]] == [list(RecordErrorOut.model_fields)] * 2

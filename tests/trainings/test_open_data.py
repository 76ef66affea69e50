"""Open-data exports: read back with pyarrow, csv and json, compared with the database; HTTP validators."""

import csv
import datetime as dt
import json

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from alternance.organisations.models import Organisation
from alternance.trainings.models import Training
from alternance.trainings.opendata import DATASETS, schema_document
from tests.factories import OrganisationFactory, TrainingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def catalogue(db):
    organisation = OrganisationFactory(name="CFA « Export », Lyon", qualiopi=None)
    published = TrainingFactory(organisation=organisation, romes=["D1102"], rncp_code="", formacodes="21528 21538")
    TrainingFactory(organisation=organisation, status=Training.Status.CLOSED, title="Fermée, non exportée")
    return published


def test_exports_read_back_and_match_the_database(folder, catalogue):
    call_command("export_open_data")
    published = list(Training.objects.visible().order_by("pk"))
    assert catalogue in published
    table = pq.read_table(folder / "formations.parquet")
    assert table.column_names == [c.name for c in DATASETS["formations"]["columns"]]
    assert table.column("id").to_pylist() == [t.pk for t in published]
    with open(folder / "formations.csv", encoding="utf-8", newline="") as handle:
        csv_rows = list(csv.DictReader(handle))
    json_rows = [json.loads(line) for line in (folder / "formations.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [int(r["id"]) for r in csv_rows] == [r["id"] for r in json_rows] == [t.pk for t in published]
    row = next(r for r in table.to_pylist() if r["id"] == catalogue.pk)
    as_json = next(r for r in json_rows if r["id"] == catalogue.pk)
    as_csv = next(r for r in csv_rows if int(r["id"]) == catalogue.pk)
    assert row["intitule"] == as_json["intitule"] == as_csv["intitule"] == catalogue.title
    assert row["codes_rome"] == as_json["codes_rome"] == ["D1102"] and as_csv["codes_rome"] == "D1102"
    assert row["formacodes"] == ["21528", "21538"] and as_csv["formacodes"] == "21528 21538"
    assert row["date_debut"] == catalogue.start_date and as_json["date_debut"] == catalogue.start_date.isoformat()
    assert row["latitude"] == catalogue.lat and float(as_csv["latitude"]) == catalogue.lat
    assert row["organisme_siret"] == catalogue.organisation.siret and row["code_rncp"] is None
    assert as_csv["code_rncp"] == "" and as_json["code_rncp"] is None
    assert isinstance(row["mise_a_jour"], dt.datetime)
    assert "Fermée, non exportée" not in (folder / "formations.csv").read_text(encoding="utf-8")


def test_organisations_export(folder, catalogue):
    call_command("export_open_data")
    table = pq.read_table(folder / "organismes.parquet")
    assert table.num_rows == Organisation.objects.count()
    row = next(r for r in table.to_pylist() if r["id"] == catalogue.organisation_id)
    assert row["nom"] == "CFA « Export », Lyon" and row["formations_publiees"] == 1 and row["qualiopi"] is None
    with open(folder / "organismes.csv", encoding="utf-8", newline="") as handle:
        as_csv = next(r for r in csv.DictReader(handle) if int(r["id"]) == catalogue.organisation_id)
    assert as_csv["nom"] == "CFA « Export », Lyon" and as_csv["qualiopi"] == "" and as_csv["formations_publiees"] == "1"
    schema = json.loads((folder / "schema.json").read_text(encoding="utf-8"))
    assert schema == json.loads(json.dumps(schema_document()))
    assert [f["name"] for f in schema["organismes"]["fields"]] == table.column_names


def test_files_are_served_with_validators(client, folder, catalogue):
    assert client.get("/donnees/formations.csv").status_code == 404  # not generated yet
    call_command("export_open_data")
    response = client.get("/donnees/formations.parquet")
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.apache.parquet"
    body = b"".join(response.streaming_content)  # consuming closes the file (the test client's wrapper)
    assert body == (folder / "formations.parquet").read_bytes()
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get("/donnees/formations.parquet", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/donnees/formations.parquet", headers={"If-Modified-Since": modified}).status_code == 304
    changed = client.get("/donnees/formations.parquet", headers={"If-None-Match": '"autre"'})
    assert changed.status_code == 200 and b"".join(changed.streaming_content)
    assert client.get("/donnees/..%2Fsecret").status_code == 404
    assert client.get("/donnees/qualite.csv").status_code == 302  # the staff quality report, not open data


def test_regeneration_changes_the_etag(client, folder, catalogue):
    call_command("export_open_data")
    first = client.get("/donnees/formations.csv")
    assert b"".join(first.streaming_content)
    TrainingFactory(title="Nouvelle formation publiée")
    call_command("export_open_data")
    second = client.get("/donnees/formations.csv")
    assert b"Nouvelle formation" in b"".join(second.streaming_content)
    assert second["ETag"] != first["ETag"]


def test_open_data_page_documents_the_schema(client, folder, catalogue):
    page = client.get("/donnees/").content.decode()
    assert "pas encore généré" in page
    call_command("export_open_data")
    page = client.get("/donnees/").content.decode()
    assert "/donnees/formations.parquet" in page and "codes_rome" in page and "Métiers ROME 4.0 préparés" in page


def test_demonstration_rows_never_leave_as_open_data(folder, catalogue, client):
    demo = TrainingFactory(organisation=catalogue.organisation, romes=["D1102"], is_demo=True, title="MASTER démo")
    call_command("export_open_data")
    formations = pq.read_table(folder / "formations.parquet").column("id").to_pylist()
    with open(folder / "formations.csv", encoding="utf-8", newline="") as handle:
        from_csv = [int(r["id"]) for r in csv.DictReader(handle)]
    lines = (folder / "formations.jsonl").read_text(encoding="utf-8").splitlines()
    from_json = [json.loads(line)["id"] for line in lines]
    assert catalogue.pk in formations
    assert demo.pk not in formations and demo.pk not in from_csv and demo.pk not in from_json
    assert "MASTER démo" not in (folder / "formations.csv").read_text(encoding="utf-8")
    organisations = pq.read_table(folder / "organismes.parquet").to_pylist()
    counted = next(r for r in organisations if r["id"] == catalogue.organisation_id)
    assert counted["formations_publiees"] == 1  # the real one only
    detail = client.get(f"/api/v1/organisations/{catalogue.organisation_id}").json()
    assert detail["courses"] == 2  # the real published course and the closed one, not the demo

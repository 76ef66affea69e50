"""Upload by staff and by an organisation's members (CSV and XLSX) with a preview of the errors before
anything is stored; public dashboard."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from alternance.enrolments.loaders import COLUMNS
from alternance.enrolments.models import Enrolment
from alternance.enrolments.services import ingest
from tests.enrolments.records import CFA_UAI, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = User.objects.create_user("agent", password="x", is_staff=True)
    client.force_login(user)
    return client


def flat(r: dict) -> dict:
    row = {k: v for k, v in r.items() if k != "contracts"}
    for n, contract in enumerate(r["contracts"], start=1):
        row |= {f"contract_{n}_{k}": v for k, v in contract.items()}
    return row


def csv_file(records, name="inscriptions.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";", extrasaction="ignore")
    writer.writeheader()
    for r in records:
        writer.writerow({k: ("" if v is None else v) for k, v in flat(r).items()})
    return SimpleUploadedFile(name, out.getvalue().encode("cp1252"), content_type="text/csv")


def xlsx_file(records) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for r in records:
        row = flat(r)
        sheet.append([row.get(c) for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("inscriptions.xlsx", out.getvalue())


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_upload_previews_errors_per_line_then_stores_the_valid_lines(staff, cfa, make_file):
    good = [record(last_name="Lefèvre"), record(nir="1 08 03 01 004 123 45")]
    bad = record(birth_date="31/02/2008", siret_responsable="85052026300012")
    response = staff.post("/inscriptions/depot/", {"organisation": CFA_UAI.lower(), "file": make_file(good + [bad])})
    assert response.status_code == 302
    preview = staff.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200 and Enrolment.objects.count() == 0  # nothing stored yet
    assert "2 valides" in html and "<td>4</td>" in html  # header is line 1, the bad record line 4
    assert "birth_date" in html and "siret_responsable" in html
    assert "token" not in response["Location"] and "inscriptions/depot/verification/" in response["Location"]
    done = staff.post("/inscriptions/depot/verification/")
    assert done.status_code == 302
    assert set(Enrolment.objects.values_list("learner_id", flat=True)) == {g["learner_id"] for g in good}
    assert Enrolment.objects.get(learner_id=good[0]["learner_id"]).last_name == "Lefèvre"
    assert Enrolment.objects.get(learner_id=good[1]["learner_id"]).nir_present is True
    assert Enrolment.objects.get(learner_id=good[0]["learner_id"]).contracts.count() == 1
    detail = staff.get(done["Location"]).content.decode()
    assert "2 lignes acceptées" in detail and "Lefèvre" in detail


def test_a_file_that_cannot_be_read_is_refused_with_a_message(staff, cfa):
    bad = SimpleUploadedFile("inscriptions.pdf", b"%PDF-1.4")
    response = staff.post("/inscriptions/depot/", {"organisation": CFA_UAI, "file": bad})
    assert response.status_code == 400
    assert "CSV (.csv) ou Excel (.xlsx)" in response.content.decode()
    wrong = staff.post("/inscriptions/depot/", {"organisation": "0000000A", "file": csv_file([record()])})
    assert "Aucun organisme" in wrong.content.decode()


def test_upload_pages_are_for_the_organisation_members_and_staff(client, cfa, other_cfa):
    assert client.get("/inscriptions/depot/").status_code == 302
    assert client.get(f"/inscriptions/organismes/{cfa.pk}/").status_code == 302
    client.force_login(User.objects.create_user("candidat", password="x"))
    assert client.get("/inscriptions/depot/").status_code == 404
    assert client.get(f"/inscriptions/organismes/{cfa.pk}/").status_code == 404


def test_a_member_uploads_for_its_own_organisation_only(client, cfa, other_cfa):
    from alternance.accounts.services import join_organisation

    member = join_organisation(User.objects.create_user("karim", password="x"), cfa.uai).user
    client.force_login(member)
    page = client.get(f"/inscriptions/depot/?organisme={cfa.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and f'<option value="{cfa.pk}" selected>' in html
    assert other_cfa.name not in html
    refused = client.post("/inscriptions/depot/", {"organisation": other_cfa.pk, "file": csv_file([record()])})
    assert refused.status_code == 400 and "Choisissez l&#x27;un de vos organismes" in refused.content.decode()
    sent = client.post("/inscriptions/depot/", {"organisation": cfa.pk, "file": csv_file([record(last_name="Roux")])})
    assert sent.status_code == 302
    done = client.post("/inscriptions/depot/verification/")
    assert done["Location"] == f"/inscriptions/organismes/{cfa.pk}/"
    detail = client.get(done["Location"])
    assert "Roux" in detail.content.decode() and "no-store" in detail["Cache-Control"]
    assert client.get(f"/inscriptions/organismes/{other_cfa.pk}/").status_code == 404


def test_the_dashboard_shows_suppressed_figures_and_never_names(client, cfa):
    learners = [record() for _ in range(4)]
    ingest(cfa, learners)
    html = client.get("/tableau-de-bord/").content.decode()
    assert "Tableau de bord de l&#x27;apprentissage" in html or "Tableau de bord de l'apprentissage" in html
    assert "&lt;3" in html or "<abbr" in html
    assert all(r["last_name"] not in html for r in learners)
    assert "<bar-chart" in html and "<line-chart" in html and "<table" in html
    assert "Démonstration" not in html


def test_the_dashboard_csv_has_the_same_figures(client, cfa):
    ingest(cfa, [record() for _ in range(5)])
    response = client.get("/tableau-de-bord/indicateurs.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["date", "tableau", "code", "libelle", "parent", "apprenants", "masque"]
    total = next(r for r in rows if r[1] == "total")
    assert total[5] == "5"
    assert any(r[1] == "organisation" and r[3] == cfa.name for r in rows)


def test_demo_enrolments_are_badged_and_never_downloadable(client, cfa):
    ingest(cfa, [record() for _ in range(5)], is_demo=True)
    html = client.get("/tableau-de-bord/").content.decode()
    assert "Démonstration" in html and "indicateurs.csv" not in html
    rows = client.get("/tableau-de-bord/indicateurs.csv").content.decode("utf-8-sig").splitlines()
    assert rows[1].split(";")[5] == "0"  # the total of real enrolments
    assert client.get("/api/v1/indicators/enrolments").json()["total"]["value"] == 0

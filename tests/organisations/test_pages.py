"""Public organisation pages and the staff data-quality report (page and CSV)."""

import csv
import io

import pytest

from alternance.organisations.services import record_fact
from alternance.trainings.models import Training
from alternance.trainings.register import refresh_register
from tests.factories import OrganisationFactory, TrainingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("admin-qualite", password="x", is_staff=True)
    client.force_login(user)
    return client


def test_search_by_name_and_identifier(client):
    organisation = OrganisationFactory(name="CFA Quimperlé Océan", uai="0010826T")
    page = client.get("/organismes/", {"q": "quimperlé"}).content.decode()
    assert "CFA Quimperlé Océan" in page and f"/organismes/{organisation.pk}/" in page
    assert "CFA Quimperlé Océan" in client.get("/organismes/", {"identifiant": organisation.siret}).content.decode()
    assert "CFA Quimperlé Océan" in client.get("/organismes/", {"identifiant": "0010826T"}).content.decode()
    bad = client.get("/organismes/", {"identifiant": "12"}).content.decode()
    assert "Identifiant : saisissez un SIRET" in bad


def test_public_page_lists_published_courses_sources_and_verdict(client):
    organisation = OrganisationFactory(uai="0010826T", source="cfa_uai_siret", name="CFA Page Publique")
    record_fact(organisation, "uai", "0010856A", "lheo:a")
    record_fact(organisation, "uai", "0010856A", "lheo:b")
    TrainingFactory(organisation=organisation, title="CAP Boulanger publié")
    TrainingFactory(organisation=organisation, title="CAP fermé", status=Training.Status.CLOSED)
    refresh_register([organisation.pk])
    response = client.get(f"/organismes/{organisation.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "CAP Boulanger publié" in page and "CAP fermé" not in page
    assert "1 autre formation" in page
    assert (
        "UAI probable d&#x27;après les sources : 0010856A" in page
        or "UAI probable d'après les sources : 0010856A" in page
    )
    assert "lheo:a, lheo:b" in page and "Données non fiables" in page


def test_unknown_organisation_is_404(client):
    assert client.get("/organismes/999999/").status_code == 404


def test_quality_pages_are_for_staff_only(client):
    for url in ("/donnees/qualite/", "/donnees/qualite.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_quality_report_page_and_csv(staff_client):
    bad = OrganisationFactory(uai="", name="CFA Sans UAI")
    good = OrganisationFactory(name="CFA Complet")
    refresh_register([bad.pk, good.pk])
    page = staff_client.get("/donnees/qualite/", {"probleme": "missing_uai"}).content.decode()
    assert "CFA Sans UAI" in page and "CFA Complet" not in page and "UAI manquant" in page
    filtered = staff_client.get("/donnees/qualite/", {"probleme": "uai_conflict"}).content.decode()
    assert "CFA Sans UAI" not in filtered
    response = staff_client.get("/donnees/qualite.csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(response.content.decode()), delimiter=";")}
    assert rows[str(bad.pk)]["verdict"] == "a_verifier" and rows[str(bad.pk)]["problemes"] == "missing_uai"
    assert rows[str(good.pk)]["verdict"] == "fiable"

"""The register's list: check messages, filters, export and API links; nature from every source; ties; names."""

import csv
import io

import pytest

from alternance.organisations import rules
from alternance.organisations.loaders import SOURCE, official_name, parse_cfa, sync_cfa
from alternance.organisations.models import Organisation, OrganisationFact
from alternance.organisations.services import record_fact
from alternance.trainings.register import refresh_register
from tests.factories import PARIS, OrganisationFactory, TrainingFactory, commune

pytestmark = pytest.mark.django_db
CFA_FILE = "organismes/cfa_uai_siret.cp1252.csv"


def _text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize(
    "identifier,message",
    [
        ("0010826A", "UAI : La lettre de contrôle de l'UAI est fausse : pour 0010826, elle doit être T."),
        ("8505202630001", "SIRET : Le SIRET doit comporter 14 chiffres ; vous en avez saisi 13."),
        (
            "85052026300012",
            "SIRET : La clé de contrôle du SIRET est fausse (algorithme de Luhn) : vérifiez les chiffres.",
        ),
        ("0010826", "UAI : il manque la lettre de contrôle ; pour 0010826, c'est T (0010826T)."),
        ("0010826TX", "UAI : L'UAI doit comporter 8 caractères (7 chiffres et une lettre) ; vous en avez saisi 9."),
    ],
)
def test_a_code_that_fails_its_check_gets_the_check_message_not_zero_results(client, identifier, message):
    page = _text(client.get("/organismes/", {"identifiant": identifier}))
    assert message in page
    assert 'aria-describedby="identifiant-erreur"' in page
    assert "organisme trouvé" not in page and "organismes trouvés" not in page


def test_filters_by_region_nature_and_verdict(client):
    lyon = OrganisationFactory(name="CFA Filtre Lyon", nature=Organisation.Nature.RESPONSIBLE)
    paris = OrganisationFactory(
        name="CFA Filtre Paris", commune=commune(PARIS), nature=Organisation.Nature.TRAINER, quality_verdict="fiable"
    )
    by_region = _text(client.get("/organismes/", {"region": "84", "q": "filtre"}))  # Auvergne-Rhône-Alpes
    assert lyon.name in by_region and paris.name not in by_region
    assert '<option value="84" selected>Auvergne-Rhône-Alpes</option>' in by_region
    by_nature = _text(client.get("/organismes/", {"nature": "formateur"}))
    assert paris.name in by_nature and lyon.name not in by_nature
    by_verdict = _text(client.get("/organismes/", {"verdict": "fiable", "q": "filtre"}))
    assert paris.name in by_verdict and lyon.name not in by_verdict
    unknown = _text(client.get("/organismes/", {"region": "99"}))
    assert "Région : choisissez une région dans la liste." in unknown


def test_the_list_links_to_its_csv_export_and_to_the_api(client):
    OrganisationFactory(name="CFA Export Un", nature=Organisation.Nature.RESPONSIBLE)
    OrganisationFactory(name="CFA Export Deux", nature=Organisation.Nature.TRAINER)
    page = _text(client.get("/organismes/", {"q": "export", "nature": "responsable"}))
    assert 'href="/organismes.csv?q=export&amp;nature=responsable"' in page
    assert 'href="/api/v1/organisations?q=export&amp;nature=responsable"' in page
    response = client.get("/organismes.csv", {"q": "export", "nature": "responsable"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["nom"] for row in rows] == ["CFA Export Un"] and rows[0]["nature"] == "responsable"
    api = client.get("/api/v1/organisations", {"q": "export", "nature": "responsable"}).json()
    assert [o["name"] for o in api["results"]] == ["CFA Export Un"]
    bad = client.get("/api/v1/organisations", {"nature": "siège"})
    assert bad.status_code == 400 and bad.json()["field"] == "nature"


def test_names_are_kept_as_the_official_file_writes_them(data_dir):
    records = parse_cfa(data_dir / CFA_FILE)
    assert records[("0010856A", "77931004400028")]["name"] == "CTRE DE FORMATION D'APPRENTIS DE L'INDUSTRIE AFPMA"
    assert not any(record["name"].startswith("DE L'") for record in records.values())
    assert official_name("CFA", "") == "CFA" and official_name("", "CFA DU BTP") == "CFA DU BTP"


def test_nature_comes_from_the_catalogue_then_the_official_file(data_dir):
    records = parse_cfa(data_dir / CFA_FILE)
    assert {record["nature"] for record in records.values()} == {"responsable", "formateur"}
    sync_cfa(records, {})
    responsible = Organisation.objects.get(uai="0010856A", siret="77931004400028")
    facts = OrganisationFact.objects.filter(organisation=responsible, field="nature", source=SOURCE)
    assert list(facts.values_list("value", flat=True)) == ["responsable"]
    TrainingFactory(organisation=OrganisationFactory(), trainer=responsible)  # the catalogue: it also trains
    nobody = OrganisationFactory(nature=Organisation.Nature.UNKNOWN)  # no source says anything
    refresh_register([responsible.pk, nobody.pk])
    responsible.refresh_from_db()
    nobody.refresh_from_db()
    assert responsible.nature == Organisation.Nature.TRAINER  # the catalogue's relations come first
    assert nobody.nature == Organisation.Nature.UNKNOWN
    sync_cfa(records, {})  # a second run keeps one fact per CFA
    assert OrganisationFact.objects.filter(organisation=responsible, field="nature", source=SOURCE).count() == 1


def test_a_cfa_of_the_file_alone_is_not_unknown(data_dir):
    records = parse_cfa(data_dir / CFA_FILE)
    sync_cfa(records, {})
    cfa = Organisation.objects.get(uai="0010826T", siret="85052026300011")
    refresh_register([cfa.pk])
    cfa.refresh_from_db()
    assert cfa.nature == Organisation.Nature.RESPONSIBLE


def test_a_tie_between_candidate_uais_is_said_as_a_tie(client):
    result = rules.reconcile_uai([("0010856A", "lheo:a"), ("0010826T", "lheo:b")])
    assert result.tie and result.tied == ("0010826T", "0010856A")
    assert not rules.reconcile_uai([("0010856A", "a"), ("0010856A", "b"), ("0010826T", "c")]).tie
    organisation = OrganisationFactory(uai="")
    record_fact(organisation, "uai", "0010856A", "lheo:a")
    record_fact(organisation, "uai", "0010826T", "lheo:b")
    refresh_register([organisation.pk])
    page = _text(client.get(f"/organismes/{organisation.pk}/"))
    assert "Égalité entre les UAI 0010826T, 0010856A" in page
    assert "(probable)" not in page and page.count("(à égalité)") == 2
    api = client.get(f"/api/v1/organisations/{organisation.pk}").json()
    assert api["uai_tied"] == ["0010826T", "0010856A"]

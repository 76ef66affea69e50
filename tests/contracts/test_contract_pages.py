"""The contract form, its stored contract and the CERFA PDF."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest

from alternance.contracts.models import Contract
from tests.contracts.conftest import as_post
from tests.contracts.contract_data import valid_contract

URL = "/contrats/nouveau/"
pytestmark = pytest.mark.usefixtures("smic_rates", "baker_diploma")


def test_empty_form_has_one_fieldset_per_block(client):
    html = unescape(client.get(URL).content.decode())
    for legend in (
        "L'employeur",
        "L'apprenti(e)",
        "Le représentant légal (si l'apprenti est mineur)",
        "Le ou les maîtres d'apprentissage",
        "La formation",
        "Le contrat",
    ):
        assert f">{legend}</legend>" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_valid_contract_is_stored_and_printable(client):
    response = client.post(URL, as_post(valid_contract()))
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert response["Location"] == f"/contrats/{contract.public_id}/"
    assert contract.values["apprentice_birth_date"] == date(2009, 11, 20)
    assert contract.values["contract_monthly_pay"] == Decimal("504.10")

    detail = unescape(client.get(response["Location"]).content.decode())
    assert "Le contrat respecte toutes les règles" in detail
    assert f"/contrats/{contract.public_id}/cerfa.pdf" in detail
    assert "Boulangerie Le Fournil" in detail

    pdf = client.get(f"/contrats/{contract.public_id}/cerfa.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf["Content-Disposition"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"apprentice_birth_date": date(2011, 9, 2)}, "apprentice_birth_date", "au moins 16 ans"),
        ({"supervisor1_birth_date": date(2009, 1, 1)}, "supervisor1_birth_date", "doit être majeur"),
        ({"contract_monthly_pay": Decimal("400")}, "contract_monthly_pay", "504,10"),
        ({"employer_siret": "12345678901234"}, "employer_siret", "clé de contrôle du SIRET"),
        ({"training_diploma_code": "RNCP1"}, "training_diploma_code", "absent des référentiels"),
        ({"guardian_first_name": None}, "guardian_first_name", "l'apprenti est mineur"),
        ({"contract_mayotte": True}, "contract_mayotte", "SMIC de Mayotte non disponible"),
        ({"employer_headcount": "beaucoup"}, "employer_headcount", "saisissez un nombre entier"),
    ],
)
def test_failed_checks_are_shown_next_to_their_field(client, changes, field, message):
    response = client.post(URL, as_post(valid_contract(**changes)))
    assert response.status_code == 200
    assert not Contract.objects.exists()
    html = unescape(response.content.decode())
    assert 'id="errors-summary"' in html
    assert f'href="#id_{field}"' in html
    # the message sits in the error block of the field
    error_block = html.split(f'id="id_{field}-desc-error"', 1)[1][:600]
    assert message in error_block


def test_contract_failing_a_check_cannot_be_printed(client):
    client.post(URL, as_post(valid_contract()))
    contract = Contract.objects.get()
    contract.data["supervisor1_birth_date"] = "2010-01-01"  # the stored data no longer passes the checks
    contract.save()
    response = client.get(f"/contrats/{contract.public_id}/cerfa.pdf")
    assert response.status_code == 409
    html = unescape(response.content.decode())
    assert "Impression impossible" in html
    assert "le maître d'apprentissage doit être majeur" in html
    detail = unescape(client.get(f"/contrats/{contract.public_id}/").content.decode())
    assert "ne peut pas être imprimé" in detail
    assert "cerfa.pdf" not in detail


def test_unknown_contract_is_a_404(client):
    assert client.get("/contrats/00000000-0000-0000-0000-000000000000/cerfa.pdf").status_code == 404

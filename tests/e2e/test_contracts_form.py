"""Journey: an employer fills the contract form, fixes a failed check and downloads the CERFA PDF."""

import pytest

from alternance.reference.models import Diploma
from tests.contracts.conftest import as_post
from tests.contracts.contract_data import BAKER_CFD, valid_contract
from tests.contracts.smic import ensure_smic_rates
from tests.e2e.conftest import e2e_db

pytestmark = [e2e_db]


@pytest.fixture
def references(transactional_db):
    ensure_smic_rates()
    Diploma.objects.get_or_create(cfd=BAKER_CFD, defaults={"title": "BOULANGER (CAP)", "level": 3})


def fill(page, values: dict) -> None:
    for name, value in values.items():
        field = page.locator(f"[name={name}]")
        if value == "on":
            field.check()
        else:
            field.fill(value)


def test_contract_form_journey(live_server, page, assert_accessible, references):
    page.goto(f"{live_server.url}/contrats/nouveau/")
    assert page.locator("h1").inner_text() == "Établir un contrat d'apprentissage"
    assert_accessible(page)

    values = as_post(valid_contract())
    values["contract_monthly_pay"] = "480,00"  # below the legal minimum (504,10 €)
    fill(page, values)
    page.get_by_role("button", name="Vérifier et enregistrer le contrat").press("Enter")

    summary = page.locator("#errors-summary")
    assert "504,10" in summary.inner_text()
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    assert page.evaluate("location.hash") == "#id_contract_monthly_pay"

    page.locator("[name=contract_monthly_pay]").fill("504,10")
    page.get_by_role("button", name="Vérifier et enregistrer le contrat").click()
    page.wait_for_url("**/contrats/*-*/")
    assert page.get_by_text("Le contrat respecte toutes les règles du formulaire officiel").is_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le contrat").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_cannot_print_page_is_accessible(live_server, page, assert_accessible, references):
    from alternance.contracts.models import Contract
    from alternance.contracts.services import create_contract

    contract = create_contract(valid_contract())
    Contract.objects.filter(pk=contract.pk).update(data={**contract.data, "employer_siret": "12345678901234"})
    response = page.goto(f"{live_server.url}/contrats/{contract.public_id}/cerfa.pdf")
    assert response.status == 409
    assert page.get_by_text("clé de contrôle du SIRET").is_visible()
    assert_accessible(page)

"""Journey: an employer fills the official contract form step by step (axe-core at 1280 and 360 px on every
step), fixes a failed check, stores the contract and downloads the official form, filled, with the NIR."""

import io

import pytest
from pypdf import PdfReader

from alternance.contracts.fields import FIELD_BLOCKS
from alternance.reference.models import Diploma
from tests.contracts.conftest import as_post
from tests.contracts.contract_data import BAKER_CFD, full_contract
from tests.contracts.smic import ensure_smic_rates
from tests.contracts.stepper import STEP_SLUGS
from tests.e2e.conftest import e2e_db

pytestmark = [e2e_db]

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 360, "height": 740}
NIR = "2 09 11 69 123 456 28"  # key 28 = 97 - (2091169123456 mod 97)
BLOCK_FIELDS = {key: names for key, _title, names in FIELD_BLOCKS}


@pytest.fixture
def page(browser):
    """A desktop page that accepts downloads (the PDF), with the site's Content-Security-Policy in force."""
    context = browser.new_context(locale="fr-FR", viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)  # a shared CI machine can be slow to serve the first page
    yield page
    context.close()


@pytest.fixture
def references(transactional_db):
    ensure_smic_rates()
    Diploma.objects.get_or_create(cfd=BAKER_CFD, defaults={"title": "BOULANGER (CAP)", "level": 3})


def fill(page, key: str, data: dict) -> None:
    """Type the step's values as a person would: text and dates, lists, check boxes."""
    values = as_post({name: data.get(name) for name in BLOCK_FIELDS[key]})
    for name in BLOCK_FIELDS[key]:
        field = page.locator(f"[name={name}]")
        kind = field.evaluate("el => el.tagName === 'SELECT' ? 'select' : el.type")
        value = values.get(name, "")
        if kind == "checkbox":
            field.set_checked(value == "on", force=True)
        elif kind == "select":
            field.select_option(value)
        else:
            field.fill(value)


def check_both_widths(page, assert_accessible) -> None:
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)


def test_contract_form_journey(live_server, page, assert_accessible, references):
    data = full_contract()
    page.goto(f"{live_server.url}/contrats/nouveau/")
    assert page.locator("h1").inner_text() == "Établir un contrat d'apprentissage"
    for number, (key, slug) in enumerate(STEP_SLUGS.items(), start=1):
        page.wait_for_url(f"**/contrats/nouveau/{slug}/")
        assert f"Étape {number} sur 7" in page.locator(".fr-stepper__state").inner_text()
        check_both_widths(page, assert_accessible)
        if key == "pay":
            fill(page, key, {**data, "contract_monthly_pay": "480,00"})  # below the legal minimum (504,10 €)
            page.get_by_role("button", name="Enregistrer et continuer").press("Enter")
            summary = page.locator("#errors-summary")
            assert "504,10" in summary.inner_text()
            check_both_widths(page, assert_accessible)
            summary.get_by_role("link").first.click()
            assert page.evaluate("location.hash") == "#id_contract_monthly_pay"
        fill(page, key, data)
        page.get_by_role("button", name="Enregistrer et continuer").click()

    page.wait_for_url("**/contrats/nouveau/recapitulatif/")
    assert page.get_by_text("Le contrat respecte toutes les règles du formulaire officiel").is_visible()
    check_both_widths(page, assert_accessible)
    page.get_by_role("button", name="Enregistrer le contrat").click()

    page.wait_for_url("**/contrats/*-*/")
    assert page.get_by_text("gardé 30").is_visible()
    check_both_widths(page, assert_accessible)
    page.get_by_label("Numéro de sécurité sociale (NIR) de l'apprenti").fill(NIR)
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger le contrat").click()
    assert download.value.suggested_filename.startswith("cerfa-10103-")
    with open(download.value.path(), "rb") as handle:
        fields = PdfReader(io.BytesIO(handle.read())).get_fields()
    assert fields["NIR de l’apprenti(e)"].get("/V") == NIR.replace(" ", "")
    assert fields["Nom et prénom ou dénomination :"].get("/V") == "Boulangerie Le Fournil"
    assert fields["Salaire brut mensuel à l’embauche :"].get("/V") == "504,10 €"
    assert fields["Sexe F"].get("/V") == "/Oui"
    assert fields["Rémunération - 1re  année, du _af_date"].get("/V") == "01/09/2026"


def test_cannot_print_page_is_accessible(live_server, page, assert_accessible, references):
    from alternance.contracts.models import Contract
    from alternance.contracts.services import create_contract

    contract = create_contract(full_contract())
    Contract.objects.filter(pk=contract.pk).update(data={**contract.data, "employer_siret": "12345678901234"})
    response = page.goto(f"{live_server.url}/contrats/{contract.public_id}/cerfa.pdf")
    assert response.status == 409
    assert page.get_by_text("clé de contrôle du SIRET").is_visible()
    assert_accessible(page)


def test_company_lookup_fills_the_step_in_place(live_server, page, assert_accessible, references):
    """With JavaScript, « Compléter à partir du SIRET » swaps the step's form in place (HTMX); the same button
    is a plain submit without it (tests/contracts/test_contract_pages.py)."""
    from tests.factories import CompanyFactory

    company = CompanyFactory(name="Au Bon Pain Lyonnais", address="8 rue Mercière")
    page.goto(f"{live_server.url}/contrats/nouveau/employeur/")
    page.locator("[name=employer_siret]").fill(company.siret)
    with page.expect_request(lambda request: request.method == "POST") as posted:
        page.get_by_role("button", name="Compléter à partir du SIRET").click()
    assert posted.value.headers.get("hx-request") == "true"
    page.locator("#lookup-result").wait_for()
    assert page.locator("[name=employer_name]").input_value() == "Au Bon Pain Lyonnais"
    assert page.locator("[name=employer_naf]").input_value() == "10.71C"
    assert page.url.endswith("/contrats/nouveau/employeur/")
    assert_accessible(page)

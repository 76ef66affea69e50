"""Journey: find a training organisation, read its page; staff read the quality report and an import report."""

import re

import pytest

from alternance.trainings.models import Training
from alternance.trainings.services import import_lheo
from tests.e2e.conftest import e2e_db
from tests.trainings.lheo_feeds import current, feed, formation, replace

pytestmark = [e2e_db]


@pytest.fixture
def catalogue(reference_data, django_db_blocker, tmp_path):
    text = feed(
        current("E2E1"), replace(formation("E2E2"), "<SIRET>19290076900014</SIRET>", "<SIRET>19290076900015</SIRET>")
    )
    path = tmp_path / "flux.xml"
    path.write_text(text, encoding="utf-8")
    with django_db_blocker.unblock():
        return import_lheo(path, source="e2e")


@pytest.fixture
def staff_page(browser, live_server, django_user_model, django_db_blocker):
    with django_db_blocker.unblock():
        django_user_model.objects.create_user("admin-e2e", password="mot-de-passe-e2e", is_staff=True)
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/?next=/donnees/qualite/")
    page.fill("#id_username", "admin-e2e")
    page.fill("#id_password", "mot-de-passe-e2e")
    page.press("#id_password", "Enter")
    page.wait_for_url(re.compile("/donnees/qualite/"))
    yield page
    context.close()


def test_find_an_organisation_with_the_keyboard(page, live_server, catalogue, assert_accessible):
    page.goto(live_server.url + "/organismes/")
    assert_accessible(page)
    page.get_by_label(re.compile("SIRET ou UAI")).fill("19290076900014")
    page.get_by_label(re.compile("SIRET ou UAI")).press("Enter")
    page.wait_for_url(re.compile(r"identifiant=19290076900014"))
    link = page.get_by_role("link", name="Lycée Kerneuzec")
    link.focus()
    link.press("Enter")
    page.wait_for_url(re.compile(r"/organismes/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Lycée Kerneuzec"
    body = page.locator("main").inner_text()
    assert "BTS négociation et relation client" in body  # the published course
    assert "0290076A" in body and "lheo:e2e:courriel" in body
    assert_accessible(page)


def test_organisation_pages_work_without_javascript(browser, live_server, catalogue, assert_accessible):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/organismes/?q=Kerneuzec")
    page.get_by_role("link", name="Lycée Kerneuzec").click()
    assert "Formations en apprentissage" in page.locator("main").inner_text()
    context.close()


def test_staff_quality_and_import_reports(staff_page, live_server, catalogue, assert_accessible):
    assert "Qualité des données" in staff_page.locator("h1").inner_text()
    assert_accessible(staff_page)
    staff_page.goto(live_server.url + f"/imports/{catalogue.pk}/")
    assert "E2E2/E2E2" in staff_page.locator("main").inner_text()
    assert_accessible(staff_page)
    staff_page.goto(live_server.url + "/imports/")
    assert_accessible(staff_page)
    training = Training.objects.get(source="e2e")
    staff_page.goto(live_server.url + f"/formations/{training.pk}/statut/")
    staff_page.get_by_label("Nouveau statut").select_option("rejetee")
    staff_page.get_by_label(re.compile("Motif")).fill("Hors apprentissage")
    staff_page.get_by_role("button", name="Enregistrer la décision").press("Enter")
    staff_page.wait_for_load_state()
    assert "Hors apprentissage" in staff_page.locator("table").inner_text()
    assert_accessible(staff_page)


def test_open_data_page_is_accessible(page, live_server, catalogue, assert_accessible, settings, tmp_path):
    from django.core.management import call_command

    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    call_command("export_open_data", verbosity=0)
    page.goto(live_server.url + "/donnees/")
    assert page.get_by_role("link", name="formations.parquet").is_visible()
    assert_accessible(page)


def test_a_wrong_check_letter_gets_the_fix_and_the_filters_lead_to_the_export(
    page, live_server, reference_data, django_db_blocker, assert_accessible
):
    """375 px: a UAI with a wrong check letter gets the check's message; filters, then the CSV link."""
    from alternance.trainings.register import refresh_register

    with django_db_blocker.unblock():
        refresh_register()  # natures from the official CFA file
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/organismes/")
    field = page.get_by_label(re.compile("SIRET ou UAI"))
    field.fill("0010826A")
    field.press("Enter")
    page.wait_for_url(re.compile(r"identifiant=0010826A"))
    error = page.locator("#identifiant-erreur")
    assert "pour 0010826, elle doit être T" in error.inner_text()
    assert "trouvé" not in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label(re.compile("SIRET ou UAI")).fill("")
    page.get_by_label("Région").select_option(label="Auvergne-Rhône-Alpes")
    page.get_by_label(re.compile("^Nature")).select_option("responsable")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"region=84.*nature=responsable"))
    assert "organismes trouvés" in page.locator("main h2").first.inner_text()
    download = page.get_by_role("link", name=re.compile("Télécharger cette liste"))
    assert download.get_attribute("href").startswith("/organismes.csv?")
    assert_accessible(page)

"""The contract form as a stepper: drafts, checks at each step, prefill, summary, the stored contract and its
official PDF (NIR typed at printing time, never stored), private headers, creation throttle."""

import io
import json
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from pypdf import PdfReader

from alternance.contracts.models import Contract, ContractDraft
from alternance.contracts.services import create_contract
from tests.contracts.contract_data import CFA_UAI, full_contract, valid_contract
from tests.contracts.stepper import STEP_SLUGS, fill_steps, step_post
from tests.factories import CompanyFactory

pytestmark = pytest.mark.usefixtures("smic_rates", "baker_diploma")
NIR = "2 09 11 69 123 456 28"  # key 28 = 97 - (2091169123456 mod 97)
NIR_DIGITS = NIR.replace(" ", "")


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()


def html_of(response) -> str:
    return unescape(response.content.decode())


def test_new_contract_starts_at_the_first_step(client):
    response = client.get("/contrats/nouveau/")
    assert response.status_code == 302 and response["Location"] == "/contrats/nouveau/employeur/"
    page = client.get(response["Location"])
    html = html_of(page)
    assert "Étape 1 sur 7" in html
    assert ">L'employeur</legend>" in html
    assert "Étape suivante\u00a0:</span> L'apprenti(e)" in html


@pytest.mark.parametrize("slug", list(STEP_SLUGS.values()))
def test_each_step_is_one_block_of_the_official_form(client, slug):
    html = html_of(client.get(f"/contrats/nouveau/{slug}/"))
    number = list(STEP_SLUGS.values()).index(slug) + 1
    assert f"Étape {number} sur 7" in html
    assert html.count("<fieldset") == 1
    assert 'name="csrfmiddlewaretoken"' in html


def test_unknown_step_is_a_404(client):
    assert client.get("/contrats/nouveau/inconnue/").status_code == 404


def test_full_journey_stores_the_contract_and_prints_the_official_form_with_the_nir(client):
    response = fill_steps(client, full_contract())
    assert response["Location"] == "/contrats/nouveau/recapitulatif/"
    summary = html_of(client.get("/contrats/nouveau/recapitulatif/"))
    assert "Le contrat respecte toutes les règles du formulaire officiel" in summary
    assert "Boulangerie Le Fournil" in summary and "33 – CAP" in summary
    assert 'href="/contrats/nouveau/formation/"' in summary

    response = client.post("/contrats/nouveau/recapitulatif/")
    contract = Contract.objects.get()
    assert response["Location"] == f"/contrats/{contract.public_id}/"
    assert not ContractDraft.objects.exists()  # the draft became the contract
    assert contract.values["employer_idcc"] == "843"
    assert contract.values["contract_food_benefit"] == Decimal("3.90")

    detail = html_of(client.get(response["Location"]))
    assert "gardé 30\u00a0jours" in detail
    assert 'name="nir"' in detail
    assert f'action="/contrats/{contract.public_id}/cerfa.pdf"' in detail

    pdf = client.post(f"/contrats/{contract.public_id}/cerfa.pdf", {"nir": NIR})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "cerfa-10103" in pdf["Content-Disposition"]
    fields = PdfReader(io.BytesIO(pdf.content)).get_fields()
    assert fields["NIR de l’apprenti(e)"].get("/V") == NIR_DIGITS
    assert fields["Nom et prénom ou dénomination :"].get("/V") == "Boulangerie Le Fournil"
    assert fields["Code IDCC de la convention collective applicable :"].get("/V") == "0843"

    # the NIR is nowhere in the database: contracts, drafts, sessions (decoded), cache
    stored = json.dumps([c.data for c in Contract.objects.all()] + [d.data for d in ContractDraft.objects.all()])
    sessions = json.dumps([s.get_decoded() for s in Session.objects.all()], default=str)
    assert NIR_DIGITS not in stored and "123 456" not in stored
    assert NIR_DIGITS not in sessions and "123 456" not in sessions
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("contracts_contract", "contracts_contractdraft", "django_session"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed names)
            assert NIR_DIGITS not in repr(cursor.fetchall())


def test_a_wrong_nir_is_refused_and_no_pdf_is_made(client):
    contract = create_contract(full_contract())
    response = client.post(f"/contrats/{contract.public_id}/cerfa.pdf", {"nir": "2 09 11 69 123 456 29"})
    assert response.status_code == 400
    html = html_of(response)
    assert "Numéro de sécurité sociale\u00a0: la clé" in html
    assert "2 09 11 69 123 456 29" not in html and "209116912345629" not in html


def test_pdf_without_the_nir_leaves_its_box_empty(client):
    contract = create_contract(full_contract())
    pdf = client.post(f"/contrats/{contract.public_id}/cerfa.pdf", {"nir": ""})
    fields = PdfReader(io.BytesIO(pdf.content)).get_fields()
    assert fields["NIR de l’apprenti(e)"].get("/V") in (None, "")


def test_without_the_data_folder_the_page_says_so_and_prints_the_summary(client, settings, tmp_path):
    settings.ALTERNANCE_DATA_DIR = str(tmp_path)
    contract = create_contract(full_contract())
    detail = html_of(client.get(f"/contrats/{contract.public_id}/"))
    assert "Le formulaire officiel n'est pas disponible sur ce serveur" in detail
    assert 'name="nir"' not in detail
    pdf = client.post(f"/contrats/{contract.public_id}/cerfa.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert PdfReader(io.BytesIO(pdf.content)).get_fields() is None  # the fpdf2 summary, no form


def test_draft_is_saved_step_by_step_and_resumed_from_the_same_browser_only(client, django_user_model):
    from django.test import Client

    fill_steps(client, full_contract(), upto="supervisors")
    draft = ContractDraft.objects.get()
    assert draft.steps_done == ["employer", "apprentice", "guardian"]
    assert draft.values["apprentice_birth_date"] == date(2009, 11, 20)
    assert client.session["contract_draft"] == str(draft.public_id)
    assert client.get("/contrats/nouveau/")["Location"] == "/contrats/nouveau/maitres-apprentissage/"
    assert 'value="Boulangerie Le Fournil"' in html_of(client.get("/contrats/nouveau/employeur/"))

    other = Client()
    assert other.get("/contrats/nouveau/")["Location"] == "/contrats/nouveau/employeur/"
    assert "Boulangerie Le Fournil" not in html_of(other.get("/contrats/nouveau/employeur/"))
    assert other.get("/contrats/nouveau/recapitulatif/")["Location"] == "/contrats/nouveau/"

    client.post("/contrats/nouveau/recommencer/")
    assert not ContractDraft.objects.exists()
    assert "contract_draft" not in client.session


def test_a_signed_in_persons_draft_is_resumed_from_their_space_in_another_browser(client, django_user_model):
    from django.test import Client

    owner = django_user_model.objects.create_user("patronne", "patronne@example.org", "x")
    client.force_login(owner)
    fill_steps(client, full_contract(), upto="supervisors")
    draft = ContractDraft.objects.get()
    assert draft.owner == owner
    assert "Mes contrats en cours de saisie (1 brouillon)" in html_of(client.get("/espace/"))

    laptop = Client()  # another browser: no draft in its session
    laptop.force_login(owner)
    assert laptop.get("/contrats/nouveau/")["Location"] == "/contrats/nouveau/employeur/"
    listing = html_of(laptop.get("/espace/contrats/brouillons/"))
    assert "Boulangerie Le Fournil" in listing and "3 sur 7" in listing
    resumed = laptop.post("/espace/contrats/brouillons/", {"brouillon": str(draft.public_id)})
    assert resumed["Location"] == "/contrats/nouveau/"
    assert laptop.get("/contrats/nouveau/")["Location"] == "/contrats/nouveau/maitres-apprentissage/"
    assert 'value="Boulangerie Le Fournil"' in html_of(laptop.get("/contrats/nouveau/employeur/"))

    # nobody else lists, resumes or reads it, whatever they send
    stranger = Client()
    stranger.force_login(django_user_model.objects.create_user("autre", "autre@example.org", "x"))
    assert "Boulangerie Le Fournil" not in html_of(stranger.get("/espace/contrats/brouillons/"))
    assert stranger.post("/espace/contrats/brouillons/", {"brouillon": str(draft.public_id)}).status_code == 404
    assert stranger.post("/espace/contrats/brouillons/", {"brouillon": "pas-un-uuid"}).status_code == 404
    session = stranger.session
    session["contract_draft"] = str(draft.public_id)  # a session holding someone else's draft id
    session.save()
    assert "Boulangerie Le Fournil" not in html_of(stranger.get("/contrats/nouveau/employeur/"))
    assert Client().get("/espace/contrats/brouillons/").status_code == 302  # sign in first


def test_summary_lists_missing_steps_and_cannot_store_an_incomplete_draft(client):
    fill_steps(client, full_contract(), upto="training")
    html = html_of(client.get("/contrats/nouveau/recapitulatif/"))
    assert "Étapes à remplir avant d'enregistrer le contrat" in html
    assert "Enregistrer le contrat</button>" not in html
    client.post("/contrats/nouveau/recapitulatif/")
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("step", "changes", "field", "message"),
    [
        ("apprentice", {"apprentice_birth_date": date(2011, 9, 2)}, "apprentice_birth_date", "au moins 16 ans"),
        ("supervisors", {"supervisor1_birth_date": date(2009, 1, 1)}, "supervisor1_birth_date", "doit être majeur"),
        ("pay", {"contract_monthly_pay": Decimal("400")}, "contract_monthly_pay", "504,10"),
        ("employer", {"employer_siret": "12345678901234"}, "employer_siret", "clé de contrôle du SIRET"),
        ("training", {"training_diploma_code": "RNCP1"}, "training_diploma_code", "absent des référentiels"),
        ("guardian", {"guardian_first_name": None}, "guardian_first_name", "l'apprenti est mineur"),
        ("contract", {"contract_mayotte": True}, "contract_mayotte", "SMIC de Mayotte non disponible"),
        ("employer", {"employer_headcount": "beaucoup"}, "employer_headcount", "saisissez un nombre entier"),
        ("contract", {"contract_practical_start_date": date(2026, 12, 2)}, "contract_practical_start_date", "3 mois"),
        ("supervisors", {"supervisor1_experience_years": 0}, "supervisor1_experience_years", "R6223-22"),
    ],
)
def test_checks_are_shown_at_the_step_of_their_field(client, step, changes, field, message):
    fill_steps(client, full_contract())
    before = ContractDraft.objects.get().data
    response = client.post(f"/contrats/nouveau/{STEP_SLUGS[step]}/", step_post(full_contract(**changes), step))
    assert response.status_code == 200
    html = html_of(response)
    assert 'id="errors-summary"' in html
    assert f'href="#id_{field}"' in html
    error_block = html.split(f'id="id_{field}-desc-error"', 1)[1][:800]
    assert message in error_block
    assert ContractDraft.objects.get().data == before  # a step in error is not saved


def test_an_issue_about_another_step_is_shown_and_does_not_block(client):
    fill_steps(client, full_contract())
    changed = full_contract(training_end_date=date(2028, 5, 30))
    response = client.post("/contrats/nouveau/formation/", step_post(changed, "training"))
    assert response.status_code == 302  # saved: the field in fault belongs to the contract step
    html = html_of(client.get("/contrats/nouveau/contrat/"))
    assert 'id="other-issues"' in html and "3 mois après la fin de la formation" in html
    summary = html_of(client.get("/contrats/nouveau/recapitulatif/"))
    assert 'href="/contrats/nouveau/contrat/#id_contract_end_date"' in summary
    assert "Enregistrer le contrat</button>" not in summary


def test_company_is_filled_from_its_siret(client):
    company = CompanyFactory(name="Au Bon Pain Lyonnais", address="8 rue Mercière")
    post = step_post(full_contract(employer_siret=company.siret), "employer")
    for name in ("employer_name", "employer_address", "employer_postcode", "employer_city", "employer_naf"):
        post.pop(name)
    html = html_of(client.post("/contrats/nouveau/employeur/", {**post, "action": "completer"}))
    assert 'id="lookup-result"' in html
    assert 'value="Au Bon Pain Lyonnais"' in html and 'value="8 rue Mercière"' in html
    assert 'value="10.71C"' in html and 'value="Lyon"' in html
    assert "répertoire SIRENE" in html
    assert not ContractDraft.objects.exists()  # completing does not save
    # a plain submit with the SIRET alone fills the same fields and saves the step
    response = client.post("/contrats/nouveau/employeur/", post)
    assert response.status_code == 302
    values = ContractDraft.objects.get().values
    assert values["employer_name"] == "Au Bon Pain Lyonnais"
    assert values["employer_naf"] == "10.71C"


def test_cfa_and_diploma_are_filled_from_uai_and_cfd(client):
    from alternance.organisations.models import Organisation
    from alternance.reference.models import Certification, Diploma

    Organisation.objects.filter(uai=CFA_UAI).delete()
    Organisation.objects.create(
        uai=CFA_UAI,
        siret="85052026300011",
        name="CFA CECOF",
        address="52 avenue de la Libération",
        postcode="01500",
        city="Ambérieu-en-Bugey",
    )
    certification, _ = Certification.objects.get_or_create(
        rncp="RNCP37537", defaults={"title": "Boulanger", "level": 3}
    )
    Diploma.objects.get(cfd="50022137").certifications.add(certification)
    post = step_post(full_contract(), "training")
    for name in ("training_cfa_name", "training_cfa_siret", "training_cfa_address", "training_diploma_title"):
        post.pop(name)
    fill_steps(client, full_contract(), upto="training")
    response = client.post("/contrats/nouveau/formation/", post)
    assert response.status_code == 302
    values = ContractDraft.objects.get().values
    assert values["training_cfa_name"] == "CFA CECOF"
    assert values["training_cfa_siret"] == "85052026300011"
    assert values["training_diploma_title"] == "BOULANGER (CAP)"
    assert values["training_diploma_level"] == 3


@pytest.mark.parametrize(
    "url",
    ["/contrats/nouveau/employeur/", "/contrats/nouveau/remuneration/", "/contrats/nouveau/recapitulatif/", "detail"],
)
def test_contract_pages_are_never_cached_nor_indexed(client, url):
    fill_steps(client, full_contract(), upto="apprentice")
    if url == "detail":
        url = f"/contrats/{create_contract(full_contract()).public_id}/"
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_pdf_is_never_cached_nor_indexed(client):
    contract = create_contract(full_contract())
    response = client.post(f"/contrats/{contract.public_id}/cerfa.pdf", {"nir": ""})
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]


def test_creation_is_throttled_per_address_with_a_french_message(client, settings):
    from django.test import Client

    limit = settings.RATE_LIMITS["contract_creation"][0]
    post = step_post(full_contract(), "employer")
    for _ in range(limit):
        assert Client(REMOTE_ADDR="203.0.113.7").post("/contrats/nouveau/employeur/", post).status_code == 302
    refused = Client(REMOTE_ADDR="203.0.113.7").post("/contrats/nouveau/employeur/", post)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Réessayez dans" in html_of(refused)
    assert ContractDraft.objects.count() == limit
    assert Client(REMOTE_ADDR="203.0.113.8").post("/contrats/nouveau/employeur/", post).status_code == 302


def test_contract_failing_a_check_cannot_be_printed(client):
    contract = create_contract(valid_contract())
    contract.data["supervisor1_birth_date"] = "2010-01-01"  # the stored data no longer passes the checks
    contract.save()
    response = client.get(f"/contrats/{contract.public_id}/cerfa.pdf")
    assert response.status_code == 409
    html = html_of(response)
    assert "Impression impossible" in html
    assert "le maître d'apprentissage doit être majeur" in html
    detail = html_of(client.get(f"/contrats/{contract.public_id}/"))
    assert "ne peut pas être imprimé" in detail
    assert "cerfa.pdf" not in detail


def test_unknown_contract_is_a_404(client):
    assert client.get("/contrats/00000000-0000-0000-0000-000000000000/cerfa.pdf").status_code == 404

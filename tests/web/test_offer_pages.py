"""The recruiter's offer pages: the stepper without JavaScript (server-side rules on each step, an error
summary linking to the fields, the legal pay beside the start date), the management page (actions, history),
the mandate path of a CFA and the inboxes (filters, 20 per page, scoping)."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.utils import timezone

from alternance.accounts import services as accounts
from alternance.job_applications.models import Application
from alternance.offers.models import Offer, Recipient
from alternance.offers.workflow import OfferStatus
from alternance.reference.models import Commune
from tests.contracts.smic import ensure_smic_rates
from tests.factories import BAKERY_NAF, CompanyFactory, OfferFactory, OrganisationFactory
from tests.job_applications.helpers import apply

pytestmark = pytest.mark.django_db

DESCRIPTION = "Vous apprendrez la panification, le façonnage et la cuisson au fournil avec notre équipe."


def member(name, company=None, organisation=None):
    person = User.objects.create_user(name, f"{name}@example.org", "x")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    if company is not None:
        accounts.join_company(person, company.siret)
    if organisation is not None:
        accounts.join_organisation(person, organisation.uai)
    return person


@pytest.fixture
def recruiter(client, reference_data):
    ensure_smic_rates()
    company = CompanyFactory(name="Boulangerie du Parc", contact_email="recrutement@example.org")
    client.force_login(member("patron", company=company))
    return company


def test_stepper_publishes_an_offer_without_javascript(client, recruiter):
    base = f"/espace/entreprises/{recruiter.siret}/offres/"
    page = client.get(base + "nouvelle/")
    assert page.status_code == 200 and 'hx-get="/suggestions/metiers/"' in page.content.decode()
    response = client.post(base + "nouvelle/", {"metier": "boulanger", "rome": "", "lieu": "", "insee": ""})
    offer = Offer.objects.get(company=recruiter)
    assert response["Location"] == f"{base}{offer.pk}/etapes/contrat/"
    assert (offer.status, offer.rome_id, offer.commune_id) == (OfferStatus.DRAFT, "D1102", recruiter.commune_id)
    assert offer.appellation is not None and offer.title == offer.appellation.label

    contract_url = f"{base}{offer.pk}/etapes/contrat/"
    page = client.get(contract_url).content.decode()
    assert 'id="remuneration"' in page and "16 ans" in page and "26 ans et plus" in page
    bad = client.post(contract_url, {"diploma_level": "3", "start_date": "2020-01-01", "duration_months": "48",
                                     "openings": "1"})  # fmt: skip
    html = bad.content.decode()
    assert bad.status_code == 400 and 'id="errors-summary"' in html
    assert 'href="#id_start_date"' in html and 'href="#id_duration_months"' in html
    assert "de 6 à 36 mois" in html and "est passée" in html
    start = timezone.localdate() + dt.timedelta(days=90)
    values = {"diploma_level": "3", "start_date": start.isoformat(), "duration_months": "24", "openings": "1"}
    computed = client.post(contract_url, values | {"action": "calculer"})
    assert computed.status_code == 200 and str(start.year) in computed.content.decode().split('id="remuneration"')[1]
    client.post(contract_url, {"diploma_level": "3", "start_date": start.isoformat(), "duration_months": "24",
                               "openings": "2", "rhythm": "2 semaines en entreprise, 1 au CFA"})  # fmt: skip

    description_url = f"{base}{offer.pk}/etapes/description/"
    refused = client.post(description_url, {"description": DESCRIPTION + " www.fournil.fr"})
    assert refused.status_code == 400 and "adresse internet" in refused.content.decode()
    response = client.post(description_url, {"description": DESCRIPTION, "question_1": "Pourquoi la boulangerie ?"})
    assert response["Location"] == f"{base}{offer.pk}/etapes/recapitulatif/"
    summary = client.get(response["Location"]).content.decode()
    assert "Pourquoi la boulangerie ?" in summary and ">Publier</button>" in summary
    published = client.post(response["Location"], {"action": "publier"})
    assert published["Location"] == f"{base}{offer.pk}/"
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED and offer.questions == ["Pourquoi la boulangerie ?"]
    assert offer.start_date == start and offer.openings == 2
    manage = client.get(published["Location"]).content.decode()
    assert "est en ligne jusqu" in manage and "Publication" in manage and "patron@example.org" in manage
    listing = client.get(base).content.decode()
    assert offer.title in listing and "En ligne" in listing


def test_a_chosen_place_and_asap_start(client, recruiter):
    base = f"/espace/entreprises/{recruiter.siret}/offres/"
    client.post(base + "nouvelle/", {"metier": "boulanger", "lieu": "Paris", "insee": "75056"})
    offer = Offer.objects.get(company=recruiter)
    assert offer.commune_id == "75056" and offer.lat == Commune.objects.get(insee="75056").lat
    client.post(f"{base}{offer.pk}/etapes/contrat/", {"diploma_level": "4", "start_asap": "on", "duration_months": "12",
                                                      "openings": "1"})  # fmt: skip
    offer.refresh_from_db()
    assert offer.start_asap and offer.start_date is None


def test_summary_of_an_incomplete_draft_links_to_the_steps(client, recruiter):
    offer = OfferFactory(company=recruiter, status=OfferStatus.DRAFT, published_at=None, description="")
    url = f"/espace/entreprises/{recruiter.siret}/offres/{offer.pk}/etapes/recapitulatif/"
    response = client.post(url, {"action": "publier"})
    html = response.content.decode()
    assert (
        response.status_code == 400
        and f'href="/espace/entreprises/{recruiter.siret}/offres/{offer.pk}/etapes/description/"' in html
    )
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.DRAFT


def test_management_actions_keep_the_history(client, recruiter):
    offer = OfferFactory(company=recruiter)
    url = f"/espace/entreprises/{recruiter.siret}/offres/{offer.pk}/"
    client.post(url + "action/", {"transition": "pause", "reason": "Congés"})
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PAUSED
    client.post(url + "action/", {"transition": "resume"})
    client.post(url + "action/", {"transition": "extend"})
    client.post(url + "action/", {"transition": "fill", "reason": "Trouvée"})
    page = client.get(url).content.decode()
    history = page.split('id="historique"')[1]
    for label in ("Suspension", "Congés", "Remise en ligne", "Prolongation", "Poste pourvu", "Trouvée"):
        assert label in history
    refused = client.post(url + "action/", {"transition": "resume"}, follow=True)
    assert "impossible" in refused.content.decode()
    assert client.get(url + "etapes/metier/")["Location"] == url  # a closed offer is not edited


def test_another_company_offer_is_404(client, recruiter):
    other = OfferFactory()
    for path in (f"/espace/entreprises/{recruiter.siret}/offres/{other.pk}/",
                 f"/espace/entreprises/{other.company.siret}/offres/"):  # fmt: skip
        assert client.get(path).status_code == 404


def test_cfa_posts_under_mandate_and_reads_applications_in_its_inbox(client, reference_data, private_storage):
    ensure_smic_rates()
    cfa = OrganisationFactory(name="CFA des métiers", contact_email="relations@cfa.example.org")
    company = CompanyFactory(name="Fournil de la Gare", contact_email="fournil@example.org")
    client.force_login(member("karim", organisation=cfa))
    base = f"/espace/organismes/{cfa.pk}/offres/"
    refused = client.post(base + "nouvelle/", {"siret": company.siret, "recipient": "organisme", "metier": "boulanger"})
    assert refused.status_code == 400 and "vous a confié la publication" in refused.content.decode()
    response = client.post(
        base + "nouvelle/",
        {"siret": company.siret, "mandate": "on", "recipient": Recipient.ORGANISATION, "metier": "boulanger"},
    )
    offer = Offer.objects.get(company=company)
    assert response["Location"] == f"{base}{offer.pk}/etapes/contrat/"
    assert (offer.delegated_by, offer.recipient) == (cfa, Recipient.ORGANISATION)
    accounts_values = {"diploma_level": 3, "start_asap": True, "duration_months": 24, "description": DESCRIPTION}
    from alternance.offers import services

    services.update_posting(offer, accounts_values)
    client.post(f"{base}{offer.pk}/etapes/recapitulatif/", {"action": "publier"})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED
    public = client.get(f"/offres/{offer.pk}/").content.decode()
    assert re.search(
        r"Offre publiée par <strong>CFA des métiers</strong> pour le compte de <strong>Fournil de la Gare", public
    )
    application = apply(offer=offer, first_name="Yanis", last_name="Benali")
    inbox = client.get(f"/espace/organismes/{cfa.pk}/offres/candidatures/").content.decode()
    assert "Yanis Benali" in inbox
    assert (
        "Offre publiée par CFA des métiers pour le compte de Fournil de la Gare"
        in client.get(f"{base}{offer.pk}/").content.decode()
    )
    # the company's own inbox does not list what the mandate sends to the CFA
    client.force_login(member("boss", company=company))
    assert "Yanis Benali" not in client.get(f"/espace/entreprises/{company.siret}/candidatures/").content.decode()
    assert Application.objects.get(pk=application.pk).offer == offer


def test_company_inbox_offers_only_the_offers_whose_applications_it_receives(client, recruiter, private_storage):
    """An offer a CFA posted for the company under a mandate naming the CFA sends its applications to the CFA:
    the company's « Offre » filter does not propose it (it would always show an empty list)."""
    cfa = OrganisationFactory(contact_email="relations@cfa.example.org")
    OfferFactory(company=recruiter, title="Vendeur en boulangerie")
    OfferFactory(company=recruiter, title="Boulanger sous mandat", delegated_by=cfa, recipient=Recipient.ORGANISATION)
    OfferFactory(company=recruiter, title="Tourier sous mandat", delegated_by=cfa, recipient=Recipient.COMPANY)
    html = client.get(f"/espace/entreprises/{recruiter.siret}/candidatures/").content.decode()
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', html)
    assert sorted(options) == ["Tourier sous mandat", "Vendeur en boulangerie"]


def test_mandate_for_an_unknown_company_asks_its_naf(client, reference_data):
    cfa = OrganisationFactory(contact_email="relations@cfa.example.org")
    client.force_login(member("karim", organisation=cfa))
    from alternance.core.identifiers import make_siret

    siret = make_siret("96000003", "0001")
    data = {"siret": siret, "mandate": "on", "recipient": "organisme", "metier": "boulanger"}
    asked = client.post(f"/espace/organismes/{cfa.pk}/offres/nouvelle/", data)
    assert asked.status_code == 400 and "code NAF" in asked.content.decode()
    done = client.post(f"/espace/organismes/{cfa.pk}/offres/nouvelle/",
                       data | {"name": "Fournil Neuf", "naf_code": BAKERY_NAF, "commune_insee": "69123"})  # fmt: skip
    assert done.status_code == 302 and Offer.objects.get(company__siret=siret).delegated_by == cfa


def test_inbox_filters_and_pages_of_twenty(client, recruiter, private_storage):
    offer = OfferFactory(company=recruiter)
    other = OfferFactory(company=recruiter, title="Pâtissier")
    now = timezone.now()
    for i in range(23):
        apply(offer=offer, email=f"c{i}@example.org", first_name=f"Candidat{i:02d}", now=now - dt.timedelta(hours=i))
    apply(offer=other, email="p@example.org", first_name="Patissiere")
    url = f"/espace/entreprises/{recruiter.siret}/candidatures/"
    first = client.get(url).content.decode()
    assert "24 candidatures" in first and "page 1 sur 2" in first and 'aria-label="Pagination"' in first
    assert first.index("Candidat22") < first.index("Candidat03") and "Candidat00" not in first  # longest waiting first
    second = client.get(url + "?page=2").content.decode()
    assert second.count('class="fr-link" href="/candidatures/') == 4
    filtered = client.get(url + f"?offre={other.pk}").content.decode()
    assert "Patissiere" in filtered and "Candidat01" not in filtered and 'aria-label="Pagination"' not in filtered
    assert "1 candidature," in filtered
    assert "Candidat0" not in client.get(url + "?statut=refusee").content.decode()

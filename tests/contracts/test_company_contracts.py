"""Contracts owned by a company: made by a signed-in member for the employer's SIRET, they are seen only by the
company's active members (anyone else, link or not: 404), listed in the member's space and never purged."""

from datetime import timedelta
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.utils import timezone

from alternance.accounts import services as accounts
from alternance.contracts.models import RETENTION_DAYS, Contract
from alternance.contracts.services import create_contract, purge_expired
from tests.contracts.contract_data import full_contract
from tests.contracts.stepper import fill_steps
from tests.factories import CompanyFactory

pytestmark = pytest.mark.usefixtures("smic_rates", "baker_diploma")


def person(name: str, staff: bool = False) -> User:
    user = User.objects.create_user(name, f"{name}@example.org", "x", is_staff=staff)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def bakery():
    company = CompanyFactory(name="Boulangerie Le Fournil")
    admin = accounts.join_company(person("patron"), company.siret).user
    pending = accounts.join_company(person("attente"), company.siret).user  # asks, not yet accepted
    other = CompanyFactory()
    outsider = accounts.join_company(person("voisin"), other.siret).user
    return {"company": company, "member": admin, "pending": pending, "outsider": outsider, "other": other}


def store_through_the_pages(client, data) -> Contract:
    fill_steps(client, data)
    response = client.post("/contrats/nouveau/recapitulatif/")
    contract = Contract.objects.order_by("-pk").first()
    assert response["Location"] == f"/contrats/{contract.public_id}/"
    return contract


def test_a_member_makes_a_contract_for_the_company_seen_by_its_members_only(client, bakery):
    company = bakery["company"]
    client.force_login(bakery["member"])
    fill_steps(client, full_contract(employer_siret=company.siret))
    summary = unescape(client.get("/contrats/nouveau/recapitulatif/").content.decode())
    assert "rattaché à « Boulangerie Le Fournil »" in summary
    contract = store_through_the_pages(client, full_contract(employer_siret=company.siret))
    assert contract.company == company and contract.expires_on is None

    detail = unescape(client.get(f"/contrats/{contract.public_id}/").content.decode())
    assert 'id="owner-notice"' in detail and "gardé 30" not in detail
    assert client.post(f"/contrats/{contract.public_id}/cerfa.pdf")["Content-Type"] == "application/pdf"

    listing = client.get(f"/espace/entreprises/{company.siret}/contrats/")
    html = unescape(listing.content.decode())
    assert listing.status_code == 200 and listing["X-Robots-Tag"] == "noindex, nofollow"
    assert f'href="/contrats/{contract.public_id}/"' in html and "Léa Martin" in html
    home = client.get("/espace/").content.decode()
    assert f'href="/espace/entreprises/{company.siret}/contrats/"' in home

    for who in ("pending", "outsider", None):
        client.logout()
        if who:
            client.force_login(bakery[who])
        assert client.get(f"/contrats/{contract.public_id}/").status_code == 404, who
        assert client.post(f"/contrats/{contract.public_id}/cerfa.pdf").status_code == 404, who
        expected = 302 if who is None else 404
        assert client.get(f"/espace/entreprises/{company.siret}/contrats/").status_code == expected, who


def test_the_company_list_shows_only_its_own_contracts(client, bakery):
    mine = create_contract(full_contract(employer_siret=bakery["company"].siret), company=bakery["company"])
    theirs = create_contract(full_contract(employer_siret=bakery["other"].siret), company=bakery["other"])
    anonymous = create_contract(full_contract(employer_siret=bakery["company"].siret))
    client.force_login(bakery["member"])
    html = client.get(f"/espace/entreprises/{bakery['company'].siret}/contrats/").content.decode()
    assert str(mine.public_id) in html
    assert str(theirs.public_id) not in html and str(anonymous.public_id) not in html


def test_without_membership_of_the_employer_the_contract_keeps_its_link_and_expiry(client, bakery):
    """Another SIRET than the member's company, or no account: today's behaviour (link, 30 days)."""
    client.force_login(bakery["outsider"])
    contract = store_through_the_pages(client, full_contract(employer_siret=bakery["company"].siret))
    assert contract.company is None and contract.expires_on is not None
    client.logout()
    html = unescape(client.get(f"/contrats/{contract.public_id}/").content.decode())
    assert "gardé 30\u00a0jours" in html


def test_a_pending_member_does_not_attach_the_contract(client, bakery):
    client.force_login(bakery["pending"])
    contract = store_through_the_pages(client, full_contract(employer_siret=bakery["company"].siret))
    assert contract.company is None


def test_the_purge_keeps_the_company_contracts():
    company = CompanyFactory()
    owned = create_contract(full_contract(employer_siret=company.siret), company=company)
    loose = create_contract(full_contract(employer_siret=company.siret))
    Contract.objects.update(created_at=timezone.now() - timedelta(days=RETENTION_DAYS + 1))
    assert purge_expired() == (1, 0)
    assert list(Contract.objects.values_list("pk", flat=True)) == [owned.pk]
    assert not Contract.objects.filter(pk=loose.pk).exists()


def test_the_owner_must_be_the_employer():
    with pytest.raises(ValueError):
        create_contract(full_contract(), company=CompanyFactory())

"""Permission matrix generated from the URL configuration: every page is either declared public (one list)
or has its expected status for each kind of person. A new URL fails `test_every_url_is_declared` until it
takes its place here, so no private page can escape the matrix."""

from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.urls import URLResolver, get_resolver

from alternance.accounts import services
from alternance.accounts.models import ApiKey, Scope
from alternance.contracts.models import Contract
from tests.factories import CompanyFactory, OfferFactory, OrganisationFactory, TrainingFactory
from tests.job_applications.helpers import ask

PERSONAS = ["anonymous", "candidate", "recruiter_a", "recruiter_b", "pending_a", "cfa_a", "cfa_b", "staff"]

# Prefixes with their own authorisation, tested elsewhere: the admin (Django), the API (API keys, tests/api),
# people's accounts (allauth's own pages: tests/web/test_accounts_pages.py).
OWN_AUTH_PREFIXES = ("admin/", "api/v1/", "comptes/")

# Public pages, and pages opened by a secret in their address (signed links, contract identifiers).
PUBLIC = {
    "",
    "recherche/",
    "suggestions/metiers/",
    "suggestions/lieux/",
    "remuneration/",
    "contrats/nouveau/",
    "contrats/nouveau/recapitulatif/",
    "contrats/nouveau/recommencer/",
    "contrats/nouveau/<slug:slug>/",
    "contrats/<uuid:public_id>/",  # secret: a random UUID (a company's contract: OWNED_CONTRACT below)
    "contrats/<uuid:public_id>/cerfa.pdf",
    "organismes/",
    "organismes.csv",
    "organismes/<int:organisation_id>/",
    "formations/<int:pk>/",
    "donnees/",
    "donnees/<str:filename>",
    "offres/<int:pk>/",
    "entreprises/<str:siret>/",
    "tableau-de-bord/",
    "tableau-de-bord/indicateurs.csv",
    "offres/<int:pk>/postuler/",
    "entreprises/<str:siret>/candidature/",
    "formations/<int:pk>/rendez-vous/",
    "candidatures/<uuid:public_id>/envoyee/",
    "rendez-vous/<uuid:public_id>/envoyee/",
    "mes-candidatures/<str:token>/",  # signed links below
    "mes-candidatures/<str:token>/retirer/<uuid:public_id>/",
    "mes-candidatures/<str:token>/supprimer/",
    "candidatures/<uuid:public_id>/repondre/<str:token>/",
    "candidatures/<uuid:public_id>/cv/<str:token>/",
    "rendez-vous/<uuid:public_id>/repondre/<str:token>/",
    "statistiques/",
}

SIGNED_IN = {p: 200 for p in PERSONAS} | {"anonymous": 302}
STAFF_ONLY = {p: 302 for p in PERSONAS} | {"staff": 200}  # staff_member_required: the admin's sign-in
STAFF_ONLY_MISSING = STAFF_ONLY | {"staff": 404}  # an identifier that does not exist: past the guard, 404
LOCAL_MAILBOX = {p: 404 for p in PERSONAS} | {"staff": 200}
COMPANY_A = {p: 404 for p in PERSONAS} | {"anonymous": 302, "recruiter_a": 200, "staff": 200}
MANAGE_A = {p: 404 for p in PERSONAS} | {"anonymous": 302, "recruiter_a": 302, "staff": 302}
CFA_A = {p: 404 for p in PERSONAS} | {"anonymous": 302, "cfa_a": 200, "staff": 200}
CFA_ACT_A = {p: 404 for p in PERSONAS} | {"anonymous": 302, "cfa_a": 302, "staff": 302}
CFA_MEMBERS = {p: 404 for p in PERSONAS} | {"anonymous": 302, "cfa_a": 200, "cfa_b": 200, "staff": 200}

# route -> (method, address with {placeholders} from the `world` fixture, expected status per persona)
PRIVATE = {
    "espace/": ("get", "/espace/", SIGNED_IN),
    "espace/entreprise/rejoindre/": ("get", "/espace/entreprise/rejoindre/", SIGNED_IN),
    "espace/cfa/rejoindre/": ("get", "/espace/cfa/rejoindre/", SIGNED_IN),
    "espace/entreprises/<str:siret>/candidatures/": (
        "get",
        "/espace/entreprises/{siret_a}/candidatures/",
        COMPANY_A,
    ),
    "espace/entreprises/<str:siret>/fiche/": ("get", "/espace/entreprises/{siret_a}/fiche/", COMPANY_A),
    # the recruiter's offers (alternance/web/offers): a company's space, and a CFA's for offers under mandates
    "espace/entreprises/<str:siret>/offres/": ("get", "/espace/entreprises/{siret_a}/offres/", COMPANY_A),
    "espace/entreprises/<str:siret>/offres/nouvelle/": (
        "get",
        "/espace/entreprises/{siret_a}/offres/nouvelle/",
        COMPANY_A,
    ),
    "espace/entreprises/<str:siret>/offres/<int:pk>/": (
        "get",
        "/espace/entreprises/{siret_a}/offres/{offer_a}/",
        COMPANY_A,
    ),
    "espace/entreprises/<str:siret>/offres/<int:pk>/etapes/<slug:step>/": (
        "get",
        "/espace/entreprises/{siret_a}/offres/{offer_a}/etapes/contrat/",
        COMPANY_A,
    ),
    "espace/entreprises/<str:siret>/offres/<int:pk>/action/": (
        "post",
        "/espace/entreprises/{siret_a}/offres/{offer_a}/action/",
        MANAGE_A,
    ),
    "espace/organismes/<int:organisation_id>/offres/": ("get", "/espace/organismes/{org_a}/offres/", CFA_A),
    "espace/organismes/<int:organisation_id>/offres/nouvelle/": (
        "get",
        "/espace/organismes/{org_a}/offres/nouvelle/",
        CFA_A,
    ),
    "espace/organismes/<int:organisation_id>/offres/<int:pk>/": (
        "get",
        "/espace/organismes/{org_a}/offres/{offer_cfa_a}/",
        CFA_A,
    ),
    "espace/organismes/<int:organisation_id>/offres/<int:pk>/etapes/<slug:step>/": (
        "get",
        "/espace/organismes/{org_a}/offres/{offer_cfa_a}/etapes/recapitulatif/",
        CFA_A,
    ),
    "espace/organismes/<int:organisation_id>/offres/<int:pk>/action/": (
        "post",
        "/espace/organismes/{org_a}/offres/{offer_cfa_a}/action/",
        CFA_ACT_A,
    ),
    "espace/organismes/<int:organisation_id>/offres/candidatures/": (
        "get",
        "/espace/organismes/{org_a}/offres/candidatures/",
        CFA_A,
    ),
    "espace/entreprises/<str:siret>/contrats/": ("get", "/espace/entreprises/{siret_a}/contrats/", COMPANY_A),
    "espace/contrats/brouillons/": ("get", "/espace/contrats/brouillons/", SIGNED_IN),  # one's own drafts only
    "espace/membres/<int:pk>/accepter/": ("post", "/espace/membres/{pending_a}/accepter/", MANAGE_A),
    "espace/membres/<int:pk>/retirer/": ("post", "/espace/membres/{pending_a}/retirer/", MANAGE_A),
    "donnees/qualite/": ("get", "/donnees/qualite/", STAFF_ONLY),
    "donnees/qualite.csv": ("get", "/donnees/qualite.csv", STAFF_ONLY),
    "imports/": ("get", "/imports/", STAFF_ONLY),
    "imports/<int:report_id>/": ("get", "/imports/999999/", STAFF_ONLY_MISSING),
    "formations/<int:training_id>/statut/": ("get", "/formations/999999/statut/", STAFF_ONLY_MISSING),
    "donnees/referentiels/": ("get", "/donnees/referentiels/", STAFF_ONLY),
    "inscriptions/depot/": ("get", "/inscriptions/depot/", CFA_MEMBERS),
    "inscriptions/depot/verification/": (
        "get",
        "/inscriptions/depot/verification/",
        CFA_MEMBERS | {"cfa_a": 302, "cfa_b": 302, "staff": 302},  # nothing staged: back to the upload
    ),
    "inscriptions/organismes/<int:organisation_id>/": ("get", "/inscriptions/organismes/{org_a}/", CFA_A),
    "espace/organismes/<int:organisation_id>/": ("get", "/espace/organismes/{org_a}/", CFA_A),
    "espace/organismes/<int:organisation_id>/fiche/": ("get", "/espace/organismes/{org_a}/fiche/", CFA_A),
    "espace/organismes/<int:organisation_id>/formations/": ("get", "/espace/organismes/{org_a}/formations/", CFA_A),
    "espace/organismes/<int:organisation_id>/rendez-vous/": ("get", "/espace/organismes/{org_a}/rendez-vous/", CFA_A),
    "espace/organismes/<int:organisation_id>/rendez-vous/<uuid:public_id>/": (
        "get",
        "/espace/organismes/{org_a}/rendez-vous/{appointment_a}/",
        CFA_A,
    ),
    "espace/organismes/<int:organisation_id>/cles/": ("get", "/espace/organismes/{org_a}/cles/", CFA_A),
    "espace/organismes/<int:organisation_id>/cles/<int:key_id>/revoquer/": (
        "post",
        "/espace/organismes/{org_a}/cles/{key_a}/revoquer/",
        CFA_ACT_A,
    ),
    "courriels/": ("get", "/courriels/", LOCAL_MAILBOX),
    "courriels/<str:name>/": ("get", "/courriels/absent.eml/", LOCAL_MAILBOX | {"staff": 404}),
}


def routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_every_url_is_declared():
    found = {r for r in routes() if not r.startswith(OWN_AUTH_PREFIXES)}
    undeclared = sorted(found - PUBLIC - set(PRIVATE))
    assert undeclared == [], f"Déclarez ces adresses publiques (PUBLIC) ou privées (PRIVATE) : {undeclared}"
    assert not PUBLIC & set(PRIVATE)
    assert sorted((PUBLIC | set(PRIVATE)) - found) == []  # no stale entry


def _person(name: str, staff: bool = False) -> User:
    email = f"{name}@example.org"
    person = User.objects.create_user(name, email, "x", is_staff=staff)
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    return person


@pytest.fixture
def world(db):
    company_a, company_b = CompanyFactory(), CompanyFactory()
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    people = {
        "candidate": _person("candidate"),
        "recruiter_a": services.join_company(_person("recruiter_a"), company_a.siret).user,
        "recruiter_b": services.join_company(_person("recruiter_b"), company_b.siret).user,
        "cfa_a": services.join_organisation(_person("cfa_a"), org_a.uai).user,
        "cfa_b": services.join_organisation(_person("cfa_b"), org_b.uai).user,
        "staff": _person("staff", staff=True),
    }
    pending = services.join_company(_person("pending_a"), company_a.siret)
    people["pending_a"] = pending.user
    offer_a = OfferFactory(company=company_a, status="brouillon", published_at=None)
    offer_cfa_a = OfferFactory(company=CompanyFactory(), delegated_by=org_a)
    owned = Contract.objects.create(
        employer_siret=company_a.siret, company=company_a, start_date=date(2026, 9, 1), end_date=date(2028, 8, 31)
    )
    appointment = ask(TrainingFactory(organisation=org_a), email="jeune@example.org")
    key, _secret = ApiKey.issue("logiciel", [Scope.ENROLMENTS], organisation=org_a)
    values = {"siret_a": company_a.siret, "pending_a": pending.pk, "offer_a": offer_a.pk, "org_a": org_a.pk}
    values |= {"appointment_a": appointment.public_id, "key_a": key.pk, "contract_a": owned.public_id}
    return {"people": people, "values": values | {"offer_cfa_a": offer_cfa_a.pk}}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", sorted(PRIVATE))
def test_permission_matrix(route, persona, world, client):
    method, address, expected = PRIVATE[route]
    if persona != "anonymous":
        client.force_login(world["people"][persona])
    response = getattr(client, method)(address.format(**world["values"]))
    assert response.status_code == expected[persona], (route, persona)
    if persona == "anonymous" and expected[persona] == 302:
        assert "login" in response["Location"]


# A contract a member of company A made (Contract.company): its link opens it to A's active members (and staff,
# as every page of a company's space) only; anyone else gets 404, link or not.
OWNED_CONTRACT = {p: 404 for p in PERSONAS} | {"recruiter_a": 200, "staff": 200}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("address", ["/contrats/{contract_a}/", "/contrats/{contract_a}/cerfa.pdf"])
def test_a_company_contract_is_seen_by_its_members_only(address, persona, world, client):
    if persona != "anonymous":
        client.force_login(world["people"][persona])
    response = client.get(address.format(**world["values"]))
    if OWNED_CONTRACT[persona] == 404:
        assert response.status_code == 404, persona
    else:  # reached: the page, or the PDF's « cannot print » page for this contract without data (409)
        assert response.status_code in (200, 409), persona

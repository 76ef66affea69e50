"""Memberships: the pure rules (table-driven) and the joining, accepting and removing services."""

import pytest
from django.contrib.auth.models import User

from alternance.accounts import rules, services
from alternance.accounts.models import Membership
from alternance.accounts.services import MembershipError
from alternance.companies.models import Company
from alternance.core.identifiers import make_siret
from tests.factories import BAKERY_NAF, LYON, CompanyFactory, OrganisationFactory


@pytest.mark.parametrize(
    "naf, expected",
    [("85.32Z", True), ("85.59A", True), ("8559A", True), ("10.71C", False), ("56.10A", False), ("", False)],
)
def test_is_education(naf, expected):
    assert rules.is_education(naf) is expected


@pytest.mark.parametrize(
    "existing, expected", [(0, ("admin", "active")), (1, ("member", "pending")), (5, ("member", "pending"))]
)
def test_first_member_role(existing, expected):
    assert rules.first_member_role(existing) == expected


@pytest.mark.parametrize(
    "is_staff, role, status, manage, act",
    [
        (False, "admin", "active", True, True),
        (False, "admin", "pending", False, False),
        (False, "member", "active", False, True),
        (False, "member", "pending", False, False),
        (False, None, None, False, False),
        (True, None, None, True, True),
    ],
)
def test_permissions(is_staff, role, status, manage, act):
    assert rules.can_manage(is_staff=is_staff, role=role, status=status) is manage
    assert rules.can_act(is_staff=is_staff, status=status) is act


def _broken(siret: str) -> str:
    """The same SIRET with its last digit changed: the Luhn key no longer holds."""
    return siret[:-1] + str((int(siret[-1]) + 1) % 10)


def user(name: str, staff: bool = False) -> User:
    return User.objects.create_user(name, f"{name}@example.org", "x", is_staff=staff)


@pytest.mark.django_db
def test_first_member_administers_the_next_one_waits():
    company = CompanyFactory()
    first = services.join_company(user("alice"), company.siret)
    second = services.join_company(user("bob"), company.siret)
    assert (first.role, first.status) == ("admin", "active")
    assert (second.role, second.status) == ("member", "pending")
    again = services.join_company(second.user, company.siret)
    assert again.pk == second.pk  # asking twice keeps one request


@pytest.mark.django_db
@pytest.mark.parametrize(
    "siret, kwargs, code",
    [
        ("1234", {}, "invalid_siret"),
        (_broken(make_siret("97555555", "0001")), {}, "invalid_siret"),
        (make_siret("97555555", "0001"), {}, "naf_required"),
        (make_siret("97555555", "0001"), {"naf_code": "99.99Z"}, "unknown_naf"),
        (
            make_siret("97555555", "0001"),
            {"naf_code": "85.32Z", "commune_insee": LYON, "name": "Lycée"},
            "education_naf",
        ),
        (make_siret("97555555", "0001"), {"naf_code": BAKERY_NAF, "name": "Fournil"}, "commune_required"),
        (make_siret("97555555", "0001"), {"naf_code": BAKERY_NAF, "commune_insee": LYON}, "name_required"),
    ],
)
def test_join_company_errors(siret, kwargs, code):
    with pytest.raises(MembershipError) as info:
        services.join_company(user("carol"), siret, **kwargs)
    assert info.value.code == code
    assert not Company.objects.filter(siret=siret).exists()
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_unknown_company_is_created_with_its_naf_and_commune():
    siret = make_siret("97555556", "0001")
    membership = services.join_company(user("dan"), siret, name="Le Fournil", naf_code="10.71c", commune_insee=LYON)
    company = Company.objects.get(siret=siret)
    assert (company.naf_id, company.commune_id, company.name) == (BAKERY_NAF, LYON, "Le Fournil")
    assert membership.company == company and membership.is_admin


@pytest.mark.django_db
def test_known_education_company_goes_to_the_cfa_path():
    from alternance.reference.models import NafCode

    school = CompanyFactory(naf=NafCode.objects.get(code="85.32Z"))
    with pytest.raises(MembershipError) as info:
        services.join_company(user("erin"), school.siret)
    assert info.value.code == "education_naf"


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["uai", "siret"])
def test_join_organisation_from_the_register(by):
    organisation = OrganisationFactory()
    membership = services.join_organisation(user("fay"), getattr(organisation, by).lower())
    assert membership.organisation == organisation and membership.is_admin


@pytest.mark.django_db
def test_join_organisation_not_in_register():
    with pytest.raises(MembershipError) as info:
        services.join_organisation(user("gus"), make_siret("98777777", "0001"))
    assert info.value.code == "not_in_register"


@pytest.mark.django_db
def test_only_an_admin_or_staff_accepts_and_removes():
    company = CompanyFactory()
    admin = services.join_company(user("hal"), company.siret)
    pending = services.join_company(user("ida"), company.siret)
    other = services.join_company(user("jo"), CompanyFactory().siret)  # admin of another company
    with pytest.raises(MembershipError):
        services.accept_member(pending, other.user)
    services.accept_member(pending, admin.user)
    pending.refresh_from_db()
    assert pending.status == "active" and pending.accepted_by == admin.user
    with pytest.raises(MembershipError) as info:
        services.remove_member(admin, user("staff", staff=True))
    assert info.value.code == "last_admin"
    services.remove_member(pending, admin.user)
    assert not Membership.objects.filter(pk=pending.pk).exists()

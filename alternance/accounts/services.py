"""Writes of accounts: joining a company or an organisation, accepting and removing members.

Each action is one transaction; errors are `MembershipError(code, message, field)` in French.
"""

from django.db import transaction
from django.utils import timezone

from alternance.companies.models import Company
from alternance.core.identifiers import siret_errors, uai_errors
from alternance.organisations import services as organisation_services
from alternance.organisations.models import Organisation, TrainingSite
from alternance.reference.models import Commune, NafCode

from . import rules
from .models import ApiKey, Membership, Scope


class MembershipError(Exception):
    def __init__(self, code: str, message: str, field: str = ""):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def _clean_siret(siret: str) -> str:
    siret = (siret or "").replace(" ", "")
    errors = siret_errors(siret)
    if errors:
        raise MembershipError("invalid_siret", errors[0], "siret")
    return siret


def _join(user, **target) -> Membership:
    existing = Membership.objects.filter(user=user, **target).first()
    if existing:
        return existing
    count = Membership.objects.select_for_update().filter(**target).active().count()
    role, status = rules.first_member_role(count)
    now = timezone.now()
    return Membership.objects.create(
        user=user, role=role, status=status, accepted_at=now if status == "active" else None, **target
    )


def find_or_create_company(siret: str, *, name: str = "", naf_code: str = "", commune_insee: str = "") -> Company:
    """The company of this SIRET (Luhn, La Poste rule): found in the platform's data, or created with its NAF,
    name and commune when unknown (asked, never invented). A NAF 85 (education) body is refused: CFA path."""
    siret = _clean_siret(siret)
    company = Company.objects.select_related("naf").filter(siret=siret).first()
    if company is None:
        naf_code = (naf_code or "").strip().upper()
        if not naf_code:
            raise MembershipError(
                "naf_required",
                "Cette entreprise n'est pas encore connue de la plateforme : indiquez son code NAF (APE), "
                "par exemple « 10.71C », tel qu'il figure sur son avis de situation SIRENE.",
                "naf_code",
            )
        naf = NafCode.objects.filter(code=naf_code).first()
        if naf is None:
            raise MembershipError(
                "unknown_naf",
                f"Le code NAF « {naf_code} » n'existe pas : saisissez-le sous la forme « 10.71C ».",
                "naf_code",
            )
        if rules.is_education(naf.code):
            raise MembershipError(
                "education_naf",
                "Ce code NAF est celui de l'enseignement (division 85) : un organisme de formation se rattache "
                "depuis l'espace CFA, pas comme employeur.",
                "naf_code",
            )
        commune = Commune.objects.filter(insee=(commune_insee or "").strip()).first()
        if commune is None or commune.lat is None:
            raise MembershipError(
                "commune_required", "Indiquez la commune de l'établissement (code INSEE à 5 caractères).", "commune"
            )
        if not (name or "").strip():
            raise MembershipError("name_required", "Indiquez le nom de l'établissement.", "name")
        company = Company.objects.create(
            siret=siret, name=name.strip()[:255], naf=naf, commune=commune, lat=commune.lat, lon=commune.lon
        )
    elif rules.is_education(company.naf_id):
        raise MembershipError(
            "education_naf",
            "Cet établissement relève de l'enseignement (NAF division 85) : rattachez-vous depuis l'espace CFA.",
            "siret",
        )
    return company


@transaction.atomic
def join_company(user, siret: str, *, name: str = "", naf_code: str = "", commune_insee: str = "") -> Membership:
    """Join the company of this SIRET (find_or_create_company); the first member administers it."""
    company = find_or_create_company(siret, name=name, naf_code=naf_code, commune_insee=commune_insee)
    return _join(user, company=company)


@transaction.atomic
def join_organisation(user, identifier: str) -> Membership:
    """Join a training organisation of the register, named by its UAI or its SIRET."""
    identifier = (identifier or "").replace(" ", "").upper()
    if len(identifier) == 8:
        errors = uai_errors(identifier)
        if errors:
            raise MembershipError("invalid_uai", errors[0], "identifier")
        found = Organisation.objects.filter(uai=identifier)
    else:
        found = Organisation.objects.filter(siret=_clean_siret(identifier))
    organisation = found.order_by("id").first()
    if organisation is None:
        raise MembershipError(
            "not_in_register",
            "Aucun organisme du registre ne porte cet UAI ou ce SIRET : vérifiez-le sur la page « Organismes de "
            "formation ».",
            "identifier",
        )
    return _join(user, organisation=organisation)


def _check_manager(membership: Membership, by) -> None:
    target = (
        {"company": membership.company_id} if membership.company_id else {"organisation": membership.organisation_id}
    )
    mine = Membership.objects.filter(user=by, **target).first()
    if not rules.can_manage(
        is_staff=by.is_staff, role=mine.role if mine else None, status=mine.status if mine else None
    ):
        raise MembershipError("forbidden", "Seul un administrateur peut accepter ou retirer des membres.")


@transaction.atomic
def accept_member(membership: Membership, by) -> Membership:
    _check_manager(membership, by)
    membership.status, membership.accepted_at, membership.accepted_by = "active", timezone.now(), by
    membership.save(update_fields=["status", "accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def remove_member(membership: Membership, by) -> None:
    """Remove a member; the last active administrator cannot be removed (nobody could accept others)."""
    _check_manager(membership, by)
    target = (
        {"company": membership.company_id} if membership.company_id else {"organisation": membership.organisation_id}
    )
    if membership.is_admin and Membership.objects.filter(**target).admins().count() <= 1:
        raise MembershipError(
            "last_admin", "Le dernier administrateur ne peut pas être retiré : nommez-en un autre d'abord."
        )
    membership.delete()


PROFILE_FIELDS = ("contact_email", "description", "website", "accessible_disability")


@transaction.atomic
def update_company_profile(company: Company, by, **values) -> Company:
    """The company's public profile (contact address for applications, description, website, welcomes
    apprentices with disabilities), written by an active member or staff."""
    membership = Membership.objects.filter(user=by, company=company).first()
    if not rules.can_act(is_staff=by.is_staff, status=membership.status if membership else None):
        raise MembershipError("forbidden", "Seuls les membres de l'entreprise modifient sa fiche.")
    for name in PROFILE_FIELDS:
        if name in values:
            setattr(company, name, values[name])
    company.save(update_fields=[*PROFILE_FIELDS, "updated_at"])
    return company


# ---------------------------------------------------------------------------------------------- CFA space
def _organisation_membership(organisation: Organisation, by) -> Membership | None:
    return Membership.objects.filter(user=by, organisation=organisation).first()


def _check_member(organisation: Organisation, by, *, admin: bool, message: str) -> None:
    mine = _organisation_membership(organisation, by)
    role, status = (mine.role, mine.status) if mine else (None, None)
    allowed = (
        rules.can_manage(is_staff=by.is_staff, role=role, status=status)
        if admin
        else rules.can_act(is_staff=by.is_staff, status=status)
    )
    if not allowed:
        raise MembershipError("forbidden", message)


def declare_organisation_contact(organisation: Organisation, by, values: dict) -> list[str]:
    """An active member (or staff) declares the organisation's contact details: facts of source
    « déclaration de l'organisme » (organisations.services.declare_contact), dated and signed by the member."""
    _check_member(organisation, by, admin=False, message="Seuls les membres de l'organisme corrigent sa fiche.")
    return organisation_services.declare_contact(organisation, values, declared_by=by)


def declare_organisation_site(organisation: Organisation, by, **site) -> TrainingSite:
    """An active member (or staff) declares a training site of the organisation."""
    _check_member(organisation, by, admin=False, message="Seuls les membres de l'organisme corrigent sa fiche.")
    return organisation_services.declare_site(organisation, declared_by=by, **site)


KEY_NAME_MAX = 100


@transaction.atomic
def issue_organisation_key(organisation: Organisation, by, name: str) -> tuple[ApiKey, str]:
    """A key of scope `enrolments` bound to the organisation, for its own software; only its administrators
    (or staff) issue one. The clear secret is returned once, never stored."""
    _check_member(
        organisation, by, admin=True, message="Seul un administrateur de l'organisme crée ou révoque ses clés."
    )
    name = " ".join((name or "").split())
    if not name:
        raise MembershipError("name_required", "Donnez un nom à la clé, par exemple celui de votre logiciel.", "name")
    if len(name) > KEY_NAME_MAX:
        raise MembershipError(
            "name_too_long", f"Le nom de la clé dépasse {KEY_NAME_MAX} caractères : raccourcissez-le.", "name"
        )
    return ApiKey.issue(name, [Scope.ENROLMENTS], organisation=organisation)


@transaction.atomic
def revoke_organisation_key(key: ApiKey, by) -> ApiKey:
    """Revoke one of the organisation's keys (its administrators or staff): the API refuses it at once."""
    if key.organisation_id is None:
        raise MembershipError("forbidden", "Cette clé n'appartient à aucun organisme.")
    _check_member(
        key.organisation, by, admin=True, message="Seul un administrateur de l'organisme crée ou révoque ses clés."
    )
    key.revoke()
    return key

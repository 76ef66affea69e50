"""Offers posted by people: a company's members, or a CFA's members under a mandate from a partner company;
and the reminder to the members 7 days before an offer expires.

Memberships decide who may post (rules.can_act); the offer itself is written by alternance.offers.services.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alternance.offers import services as offer_services
from alternance.offers.models import Offer, Recipient
from alternance.offers.workflow import OfferStatus

from . import rules
from .models import Membership
from .services import MembershipError, find_or_create_company

EXPIRY_REMINDER_BEFORE = dt.timedelta(days=7)
"""The members are reminded 7 days before their offer expires (issue 10), once per expiry date."""


def _check_member(user, **target) -> None:
    membership = Membership.objects.filter(user=user, **target).first()
    if not rules.can_act(is_staff=user.is_staff, status=membership.status if membership else None):
        raise MembershipError("forbidden", "Seuls les membres actifs publient des offres.")


def post_for_company(user, company, **draft) -> Offer:
    """A draft for the user's own company (rome, appellation, title, commune)."""
    _check_member(user, company=company)
    return offer_services.create_draft(company, by=user, **draft)


@transaction.atomic
def post_under_mandate(
    user, organisation, *, siret: str, mandate: bool, recipient: str, name: str = "", naf_code: str = "",
    commune_insee: str = "", contact_email: str = "", **draft,
) -> Offer:  # fmt: skip
    """A CFA posts for a partner company: the company named by SIRET (found, or created with its NAF as when
    joining), the mandate confirmed, the recipient of the applications chosen (company or CFA)."""
    _check_member(user, organisation=organisation)
    if not mandate:
        raise MembershipError(
            "mandate_required",
            "Cochez la case qui confirme que l'entreprise vous a confié la publication de cette offre.",
            "mandate",
        )
    if recipient not in Recipient.values:
        raise MembershipError("invalid_recipient", "Choisissez qui reçoit les candidatures.", "recipient")
    company = find_or_create_company(siret, name=name, naf_code=naf_code, commune_insee=commune_insee)
    contact_email = (contact_email or "").strip().lower()
    if recipient == Recipient.ORGANISATION and not organisation.contact_email:
        raise MembershipError(
            "organisation_unreachable",
            "Votre organisme n'a pas encore d'adresse de contact sur la plateforme : choisissez que l'entreprise "
            "reçoive les candidatures, ou renseignez d'abord l'adresse de l'organisme.",
            "recipient",
        )
    if recipient == Recipient.COMPANY and not company.contact_email:
        if not contact_email:
            raise MembershipError(
                "company_unreachable",
                "L'entreprise n'a pas d'adresse qui reçoit les candidatures : saisissez-la (format nom@domaine.fr).",
                "contact_email",
            )
        company.contact_email = contact_email
        company.save(update_fields=["contact_email", "updated_at"])
    return offer_services.create_draft(company, by=user, delegated_by=organisation, recipient=recipient, **draft)


def members_to_remind(offer: Offer) -> list[str]:
    """E-mail addresses of the active members of the offer's company and, under a mandate, of the CFA."""
    who = Q(company_id=offer.company_id)
    if offer.delegated_by_id:
        who |= Q(organisation_id=offer.delegated_by_id)
    emails = Membership.objects.active().filter(who).exclude(user__email="").values_list("user__email", flat=True)
    return sorted(set(emails))


def send_offer_expiry_reminders(now: dt.datetime | None = None) -> int:
    """Queue one reminder per published offer expiring within 7 days, once per expiry date (an extension
    moves the date: the next one is reminded again). Returns the number of offers reminded."""
    from .tasks import send_offer_expiry_reminder

    now = now or timezone.now()
    due = Offer.objects.filter(
        status=OfferStatus.PUBLISHED, expires_at__gt=now, expires_at__lte=now + EXPIRY_REMINDER_BEFORE, is_demo=False
    )
    count = 0
    for pk, expires_at in due.values_list("pk", "expires_at"):
        with transaction.atomic():
            claimed = (
                Offer.objects.filter(pk=pk, expires_at=expires_at)
                .filter(Q(expiry_reminded_for__isnull=True) | ~Q(expiry_reminded_for=expires_at))
                .update(expiry_reminded_for=expires_at)
            )
            if claimed:
                transaction.on_commit(lambda pk=pk: send_offer_expiry_reminder.enqueue(pk))
                count += 1
    return count

"""Background tasks of accounts (Django's tasks framework; ImmediateBackend in tests)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alternance.offers.models import Offer
from alternance.offers.workflow import OfferStatus
from alternance.search.scoring import date_fr

from .postings import members_to_remind


def manage_url(offer: Offer) -> str:
    """The offer's management page, in the space of the CFA for a mandate, else of the company."""
    if offer.delegated_by_id and not offer.company.memberships.active().exists():
        path = reverse("offers:organisation_offer", args=[offer.delegated_by_id, offer.pk])
    else:
        path = reverse("offers:company_offer", args=[offer.company.siret, offer.pk])
    return settings.SITE_URL + path


@task()
def send_offer_expiry_reminder(offer_id: int) -> int:
    """Tell the members that the offer expires in 7 days and how to extend it; returns the messages sent.
    Nothing is sent if the offer was closed or extended meanwhile (the reminder is for one expiry date)."""
    offer = Offer.objects.select_related("company", "delegated_by").filter(pk=offer_id).first()
    if offer is None or offer.status != OfferStatus.PUBLISHED or offer.expires_at != offer.expiry_reminded_for:
        return 0
    context = {
        "offer": offer,
        "expires_on": date_fr(timezone.localdate(offer.expires_at)),
        "manage_url": manage_url(offer),
        "applications": offer.applications_count,
        "site_url": settings.SITE_URL,
    }
    subject = f"Votre offre « {offer.title} » expire le {context['expires_on']}"
    text = render_to_string("accounts/emails/offer_expiry.txt", context)
    html = render_to_string("accounts/emails/offer_expiry.html", context)
    sent = 0
    for address in members_to_remind(offer):
        message = EmailMultiAlternatives(subject, text, to=[address], headers={"Auto-Submitted": "auto-generated"})
        message.attach_alternative(html, "text/html")
        sent += message.send()
    return sent

"""Writes on offers: one action function per lifecycle transition (table in workflow.py).

Each action runs in one transaction, locks the offer row (select_for_update), checks the transition
against the table, applies it and bumps updated_at. A forbidden transition raises InvalidTransition.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .models import Offer
from .workflow import TRANSITIONS, InvalidTransition, OfferStatus, OfferTransition, next_status

VALIDITY = dt.timedelta(days=60)
"""How long a publication or an extension lasts by default."""

MAX_LIFETIME = dt.timedelta(days=365)
"""An offer cannot be extended past one year after its first publication."""


class ExtensionLimitReached(InvalidTransition):
    """The offer already runs until one year after its first publication."""

    def __init__(self, status: str, limit: dt.datetime):
        super().__init__(status, OfferTransition.EXTEND)
        self.limit = limit
        self.args = (
            "Cette offre ne peut plus être prolongée : une offre reste en ligne au plus un an après sa première "
            "publication. Publiez une nouvelle offre si le poste est toujours à pourvoir.",
        )


def _offer_id(offer: Offer | int) -> int:
    return offer.pk if isinstance(offer, Offer) else int(offer)


def _apply(offer: Offer | int, transition: OfferTransition, now: dt.datetime | None, change=None) -> Offer:
    """Lock the row, move it along the transition table, let `change` set dates, save."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=_offer_id(offer))
        target = next_status(locked.status, transition)
        fields = {"status"}
        if change is not None:
            fields |= change(locked, now)
        locked.status = target
        locked.save(update_fields=sorted(fields | {"updated_at"}))
    if isinstance(offer, Offer):
        offer.refresh_from_db()
    return locked


def publish(offer: Offer | int, now: dt.datetime | None = None, validity: dt.timedelta = VALIDITY) -> Offer:
    """Publish a draft: visible from now until now + validity (60 days by default)."""

    def change(o, now):
        o.published_at = now
        o.expires_at = now + validity
        return {"published_at", "expires_at"}

    return _apply(offer, OfferTransition.PUBLISH, now, change)


def pause(offer: Offer | int, now: dt.datetime | None = None) -> Offer:
    """Hide a published offer for a while; its expiry date keeps running."""
    return _apply(offer, OfferTransition.PAUSE, now)


def resume(offer: Offer | int, now: dt.datetime | None = None) -> Offer:
    """Show a paused offer again (until its expiry date; extend it if that date has passed)."""
    return _apply(offer, OfferTransition.RESUME, now)


def fill(offer: Offer | int, now: dt.datetime | None = None) -> Offer:
    """The position is filled: the offer leaves the search results for good."""
    return _apply(offer, OfferTransition.FILL, now)


def expire(offer: Offer | int, now: dt.datetime | None = None) -> Offer:
    """End the publication now (or record that its expiry date has passed)."""

    def change(o, now):
        if o.expires_at is None or o.expires_at > now:
            o.expires_at = now
            return {"expires_at"}
        return set()

    return _apply(offer, OfferTransition.EXPIRE, now, change)


def extend(offer: Offer | int, now: dt.datetime | None = None, validity: dt.timedelta = VALIDITY) -> Offer:
    """Extend by `validity` (60 days) from the later of now and the expiry date, capped at one year after
    the first publication; raises ExtensionLimitReached when the cap leaves nothing to extend."""

    def change(o, now):
        first = o.published_at or now
        limit = first + MAX_LIFETIME
        start = max(now, o.expires_at or now)
        new_expiry = min(start + validity, limit)
        if new_expiry <= now or (o.expires_at is not None and new_expiry <= o.expires_at):
            raise ExtensionLimitReached(o.status, limit)
        o.expires_at = new_expiry
        fields = {"expires_at"}
        if o.published_at is None:
            o.published_at = now
            fields.add("published_at")
        return fields

    return _apply(offer, OfferTransition.EXTEND, now, change)


def cancel(offer: Offer | int, now: dt.datetime | None = None) -> Offer:
    """Withdraw an offer that will not be filled through the platform."""
    return _apply(offer, OfferTransition.CANCEL, now)


ACTIONS = {
    OfferTransition.PUBLISH: publish,
    OfferTransition.PAUSE: pause,
    OfferTransition.RESUME: resume,
    OfferTransition.FILL: fill,
    OfferTransition.EXPIRE: expire,
    OfferTransition.EXTEND: extend,
    OfferTransition.CANCEL: cancel,
}


def apply_transition(offer: Offer | int, transition: str, now: dt.datetime | None = None) -> Offer:
    """Dispatch a transition by name (as the delivery layers receive it)."""
    return ACTIONS[OfferTransition(transition)](offer, now=now)


def expire_overdue(now: dt.datetime | None = None) -> int:
    """Expire, in one statement, every published or paused offer whose expiry date has passed; returns the count."""
    now = now or timezone.now()
    sources = TRANSITIONS[OfferTransition.EXPIRE][0]
    return Offer.objects.filter(status__in=[s.value for s in sources], expires_at__lte=now).update(
        status=OfferStatus.EXPIRED, updated_at=timezone.now()
    )

"""Writes on offers: creating and editing a posting, one action function per lifecycle transition (table
in workflow.py).

Each action runs in one transaction, locks the offer row (select_for_update), checks the transition
against the table, applies it, bumps updated_at (the search index follows it) and writes an
OfferStatusChange (from, to, who, when, why). A forbidden transition raises InvalidTransition.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import rules
from .models import Offer, OfferStatusChange, Recipient
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


def _apply(
    offer: Offer | int, transition: OfferTransition, now: dt.datetime | None, change=None, by=None, reason: str = ""
) -> Offer:
    """Lock the row, move it along the transition table, let `change` set dates, save, keep the history."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=_offer_id(offer))
        before = locked.status
        target = next_status(locked.status, transition)
        fields = {"status"}
        if change is not None:
            fields |= change(locked, now)
        locked.status = target
        locked.save(update_fields=sorted(fields | {"updated_at"}))
        OfferStatusChange.objects.create(
            offer=locked, transition=transition, from_status=before, to_status=target, by=by,
            reason=(reason or "").strip()[:255], at=now,
        )  # fmt: skip
    if isinstance(offer, Offer):
        offer.refresh_from_db()
    return locked


def publish(
    offer: Offer | int, now: dt.datetime | None = None, validity: dt.timedelta = VALIDITY, by=None, reason=""
) -> Offer:
    """Publish a draft: visible from now until now + validity (60 days by default)."""

    def change(o, now):
        o.published_at = now
        o.expires_at = now + validity
        return {"published_at", "expires_at"}

    return _apply(offer, OfferTransition.PUBLISH, now, change, by, reason)


def pause(offer: Offer | int, now: dt.datetime | None = None, by=None, reason: str = "") -> Offer:
    """Hide a published offer for a while; its expiry date keeps running."""
    return _apply(offer, OfferTransition.PAUSE, now, by=by, reason=reason)


def resume(offer: Offer | int, now: dt.datetime | None = None, by=None, reason: str = "") -> Offer:
    """Show a paused offer again (until its expiry date; extend it if that date has passed)."""
    return _apply(offer, OfferTransition.RESUME, now, by=by, reason=reason)


def fill(offer: Offer | int, now: dt.datetime | None = None, by=None, reason: str = "") -> Offer:
    """The position is filled: the offer leaves the search results for good."""
    return _apply(offer, OfferTransition.FILL, now, by=by, reason=reason)


def expire(offer: Offer | int, now: dt.datetime | None = None, by=None, reason: str = "") -> Offer:
    """End the publication now (or record that its expiry date has passed)."""

    def change(o, now):
        if o.expires_at is None or o.expires_at > now:
            o.expires_at = now
            return {"expires_at"}
        return set()

    return _apply(offer, OfferTransition.EXPIRE, now, change, by, reason)


def extend(
    offer: Offer | int, now: dt.datetime | None = None, validity: dt.timedelta = VALIDITY, by=None, reason=""
) -> Offer:
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

    return _apply(offer, OfferTransition.EXTEND, now, change, by, reason)


def cancel(offer: Offer | int, now: dt.datetime | None = None, by=None, reason: str = "") -> Offer:
    """Withdraw an offer that will not be filled through the platform."""
    return _apply(offer, OfferTransition.CANCEL, now, by=by, reason=reason)


ACTIONS = {
    OfferTransition.PUBLISH: publish,
    OfferTransition.PAUSE: pause,
    OfferTransition.RESUME: resume,
    OfferTransition.FILL: fill,
    OfferTransition.EXPIRE: expire,
    OfferTransition.EXTEND: extend,
    OfferTransition.CANCEL: cancel,
}


def apply_transition(
    offer: Offer | int, transition: str, now: dt.datetime | None = None, by=None, reason: str = ""
) -> Offer:
    """Dispatch a transition by name (as the delivery layers receive it)."""
    return ACTIONS[OfferTransition(transition)](offer, now=now, by=by, reason=reason)


def expire_overdue(now: dt.datetime | None = None) -> int:
    """Expire, in one statement, every published or paused offer whose expiry date has passed; returns the count."""
    now = now or timezone.now()
    sources = TRANSITIONS[OfferTransition.EXPIRE][0]
    with transaction.atomic():
        overdue = list(
            Offer.objects.select_for_update()
            .filter(status__in=[s.value for s in sources], expires_at__lte=now)
            .values_list("pk", "status")
        )
        if not overdue:
            return 0
        count = Offer.objects.filter(pk__in=[pk for pk, _ in overdue]).update(
            status=OfferStatus.EXPIRED, updated_at=timezone.now()
        )
        OfferStatusChange.objects.bulk_create(
            OfferStatusChange(
                offer_id=pk,
                transition=OfferTransition.EXPIRE,
                from_status=status,
                to_status=OfferStatus.EXPIRED,
                reason="Date d'expiration atteinte",
                at=now,
            )  # fmt: skip
            for pk, status in overdue
        )
    return count


# ---------------------------------------------------------------------------------------------- postings
EDITABLE_FIELDS = (
    "rome", "appellation", "title", "commune", "lat", "lon", "diploma_level", "start_date", "start_asap",
    "duration_months", "openings", "rhythm", "description", "questions", "accessible_disability",
)  # fmt: skip
"""What a recruiter writes in the posting steps; status and dates only move through the transitions."""
EDITABLE_STATUSES = frozenset({OfferStatus.DRAFT, OfferStatus.PUBLISHED, OfferStatus.PAUSED})


class OfferIncomplete(Exception):
    """The posting breaks rules.posting_errors: {field: French message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class OfferNotEditable(InvalidTransition):
    def __init__(self, status: str):
        super().__init__(status, "edit")
        self.args = ("Cette offre est close (pourvue, expirée ou annulée) : elle ne se modifie plus.",)


def posting_values(offer: Offer) -> dict:
    return {name: getattr(offer, f"{name}_id" if name in ("rome", "appellation", "commune") else name)
            for name in EDITABLE_FIELDS}  # fmt: skip


def create_draft(
    company, *, rome, commune=None, appellation=None, title: str = "", by=None, delegated_by=None,
    recipient: str = Recipient.COMPANY, now: dt.datetime | None = None,
) -> Offer:  # fmt: skip
    """A new draft for this company (or for it by a CFA under a mandate: delegated_by, recipient); the place
    is the company's commune unless another is chosen."""
    now = now or timezone.now()
    commune = commune or company.commune
    lat, lon = (company.lat, company.lon) if commune.pk == company.commune_id else (commune.lat, commune.lon)
    if delegated_by is None:
        recipient = Recipient.COMPANY
    with transaction.atomic():
        offer = Offer.objects.create(
            company=company, rome=rome, appellation=appellation, title=(title or rome.label)[:255],
            commune=commune, lat=lat, lon=lon, status=OfferStatus.DRAFT, created_by=by,
            delegated_by=delegated_by, recipient=recipient, description="", questions=[],
        )  # fmt: skip
        OfferStatusChange.objects.create(
            offer=offer, transition="create", from_status="", to_status=OfferStatus.DRAFT, by=by, at=now
        )
    return offer


def update_posting(offer: Offer | int, values: dict, by=None) -> Offer:
    """Write the posting fields given (a draft, or a published or paused offer: the search follows the change
    within its freshness delay). Only the fields of EDITABLE_FIELDS are taken."""
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=_offer_id(offer))
        if locked.status not in EDITABLE_STATUSES:
            raise OfferNotEditable(locked.status)
        fields = set()
        for name, value in values.items():
            if name not in EDITABLE_FIELDS:
                continue
            if name == "questions":
                value = [q.strip() for q in value if q and q.strip()][: rules.MAX_QUESTIONS]
            if name == "commune" and value is not None:
                same = value.pk == locked.company.commune_id
                locked.lat, locked.lon = (locked.company.lat, locked.company.lon) if same else (value.lat, value.lon)
                fields |= {"lat", "lon"}
            setattr(locked, name, value)
            fields.add(name)
        if locked.start_asap:
            locked.start_date = None
            fields.add("start_date")
        if fields:
            locked.save(update_fields=sorted(fields | {"updated_at"}))
    if isinstance(offer, Offer):
        offer.refresh_from_db()
    return locked


def submit(offer: Offer | int, by=None, now: dt.datetime | None = None) -> Offer:
    """« Publier »: every posting rule is checked (OfferIncomplete otherwise), then the draft is published
    for 60 days."""
    now = now or timezone.now()
    current = Offer.objects.get(pk=_offer_id(offer))
    errors = rules.posting_errors(posting_values(current), timezone.localdate(now))
    if errors:
        raise OfferIncomplete(errors)
    published = publish(current, now=now, by=by)
    if isinstance(offer, Offer):
        offer.refresh_from_db()
    return published

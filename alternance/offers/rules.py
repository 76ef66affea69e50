"""What an offer's page says about it and whether it takes applications (pure, no database)."""

import datetime as dt
from dataclasses import dataclass

from .workflow import OfferStatus

MAX_APPLICATIONS = 80
"""An offer takes at most 80 applications (issue 9: popular offers must not be flooded); then it is complete."""

PUBLIC_STATUSES = frozenset(
    {OfferStatus.PUBLISHED, OfferStatus.PAUSED, OfferStatus.FILLED, OfferStatus.EXPIRED, OfferStatus.CANCELLED}
)
"""Statuses whose page is public: every offer once published keeps its address (a draft has none)."""


@dataclass(frozen=True)
class Availability:
    """Whether the offer takes applications now; `state` is stable for machines, `notice` is for people."""

    state: str  # open, complete, paused, filled, expired, closed
    accepts_applications: bool
    notice: str


NOTICES = {
    "open": "",
    "complete": (
        "Cette offre a reçu {count} candidatures, le maximum : elle est complète et n'en reçoit plus. "
        "Voici des offres proches pour le même métier."
    ),
    "paused": "L'entreprise a suspendu cette offre : elle ne reçoit pas de candidature pour l'instant.",
    "filled": "Cette offre est pourvue : l'entreprise a trouvé son apprenti ou son apprentie.",
    "expired": "Cette offre a expiré : elle ne reçoit plus de candidature.",
    "closed": "L'entreprise a retiré cette offre : elle ne reçoit plus de candidature.",
}


def availability(
    status: str, expires_at: dt.datetime | None, applications_count: int, now: dt.datetime
) -> Availability:
    """The offer's state for a candidate: published, not past its expiry date and under MAX_APPLICATIONS is open."""
    status = OfferStatus(status)
    if status == OfferStatus.PUBLISHED and expires_at is not None and expires_at <= now:
        state = "expired"
    elif status == OfferStatus.PUBLISHED:
        state = "complete" if applications_count >= MAX_APPLICATIONS else "open"
    else:
        state = {
            OfferStatus.PAUSED: "paused",
            OfferStatus.FILLED: "filled",
            OfferStatus.EXPIRED: "expired",
        }.get(status, "closed")
    return Availability(state, state == "open", NOTICES[state].format(count=applications_count))

"""Lifecycle of an apprenticeship offer: an explicit transition table (pure, no database)."""

from enum import StrEnum


class OfferStatus(StrEnum):
    DRAFT = "brouillon"
    PUBLISHED = "publiee"
    PAUSED = "suspendue"
    FILLED = "pourvue"
    EXPIRED = "expiree"
    CANCELLED = "annulee"


class OfferTransition(StrEnum):
    PUBLISH = "publish"
    PAUSE = "pause"
    RESUME = "resume"
    FILL = "fill"
    EXPIRE = "expire"
    EXTEND = "extend"
    CANCEL = "cancel"


TRANSITIONS: dict[OfferTransition, tuple[frozenset[OfferStatus], OfferStatus]] = {
    OfferTransition.PUBLISH: (frozenset({OfferStatus.DRAFT}), OfferStatus.PUBLISHED),
    OfferTransition.PAUSE: (frozenset({OfferStatus.PUBLISHED}), OfferStatus.PAUSED),
    OfferTransition.RESUME: (frozenset({OfferStatus.PAUSED}), OfferStatus.PUBLISHED),
    OfferTransition.FILL: (frozenset({OfferStatus.PUBLISHED, OfferStatus.PAUSED}), OfferStatus.FILLED),
    OfferTransition.EXPIRE: (frozenset({OfferStatus.PUBLISHED, OfferStatus.PAUSED}), OfferStatus.EXPIRED),
    OfferTransition.EXTEND: (frozenset({OfferStatus.EXPIRED, OfferStatus.PUBLISHED}), OfferStatus.PUBLISHED),
    OfferTransition.CANCEL: (
        frozenset({OfferStatus.DRAFT, OfferStatus.PUBLISHED, OfferStatus.PAUSED}),
        OfferStatus.CANCELLED,
    ),
}

SEARCHABLE = frozenset({OfferStatus.PUBLISHED})


class InvalidTransition(Exception):
    def __init__(self, status: str, transition: str):
        self.status, self.transition = status, transition
        super().__init__(f"Transition « {transition} » impossible depuis le statut « {status} ».")


def next_status(status: str, transition: str) -> OfferStatus:
    sources, target = TRANSITIONS[OfferTransition(transition)]
    if OfferStatus(status) not in sources:
        raise InvalidTransition(status, transition)
    return target

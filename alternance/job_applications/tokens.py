"""Signed links, without passwords: a candidate's follow-up page, a recruiter's or CFA's answer page, a CV.

Each link carries a token made by django.core.signing.TimestampSigner with its own salt (a token for one
purpose is worthless for another) and expires (rules.*_MAX_AGE). Tokens hold a random public id or the
keyed digest of an e-mail address, never a database id nor an address in clear.
"""

import hmac
import uuid

from django.core import signing
from django.utils.crypto import salted_hmac

from . import rules

FOLLOW = "job_applications.follow"
ANSWER_APPLICATION = "job_applications.answer"
ANSWER_APPOINTMENT = "job_applications.appointment"
CV = "job_applications.cv"

MAX_AGES = {
    FOLLOW: rules.FOLLOW_LINK_MAX_AGE,
    ANSWER_APPLICATION: rules.ANSWER_LINK_MAX_AGE,
    ANSWER_APPOINTMENT: rules.ANSWER_LINK_MAX_AGE,
    CV: rules.CV_LINK_MAX_AGE,
}


class BadLink(Exception):
    """A link that is tampered with, expired, or made for something else."""

    def __init__(self, expired: bool = False):
        self.expired = expired
        super().__init__("Ce lien a expiré." if expired else "Ce lien n'est pas valide.")


def email_digest(email: str) -> str:
    """Keyed digest of a normalised e-mail address: links a candidate's requests without storing it twice."""
    return salted_hmac("job_applications.email", email.strip().lower(), algorithm="sha256").hexdigest()


def make(purpose: str, value: str) -> str:
    return signing.TimestampSigner(salt=purpose).sign(value)


def read(purpose: str, token: str, max_age: int | None = None) -> str:
    try:
        return signing.TimestampSigner(salt=purpose).unsign(token, max_age=max_age or MAX_AGES[purpose])
    except signing.SignatureExpired as exc:
        raise BadLink(expired=True) from exc
    except signing.BadSignature as exc:
        raise BadLink() from exc


def follow_token(digest: str) -> str:
    return make(FOLLOW, digest)


def read_follow(token: str) -> str:
    return read(FOLLOW, token)


def object_token(purpose: str, public_id: uuid.UUID) -> str:
    return make(purpose, public_id.hex)


def check_object(purpose: str, token: str, public_id: uuid.UUID, max_age: int | None = None) -> None:
    """Raise BadLink unless `token` was made for this very object (another application's token is refused)."""
    value = read(purpose, token, max_age)
    if not hmac.compare_digest(value, public_id.hex):
        raise BadLink()

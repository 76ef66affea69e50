"""Nothing personal in logs: signed-link tokens are blanked, applications log no name nor address."""

import logging

from alternance.core.logfilters import REDACTED, RedactSignedTokens
from alternance.job_applications import tokens
from alternance.job_applications.tokens import email_digest


def test_signed_tokens_are_blanked_from_log_records():
    token = tokens.follow_token(email_digest("ines@example.org"))
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/mes-candidatures/{token}/",), None
    )
    RedactSignedTokens().filter(record)
    assert record.getMessage() == f"Not Found: /mes-candidatures/{REDACTED}/"


def test_the_console_handler_carries_the_filter():
    from django.conf import settings

    assert "redact_tokens" in settings.LOGGING["handlers"]["console"]["filters"]


def test_applying_logs_nothing_personal(caplog, db, ja_offer):
    from .helpers import apply

    with caplog.at_level(logging.DEBUG, logger="alternance"):
        apply(ja_offer, answers=["Oui."])
    text = caplog.text.lower()
    assert "ines" not in text and "martin" not in text and "example.org" not in text

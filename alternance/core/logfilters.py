"""Log filters: signed-link tokens (django.core.signing, « value:timestamp:signature ») never reach the logs.

A path such as /mes-candidatures/<token>/ is a key to a person's data: Django's request logging would
write it on a 404 or 403. RedactSignedTokens replaces every token in the message and its arguments.
"""

import logging
import re

TOKEN = re.compile(r"[0-9a-f]{32,64}:[0-9A-Za-z]{6}:[0-9A-Za-z_-]{43}")
REDACTED = "<lien-signé>"


def redact(text: str) -> str:
    return TOKEN.sub(REDACTED, text)


class RedactSignedTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True

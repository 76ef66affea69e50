"""A local mailbox for trying the platform without a mail server.

    EMAIL_BACKEND = "alternance.core.mailbox.MailboxBackend"   # each message -> MAILBOX_DIR/<time>-<n>.eml

`messages()` lists them (newest first) and `read(name)` parses one, for the /courriels/ page, which is
shown only when DEBUG, ALTERNANCE_LOCAL_MAILBOX=1 (set by `make run`) or to staff.
"""

import email
import email.policy
import itertools
import re
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

_counter = itertools.count()
NAME = re.compile(r"^[0-9]{13}-[0-9]+\.eml$")


def mailbox_dir() -> Path:
    return Path(settings.MAILBOX_DIR)


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = mailbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{int(time.time() * 1000):013d}-{next(_counter)}.eml"
            (folder / name).write_bytes(message.message().as_bytes())
            sent += 1
        return sent


@dataclass
class StoredMessage:
    name: str
    to: str
    subject: str
    date: str
    text: str
    html: str
    attachments: list[str]


def messages(limit: int = 100) -> list[str]:
    folder = mailbox_dir()
    if not folder.is_dir():
        return []
    return sorted((p.name for p in folder.iterdir() if NAME.match(p.name)), reverse=True)[:limit]


def read(name: str) -> StoredMessage | None:
    if not NAME.match(name):
        return None
    path = mailbox_dir() / name
    if not path.is_file():
        return None
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text = html = ""
    attachments = []
    for part in parsed.walk():
        if part.is_multipart():
            continue
        if part.get_filename():
            attachments.append(part.get_filename())
        elif part.get_content_type() == "text/plain" and not text:
            text = part.get_content()
        elif part.get_content_type() == "text/html" and not html:
            html = part.get_content()
    return StoredMessage(
        name=name,
        to=str(parsed["To"] or ""),
        subject=str(parsed["Subject"] or ""),
        date=str(parsed["Date"] or ""),
        text=text,
        html=html,
        attachments=attachments,
    )

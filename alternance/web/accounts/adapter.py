"""allauth's adapter: French e-mails sent after the transaction commits.

The confirmation and reset e-mails carry a secret link: they go through Django's mail backend (SMTP or the
local mailbox) at once, after commit, instead of a background task whose arguments would keep the link in
the task table.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        transaction.on_commit(message.send)

    def format_email_subject(self, subject):
        return subject.strip()

"""Staff see how e-mails went (address, kind, attempts, last error), never their content nor any CV.

Applications and appointment requests are not in the admin: their personal data and CVs are read only by
the people concerned, through signed links.
"""

from django.contrib import admin

from .models import EmailLog


@admin.register(EmailLog)
class EmailLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "to", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "kind")
    search_fields = ("to",)
    readonly_fields = [f.name for f in EmailLog._meta.fields]

    def has_add_permission(self, request):
        return False

from django.contrib import admin

from alternance.accounts.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "scopes", "organisation", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = ["digest", "created_at", "last_used_at"]
    raw_id_fields = ["organisation"]

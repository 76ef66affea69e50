from django.contrib import admin

from alternance.trainings.models import ImportReport, StatusChange, Training, TrainingSession


@admin.register(ImportReport)
class ImportReportAdmin(admin.ModelAdmin):
    list_display = ["id", "source", "filename", "lheo_version", "state", "started_at", "finished_at"]
    list_filter = ["state", "source"]
    readonly_fields = [f.name for f in ImportReport._meta.fields]


class SessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "rule", "reason", "actor", "changed_at"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "status_rule", "source", "external_id"]
    list_filter = ["status", "source", "status_rule"]
    search_fields = ["title", "external_id", "rncp_code"]
    raw_id_fields = ["organisation", "trainer", "site", "commune", "certification", "diploma", "last_import"]
    readonly_fields = ["status", "status_rule", "status_changed_at"]
    inlines = [SessionInline, StatusChangeInline]

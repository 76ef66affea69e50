from django.contrib import admin

from alternance.organisations.models import Organisation, OrganisationFact, TrainingSite


class FactInline(admin.TabularInline):
    model = OrganisationFact
    extra = 0


class SiteInline(admin.TabularInline):
    model = TrainingSite
    extra = 0
    raw_id_fields = ["commune"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "uai", "probable_uai", "uai_conflict", "nature", "quality_verdict"]
    list_filter = ["quality_verdict", "nature", "uai_conflict", "qualiopi"]
    search_fields = ["name", "siret", "uai"]
    raw_id_fields = ["commune"]
    inlines = [FactInline, SiteInline]

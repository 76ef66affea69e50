from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "alternance.organisations"
    label = "organisations"

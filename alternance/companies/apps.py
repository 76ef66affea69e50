from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "alternance.companies"
    label = "companies"

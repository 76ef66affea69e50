from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "alternance.contracts"
    label = "contracts"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "alternance.accounts"
    label = "accounts"

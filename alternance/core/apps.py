from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "alternance.core"
    label = "core"

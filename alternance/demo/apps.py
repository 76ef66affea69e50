from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "alternance.demo"
    label = "demo"
    verbose_name = "Données de démonstration"

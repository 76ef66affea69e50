from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "alternance.reference"
    label = "reference"

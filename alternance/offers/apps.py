from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "alternance.offers"
    label = "offers"

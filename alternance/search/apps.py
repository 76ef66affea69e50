from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "alternance.search"
    label = "search"

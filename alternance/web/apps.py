from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "alternance.web"
    label = "web"

from django.apps import AppConfig


class EnrolmentsConfig(AppConfig):
    name = "alternance.enrolments"
    label = "enrolments"
    verbose_name = "Inscriptions des apprentis"

from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "alternance.trainings"
    label = "trainings"

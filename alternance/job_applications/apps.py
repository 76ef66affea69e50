from django.apps import AppConfig


class JobApplicationsConfig(AppConfig):
    name = "alternance.job_applications"
    label = "job_applications"
    verbose_name = "Candidatures et demandes de rendez-vous"

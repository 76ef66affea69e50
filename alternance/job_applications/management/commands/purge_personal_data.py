from django.core.management.base import BaseCommand

from alternance.core.daily import SCHEDULE_HELP, scheduled_message
from alternance.job_applications import tasks
from alternance.job_applications.services import purge_expired


class Command(BaseCommand):
    help = (
        "Supprime définitivement (lignes et CV) les candidatures et demandes de rendez-vous sans activité "
        "depuis 2 ans. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help=SCHEDULE_HELP)

    def handle(self, *args, schedule=False, **options):
        if schedule:
            self.stdout.write(scheduled_message("La purge quotidienne des candidatures", tasks.schedule_purge()))
            return
        counts = purge_expired()
        self.stdout.write(
            f"{counts['applications']} candidature(s) et {counts['appointments']} demande(s) de rendez-vous supprimées."
        )

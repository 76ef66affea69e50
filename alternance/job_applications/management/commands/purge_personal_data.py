from django.core.management.base import BaseCommand

from alternance.job_applications.services import purge_expired


class Command(BaseCommand):
    help = (
        "Supprime définitivement (lignes et CV) les candidatures et demandes de rendez-vous sans activité "
        "depuis 2 ans. À lancer chaque jour."
    )

    def handle(self, *args, **options):
        counts = purge_expired()
        self.stdout.write(
            f"{counts['applications']} candidature(s) et {counts['appointments']} demande(s) de rendez-vous supprimées."
        )

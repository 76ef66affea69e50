from alternance.core.daily import DailyJobCommand
from alternance.job_applications import tasks
from alternance.job_applications.services import purge_expired


class Command(DailyJobCommand):
    help = (
        "Supprime définitivement (lignes et CV) les candidatures et demandes de rendez-vous sans activité "
        "depuis 2 ans. À lancer chaque jour."
    )

    schedule_label = "La purge quotidienne des candidatures"

    def plan(self):
        return tasks.schedule_purge()

    def run(self, **options):
        counts = purge_expired()
        self.stdout.write(
            f"{counts['applications']} candidature(s) et {counts['appointments']} demande(s) de rendez-vous supprimées."
        )

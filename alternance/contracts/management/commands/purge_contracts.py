"""Delete the contracts and drafts made without an account, 30 days after they were made (run it daily)."""

from alternance.contracts import tasks
from alternance.contracts.models import RETENTION_DAYS
from alternance.contracts.services import purge_expired
from alternance.core.daily import DailyJobCommand


class Command(DailyJobCommand):
    help = f"Supprime les contrats et brouillons faits sans compte, {RETENTION_DAYS} jours après leur création."

    schedule_label = "La purge quotidienne des contrats sans compte"

    def plan(self):
        return tasks.schedule()

    def run(self, **options):
        contracts, drafts = purge_expired()
        self.stdout.write(f"{contracts} contrat(s) et {drafts} brouillon(s) supprimé(s).")

"""Delete the contracts and drafts made without an account, 30 days after they were made (run it daily)."""

from django.core.management.base import BaseCommand

from alternance.contracts import tasks
from alternance.contracts.models import RETENTION_DAYS
from alternance.contracts.services import purge_expired
from alternance.core.daily import SCHEDULE_HELP, scheduled_message


class Command(BaseCommand):
    help = f"Supprime les contrats et brouillons faits sans compte, {RETENTION_DAYS} jours après leur création."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help=SCHEDULE_HELP)

    def handle(self, *args, schedule=False, **options):
        if schedule:
            self.stdout.write(scheduled_message("La purge quotidienne des contrats sans compte", tasks.schedule()))
            return
        contracts, drafts = purge_expired()
        self.stdout.write(f"{contracts} contrat(s) et {drafts} brouillon(s) supprimé(s).")

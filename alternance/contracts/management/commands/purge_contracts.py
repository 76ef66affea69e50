"""Delete the contracts and drafts made without an account, 30 days after they were made (run it daily)."""

from django.core.management.base import BaseCommand

from alternance.contracts.models import RETENTION_DAYS
from alternance.contracts.services import purge_expired


class Command(BaseCommand):
    help = f"Supprime les contrats et brouillons faits sans compte, {RETENTION_DAYS} jours après leur création."

    def handle(self, *args, **options):
        contracts, drafts = purge_expired()
        self.stdout.write(f"{contracts} contrat(s) et {drafts} brouillon(s) supprimé(s).")

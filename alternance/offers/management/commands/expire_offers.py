"""Expire published or paused offers whose expiry date has passed; --schedule plans it daily (core.daily)."""

from alternance.core.daily import DailyJobCommand
from alternance.offers import tasks
from alternance.offers.services import expire_overdue


class Command(DailyJobCommand):
    help = "Passe au statut « expirée » les offres dont la date d'expiration est dépassée."

    schedule_label = "L'expiration quotidienne des offres"

    def plan(self):
        return tasks.schedule()

    def run(self, **options):
        count = expire_overdue()
        self.stdout.write(f"{count} offre(s) expirée(s).")

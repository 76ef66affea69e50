"""Expire published or paused offers whose expiry date has passed (run it daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from alternance.offers.services import expire_overdue


class Command(BaseCommand):
    help = "Passe au statut « expirée » les offres dont la date d'expiration est dépassée."

    def handle(self, *args, **options):
        count = expire_overdue()
        self.stdout.write(f"{count} offre(s) expirée(s).")

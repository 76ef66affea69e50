"""manage.py schedule_reference_refresh: plan the monthly refresh of the referentials (idempotent)."""

from django.core.management.base import BaseCommand
from django.utils import formats

from alternance.reference.refresh import schedule


class Command(BaseCommand):
    help = "Planifie la mise à jour mensuelle des référentiels par le travailleur de tâches (db_worker)."

    def handle(self, *args, **options):
        refresh = schedule()
        when = formats.date_format(refresh.scheduled_for, "j F Y à H:i")
        self.stdout.write(f"Prochaine mise à jour des référentiels : {when} (manage.py db_worker l'exécutera).")

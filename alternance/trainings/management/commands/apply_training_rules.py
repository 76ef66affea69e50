"""python manage.py apply_training_rules: re-evaluate the publication rules (trainings.rules) on imported courses."""

from django.core.management.base import BaseCommand

from alternance.trainings.services import apply_rules_to_all


class Command(BaseCommand):
    help = (
        "Réapplique les règles de publication aux formations importées (après une modification des règles). "
        "Les décisions manuelles et les fermetures de formations absentes du flux sont conservées."
    )

    def handle(self, *args, **options):
        counts = apply_rules_to_all()
        for code, count in sorted(counts.items()):
            self.stdout.write(f"{code} : {count}")

"""python manage.py refresh_organisations: reconcile UAIs, derive natures and quality verdicts of the register."""

from django.core.management.base import BaseCommand

from alternance.organisations.models import Organisation
from alternance.trainings.register import national_quality, refresh_register


class Command(BaseCommand):
    help = (
        "Rapproche les UAI donnés par les sources pour chaque SIRET, déduit la nature des organismes du catalogue "
        "et recalcule leur verdict de qualité."
    )

    def handle(self, *args, **options):
        refresh_register()
        report = national_quality()
        verdicts = report["verdicts"]
        self.stdout.write(
            f"{report['organisations']} organismes : {verdicts['fiable']} fiables, "
            f"{verdicts['a_verifier']} à vérifier, "
            f"{verdicts['non_fiable']} non fiables ; "
            f"{Organisation.objects.filter(uai_conflict=True).count()} en conflit d'UAI."
        )

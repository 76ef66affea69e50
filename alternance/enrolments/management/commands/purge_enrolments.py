"""manage.py purge_enrolments [--years 3] [--dry-run] [--schedule]: delete the personal data of learners whose
course ended more than RETENTION_YEARS years ago; --schedule plans the daily purge task instead (core.daily)."""

from django.core.management.base import CommandError
from django.utils import formats, timezone

from alternance.core.daily import DailyJobCommand
from alternance.enrolments import services, tasks
from alternance.enrolments.models import Enrolment


def date_fr(day) -> str:
    """2027-03-01 -> « 1er mars 2027 »."""
    return f"{'1er' if day.day == 1 else day.day} {formats.date_format(day, 'F Y')}"


class Command(DailyJobCommand):
    help = "Supprime les inscriptions dont la formation s'est terminée il y a plus de 3 ans (ou --years)."

    schedule_label = "La purge quotidienne des inscriptions anciennes"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--years", type=int, default=services.RETENTION_YEARS)
        parser.add_argument("--dry-run", action="store_true", help="compter sans supprimer")

    def plan(self):
        return tasks.schedule()

    def run(self, *, years, dry_run, **options):
        if years < 1:
            raise CommandError("--years vaut 1 au moins.")
        cutoff = services.retention_cutoff(timezone.localdate(), years)
        if dry_run:
            count = Enrolment.objects.filter(course_end__lt=cutoff).count()
            self.stdout.write(
                f"Inscriptions à supprimer\u00a0: {count} (formation terminée avant le {date_fr(cutoff)})."
            )
            return
        count = services.purge_old_enrolments(years=years)
        self.stdout.write(f"Inscriptions supprimées\u00a0: {count} (formation terminée avant le {date_fr(cutoff)}).")

from django.core.management.base import BaseCommand

from alternance.core.daily import SCHEDULE_HELP, scheduled_message
from alternance.job_applications import tasks
from alternance.job_applications.services import send_reminders


class Command(BaseCommand):
    help = (
        "Rappels : une relance au recruteur ou au CFA après 7 jours sans réponse, un avis au candidat après "
        "30 jours ; recalcule les taux de réponse. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help=SCHEDULE_HELP)

    def handle(self, *args, schedule=False, **options):
        if schedule:
            self.stdout.write(scheduled_message("La relance quotidienne", tasks.schedule_reminders()))
            return
        counts = send_reminders()
        self.stdout.write(
            f"{counts['recruiter_reminders']} relance(s) de recruteurs, {counts['cfa_reminders']} relance(s) de CFA, "
            f"{counts['candidate_notices']} avis de non-réponse aux candidats."
        )

from alternance.accounts import tasks
from alternance.core.daily import DailyJobCommand


class Command(DailyJobCommand):
    help = (
        "Rappels : une relance au recruteur ou au CFA après 7 jours sans réponse, un avis au candidat après "
        "30 jours ; recalcule les taux de réponse ; prévient les membres 7 jours avant l'expiration de leurs "
        "offres. À lancer chaque jour."
    )

    schedule_label = "La relance quotidienne"

    def plan(self):
        return tasks.schedule_reminders()

    def run(self, **options):
        counts = tasks.daily_reminders()
        self.stdout.write(
            f"{counts['recruiter_reminders']} relance(s) de recruteurs, {counts['cfa_reminders']} relance(s) de CFA, "
            f"{counts['candidate_notices']} avis de non-réponse aux candidats, "
            f"{counts['offer_expiry_reminders']} rappel(s) d'expiration d'offres."
        )

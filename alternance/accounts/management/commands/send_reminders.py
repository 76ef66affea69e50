from django.core.management.base import BaseCommand

from alternance.accounts.postings import send_offer_expiry_reminders
from alternance.job_applications.services import send_reminders


class Command(BaseCommand):
    help = (
        "Rappels : une relance au recruteur ou au CFA après 7 jours sans réponse, un avis au candidat après "
        "30 jours ; recalcule les taux de réponse ; prévient les membres 7 jours avant l'expiration de leurs "
        "offres. À lancer chaque jour."
    )

    def handle(self, *args, **options):
        counts = send_reminders()
        offers = send_offer_expiry_reminders()
        self.stdout.write(
            f"{counts['recruiter_reminders']} relance(s) de recruteurs, {counts['cfa_reminders']} relance(s) de CFA, "
            f"{counts['candidate_notices']} avis de non-réponse aux candidats, "
            f"{offers} rappel(s) d'expiration d'offres."
        )

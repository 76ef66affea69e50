"""python manage.py clean_lheo_imports: mark dead LHEO runs « interrompu », undo what they wrote and delete the
files they left in LHEO_UPLOAD_DIR; --schedule plans it daily (core.daily)."""

from alternance.core.daily import DailyJobCommand
from alternance.trainings import tasks


class Command(DailyJobCommand):
    help = (
        "Marque « interrompu » les imports LHEO dont le processus a disparu, annule ce qu'ils ont écrit et "
        "supprime les fichiers déposés qu'ils ont laissés."
    )

    schedule_label = "Le nettoyage quotidien des imports LHEO"

    def plan(self):
        return tasks.schedule()

    def run(self, **options):
        done = tasks.clean_imports()
        self.stdout.write(
            f"{done['marked']} import(s) marqué(s) interrompu(s), {done['undone']} import(s) annulé(s), "
            f"{done['files']} fichier(s) supprimé(s)."
        )

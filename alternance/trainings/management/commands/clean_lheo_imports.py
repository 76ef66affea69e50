"""python manage.py clean_lheo_imports: mark dead LHEO runs « interrompu » and undo what they wrote."""

from django.core.management.base import BaseCommand

from alternance.trainings.services import mark_interrupted_imports, undo_interrupted_imports


class Command(BaseCommand):
    help = "Marque « interrompu » les imports LHEO dont le processus a disparu et annule ce qu'ils ont écrit."

    def handle(self, *args, **options):
        marked = mark_interrupted_imports()
        undone = undo_interrupted_imports()
        self.stdout.write(f"{marked} import(s) marqué(s) interrompu(s), {undone} import(s) annulé(s).")

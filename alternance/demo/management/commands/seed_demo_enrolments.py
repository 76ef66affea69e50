"""Replace the demonstration enrolments (is_demo=True) shown, badged, on the dashboard of a fresh install."""

from django.core.management.base import BaseCommand

from alternance.demo.enrolments import seed_demo_enrolments


class Command(BaseCommand):
    help = (
        "Remplace les inscriptions de démonstration (apprenants fictifs dans de vrais CFA, marqués is_demo) ; "
        "elles ne sortent jamais en données ouvertes. Lancez d'abord load_reference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=3000, help="nombre d'apprenants fictifs")
        parser.add_argument("--seed", type=int, default=1, help="graine : le même nombre donne les mêmes données")

    def handle(self, *args, learners, seed, verbosity, **options):
        accepted = seed_demo_enrolments(learners=learners, seed=seed)
        if verbosity >= 1:
            self.stdout.write(f"{accepted} inscriptions de démonstration enregistrées.")

"""Fill the database with fictional demonstration companies, trainings and offers (is_demo=True)."""

from django.core.management.base import BaseCommand, CommandError

from alternance.demo import services, synthetic


class Command(BaseCommand):
    help = (
        "Remplace les données de démonstration (entreprises, formations et offres fictives, marquées is_demo) "
        "par un jeu tiré des référentiels réels. Lancez d'abord load_reference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(synthetic.SCALES), default="small", help="taille du jeu")
        parser.add_argument("--seed", type=int, default=1, help="graine : le même nombre donne les mêmes données")
        parser.add_argument("--companies", type=int, help="nombre d'entreprises (remplace celui de --scale)")
        parser.add_argument("--trainings", type=int, help="nombre de formations (remplace celui de --scale)")
        parser.add_argument("--offers", type=int, help="nombre d'offres (remplace celui de --scale)")

    def handle(self, *args, scale, seed, companies, trainings, offers, verbosity, **options):
        default = synthetic.SCALES[scale]
        counts = (
            companies if companies is not None else default[0],
            trainings if trainings is not None else default[1],
            offers if offers is not None else default[2],
        )
        log = self.stdout.write if verbosity >= 1 else (lambda message: None)
        try:
            result = services.seed_demo(scale, seed, counts=counts, log=log)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            n = {key: f"{value:,}".replace(",", "\u202f") for key, value in result.items()}
            self.stdout.write(
                f"Données de démonstration : {n['companies']} entreprises, {n['trainings']} formations "
                f"({n['training_romes']} liens formation-métier), {n['offers']} offres."
            )

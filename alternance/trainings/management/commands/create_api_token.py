"""python manage.py create_api_token NAME: issue a token for the LHEO upload API (shown once)."""

from django.core.management.base import BaseCommand

from alternance.trainings.models import ApiToken


class Command(BaseCommand):
    help = "Crée un jeton d'accès pour déposer des flux LHEO par l'API (il n'est affiché qu'une fois)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="À qui ou à quoi sert ce jeton (par exemple carif-bretagne)")

    def handle(self, *args, name, **options):
        token, secret = ApiToken.issue(name)
        self.stdout.write(f"Jeton « {token.name} » (n° {token.pk}) : {secret}")
        self.stdout.write("Conservez-le : il ne sera plus affiché. En-tête : Authorization: Bearer <jeton>")

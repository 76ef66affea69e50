"""manage.py create_api_token NAME --scope SCOPE [--scope ...] [--organisation UAI]: issue an API key."""

from django.core.management.base import BaseCommand, CommandError

from alternance.accounts.models import ApiKey, Scope
from alternance.organisations.models import Organisation


class Command(BaseCommand):
    help = "Crée une clé d'API (affichée une seule fois, seule sur la dernière ligne)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="À qui ou à quoi sert cette clé (par exemple carif-bretagne)")
        parser.add_argument(
            "--scope", action="append", choices=Scope.values, dest="scopes", help="Portée (répétable) ; lheo par défaut"
        )
        parser.add_argument("--organisation", default="", help="UAI (ou SIRET) de l'organisme auquel la clé est liée")

    def handle(self, *args, name, scopes, organisation, **options):
        scopes = scopes or [Scope.LHEO]
        org = None
        if organisation:
            value = organisation.strip().upper()
            org = (
                Organisation.objects.filter(uai=value).first()
                or Organisation.objects.filter(siret=value.replace(" ", "")).first()
            )
            if org is None:
                raise CommandError(f"Aucun organisme du registre n'a l'UAI ou le SIRET « {organisation} ».")
        elif Scope.ENROLMENTS in scopes:
            raise CommandError("La portée enrolments demande --organisation UAI (la clé est liée à un organisme).")
        key, secret = ApiKey.issue(name, scopes, organisation=org)
        bound = f", liée à {org.name} ({org.uai or org.siret})" if org else ""
        self.stdout.write(f"Clé « {key.name} » n° {key.pk}, portées : {', '.join(key.scopes)}{bound}.")
        self.stdout.write("Conservez-la : elle ne sera plus affichée. En-tête : Authorization: Bearer <clé>")
        self.stdout.write(secret)

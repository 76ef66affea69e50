"""manage.py create_api_token NAME --scope SCOPE [--scope ...] [--organisation UAI] [--source FLUX ...]: issue an
API key; --source gives it LHEO feeds (trainings.sources: a new key of a Carif-Oref takes over its feeds)."""

from django.core.management.base import BaseCommand, CommandError

from alternance.accounts.models import ApiKey, Scope
from alternance.organisations.models import Organisation
from alternance.trainings.services import give_source


class Command(BaseCommand):
    help = "Crée une clé d'API (affichée une seule fois, seule sur la dernière ligne)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="À qui ou à quoi sert cette clé (par exemple carif-bretagne)")
        parser.add_argument(
            "--scope", action="append", choices=Scope.values, dest="scopes", help="Portée (répétable) ; lheo par défaut"
        )
        parser.add_argument("--organisation", default="", help="UAI (ou SIRET) de l'organisme auquel la clé est liée")
        parser.add_argument(
            "--source",
            action="append",
            default=[],
            dest="sources",
            help="Flux LHEO attribué à cette clé, même s'il appartenait à une autre (répétable ; portée lheo)",
        )

    def handle(self, *args, name, scopes, organisation, sources, **options):
        scopes = scopes or [Scope.LHEO]
        sources = [s.strip()[:64] for s in sources if s.strip()]
        if sources and Scope.LHEO not in scopes:
            raise CommandError("--source demande la portée lheo (la clé dépose ces flux).")
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
        for source in sources:
            give_source(source, api_key_id=key.pk, organisation_id=key.organisation_id)
        bound = f", liée à {org.name} ({org.uai or org.siret})" if org else ""
        fed = f", flux : {', '.join(sources)}" if sources else ""
        self.stdout.write(f"Clé « {key.name} » n° {key.pk}, portées : {', '.join(key.scopes)}{bound}{fed}.")
        self.stdout.write("Conservez-la : elle ne sera plus affichée. En-tête : Authorization: Bearer <clé>")
        self.stdout.write(secret)

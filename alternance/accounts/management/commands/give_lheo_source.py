"""manage.py give_lheo_source SOURCE KEY: give an LHEO feed to an existing active key of scope lheo (by number or
name), whoever owned it (trainings.sources.give_source); create_api_token --source does the same for a new key."""

from django.core.management.base import BaseCommand, CommandError

from alternance.accounts.models import ApiKey, Scope
from alternance.trainings.services import give_source


class Command(BaseCommand):
    help = "Attribue un flux LHEO à une clé d'API existante (portée lheo), même s'il appartenait à une autre."

    def add_arguments(self, parser):
        parser.add_argument("source", help="Nom du flux (le champ « source » des dépôts)")
        parser.add_argument("key", help="Numéro ou nom de la clé active qui déposera ce flux")

    def handle(self, *args, source, key, **options):
        source = source.strip()[:64]
        if not source:
            raise CommandError("Donnez le nom du flux.")
        keys = list(ApiKey.objects.active().number_or_name(key)[:2])
        if not keys:
            raise CommandError(f"Aucune clé active n'a le numéro ou le nom « {key} ».")
        if len(keys) > 1:
            raise CommandError(f"Plusieurs clés actives s'appellent « {key} » : donnez son numéro.")
        api_key = keys[0]
        if Scope.LHEO not in api_key.scopes:
            raise CommandError(f"La clé « {api_key.name} » n'a pas la portée lheo : elle ne peut pas déposer de flux.")
        give_source(source, api_key_id=api_key.pk, organisation_id=api_key.organisation_id)
        self.stdout.write(f"Flux « {source} » attribué à la clé « {api_key.name} » n° {api_key.pk}.")

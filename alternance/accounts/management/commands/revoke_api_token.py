"""manage.py revoke_api_token ID_OR_NAME: revoke an API key (it stops working at once)."""

from django.core.management.base import BaseCommand, CommandError

from alternance.accounts.models import ApiKey


class Command(BaseCommand):
    help = "Révoque une clé d'API (par son numéro ou son nom)."

    def add_arguments(self, parser):
        parser.add_argument("key", help="Numéro ou nom de la clé")

    def handle(self, *args, key, **options):
        keys = ApiKey.objects.active().number_or_name(key)
        if not keys:
            raise CommandError(f"Aucune clé active n'a le numéro ou le nom « {key} ».")
        if len(keys) > 1:
            raise CommandError(f"Plusieurs clés actives s'appellent « {key} » : donnez son numéro.")
        keys[0].revoke()
        self.stdout.write(f"Clé « {keys[0].name} » n° {keys[0].pk} révoquée.")

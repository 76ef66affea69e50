"""python manage.py export_open_data [--output DIR]: regenerate the open-data files (CSV, JSON Lines, Parquet)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from alternance.trainings.opendata import FORMATS, export_all, output_dir


class Command(BaseCommand):
    help = (
        "Régénère les exports ouverts des formations publiées et des organismes "
        "(CSV, JSON Lines, Parquet et schema.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Dossier de sortie (par défaut : var/open-data ou OPEN_DATA_DIR)")

    def handle(self, *args, output=None, **options):
        folder = Path(output) if output else output_dir()
        counts = export_all(folder)
        for name, rows in counts.items():
            self.stdout.write(f"{name} : {rows} lignes ({', '.join(FORMATS)}) dans {folder}")

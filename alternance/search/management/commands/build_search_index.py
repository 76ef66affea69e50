"""Write the search index snapshot (memory-mapped by the web workers) from the database."""

import time

from django.core.management.base import BaseCommand

from alternance.search import index


class Command(BaseCommand):
    help = "Construit l'instantané de l'index de recherche (dossier SEARCH_INDEX_DIR) à partir de la base."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="Dossier de destination (par défaut SEARCH_INDEX_DIR).")

    def handle(self, *args, **options):
        started = time.perf_counter()
        folder = index.write_snapshot(options["dir"])
        index.reset()
        meta = (folder / "meta.json").read_text()
        size = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
        self.stdout.write(
            f"Index de recherche écrit dans {folder} ({size:.1f} Mo, {time.perf_counter() - started:.1f} s)."
        )
        if options["verbosity"] > 1:
            self.stdout.write(meta)

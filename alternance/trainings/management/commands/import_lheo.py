"""python manage.py import_lheo FILE_OR_URL... [--source NAME]: import LHEO 2.2/2.3 feeds."""

import urllib.request

from django.core.management.base import BaseCommand, CommandError

from alternance.trainings.services import import_lheo


class Command(BaseCommand):
    help = "Importe des flux LHEO 2.2 ou 2.3 (fichiers ou adresses http(s)) dans le catalogue des formations."

    def add_arguments(self, parser):
        parser.add_argument("feeds", nargs="+", help="Fichiers ou adresses http(s) de flux LHEO")
        parser.add_argument(
            "--source",
            default="lheo",
            help="Nom du flux (par exemple carif-bretagne) : les formations de ce flux absentes du nouveau "
            "fichier sont fermées. Donnez un nom par Carif-Oref.",
        )

    def handle(self, *args, feeds, source, **options):
        failed = False
        for feed in feeds:
            if feed.startswith(("http://", "https://")):
                with urllib.request.urlopen(feed, timeout=60) as response:  # noqa: S310 (http(s) only)
                    report = import_lheo(response, source=source, filename=feed)
            else:
                try:
                    report = import_lheo(feed, source=source, filename=feed)
                except FileNotFoundError as error:
                    raise CommandError(f"Fichier introuvable : {feed}") from error
            counts = report.counts
            if report.state == report.State.FAILED:
                failed = True
                self.stderr.write(
                    f"{feed} : échec, rien n'a été importé (ligne {report.fatal_line}) : {report.fatal_error}"
                )
                continue
            self.stdout.write(
                f"{feed} (LHEO {report.lheo_version}) : {counts['lus']} lues, {counts['crees']} créées, "
                f"{counts['mis_a_jour']} mises à jour, {counts['inchanges']} inchangées, {counts['fermes']} fermées, "
                f"{counts['rejetes']} rejetées (rapport n° {report.pk})."
            )
            for error in report.errors[:20]:
                self.stdout.write(f"  rejetée {error['id']} (ligne {error['line']}) : {error['reason']}")
        if failed:
            raise CommandError("Au moins un flux n'a pas pu être lu.")

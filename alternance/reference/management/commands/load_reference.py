"""python manage.py load_reference [--source DIR] [--source-url URL]: load or refresh the official referentials."""

from django.core.management.base import BaseCommand, CommandError

from alternance.reference.download import console_progress
from alternance.reference.loaders import LoaderError
from alternance.reference.services import dataset_label, load_reference
from alternance.reference.sources import SourceError, resolve_sources

HEADERS = ("créées", "mises à jour", "désactivées", "supprimées", "inchangées")


def _number(value: int) -> str:
    """French thousands separator (narrow no-break space)."""
    return f"{value:,}".replace(",", "\u202f")


class Command(BaseCommand):
    help = "Charge ou met à jour les référentiels officiels (ROME, NAF, communes, diplômes, RNCP, SMIC, CFA)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help="dossier des fichiers officiels (par défaut : ALTERNANCE_DATA_DIR, sinon ../shared/data)",
        )
        parser.add_argument(
            "--source-url",
            help="miroir HTTP(S) du dossier des fichiers officiels (par défaut : ALTERNANCE_DATA_URL)",
        )
        parser.add_argument(
            "--no-download",
            action="store_true",
            help="ne rien télécharger chez les éditeurs des référentiels (le miroir reste utilisé s'il est donné)",
        )
        parser.add_argument(
            "--allow-removals",
            action="store_true",
            help="accepter qu'un fichier retire plus d'un dixième des codes d'une table (sinon : erreur)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="tout relire et tout comparer, même si les sources n'ont pas changé depuis le dernier chargement",
        )
        parser.add_argument(
            "--no-registry",
            action="store_true",
            help="ne pas se rabattre sur les données des paquets installés",
        )

    def handle(
        self,
        *args,
        source=None,
        source_url=None,
        no_download=False,
        no_registry=False,
        allow_removals=False,
        force=False,
        **options,
    ):
        verbosity = options.get("verbosity", 1)
        notes: list[str] = []
        skip: set[str] = set()
        try:
            while True:
                sources = resolve_sources(
                    source,
                    use_registry=not no_registry,
                    source_url=source_url,
                    downloads=False if no_download else None,
                    notes=notes,
                    progress=console_progress if verbosity else None,
                    skip=frozenset(skip),
                )
                try:
                    report = load_reference(sources, allow_removals=allow_removals, force=force)
                    break
                except LoaderError as error:
                    # A file downloaded from a publisher that the loader cannot read (a new format, a truncated
                    # table): nothing was written; the next address or source of that dataset is tried instead.
                    bad = next((s for s in sources.values() if s.address and str(s.path) == error.file), None)
                    if bad is None:
                        raise
                    notes.append(f"{dataset_label(bad.dataset)} : {bad.address} illisible ({error}) ; source suivante.")
                    skip.add(bad.address)
        except (LoaderError, SourceError) as error:
            raise CommandError(f"{error}\nAucune modification n'a été enregistrée.") from error
        if verbosity == 0:
            return
        write = self.stdout.write
        if notes:
            write("Téléchargements :")
            for note in notes:
                write(f"  {note}")
        write("Sources utilisées :")
        for name, description in report.sources.items():
            write(f"  {dataset_label(name)} : {description}")
        if report.missing:
            write("Sources manquantes :")
            for message in report.missing.values():
                write(f"  {message}")
        for note in report.notes:
            write(f"Remarque : {note}")
        width = max((len(name) for name in report.tables), default=10) + 2
        write("")
        write("Table".ljust(width) + "".join(header.rjust(14) for header in HEADERS))
        for name, count in report.tables.items():
            values = (count.created, count.updated, count.deactivated, count.deleted, count.unchanged)
            write(name.ljust(width) + "".join(_number(value).rjust(14) for value in values))
        seconds = f"{report.seconds:.1f}".replace(".", ",")
        if report.skipped:
            write(
                self.style.SUCCESS(
                    f"Aucun changement : sources identiques au dernier chargement ({seconds} s ; "
                    "--force pour tout relire)."
                )
            )
        elif report.changed:
            changes = _number(report.changed)
            write(self.style.SUCCESS(f"Référentiels mis à jour : {changes} changement(s) en {seconds} s."))
        else:
            write(self.style.SUCCESS(f"Aucun changement : les référentiels étaient déjà à jour ({seconds} s)."))

"""Ownership of LHEO feeds (LheoSource): a key may only feed, and read the reports of, the sources it owns.

A new source goes to the first key that uploads to it (to its organisation when the key has one); a source
that already has courses or reports but no owner (imported by the team with manage.py import_lheo) is given by
the team: manage.py create_api_token NAME --source SOURCE, which also moves a source to a new key.
"""

from django.db import IntegrityError, transaction

from alternance.trainings.models import ImportReport, LheoSource, Training


class SourceTaken(Exception):
    """The source is owned by another key or organisation, or was fed without a key (the team gives it)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def claim_source(name: str, *, api_key_id: int, organisation_id: int | None) -> LheoSource:
    """The source `name` if this key owns it, claimed now if nobody fed it yet; else SourceTaken."""
    source = LheoSource.objects.filter(name=name).first()
    if source is None:
        if ImportReport.objects.filter(source=name).exists() or Training.objects.filter(source=name).exists():
            raise SourceTaken(
                f"Le flux « {name} » a déjà été importé par l'équipe : demandez-lui de l'attribuer à votre clé."
            )
        try:
            with transaction.atomic():
                return LheoSource.objects.create(name=name, api_key_id=api_key_id, organisation_id=organisation_id)
        except IntegrityError:  # another key claimed it at the same instant
            source = LheoSource.objects.get(name=name)
    if not source.is_owned_by(api_key_id, organisation_id):
        raise SourceTaken(
            f"Le flux « {name} » appartient à une autre clé d'API : choisissez un autre nom de flux « source »."
        )
    return source


def give_source(name: str, *, api_key_id: int, organisation_id: int | None) -> LheoSource:
    """Give the source `name` to this key (and its organisation), whoever owned it (the team's command)."""
    source, _ = LheoSource.objects.update_or_create(
        name=name, defaults={"api_key_id": api_key_id, "organisation_id": organisation_id}
    )
    return source


def owned_sources(api_key_id: int, organisation_id: int | None):
    """The names of the sources this key owns (a subquery)."""
    return LheoSource.objects.owned_by(api_key_id, organisation_id).values("name")

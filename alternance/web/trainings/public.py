"""What the course's page and its appointment form share: the course of a public page (the rule is the domain's,
Training.objects.public(): a published course, or one closed after it was published; any other is a 404),
whether it is closed, and the way on from a closed course (the same search nearby)."""

from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse

from alternance.trainings.models import Training


def public_training(pk: int, *related: str) -> Training:
    """The course of a public page, or Http404 (never published, being checked, rejected, unknown)."""
    training = Training.objects.public().select_related(*related).filter(pk=pk).first()
    if training is None:
        raise Http404("Formation introuvable")
    return training


def is_closed(training: Training) -> bool:
    return training.status == Training.Status.CLOSED


def same_search_url(training: Training, occupation=None) -> str:
    """The courses preparing the same occupation (its first ROME) near the same commune; the search's home
    when the course has neither."""
    commune = training.commune
    if occupation is None and commune is None:
        return reverse("search:home")
    query = {"type": "training"}
    if occupation is not None:
        query |= {"metier": occupation.label, "rome": occupation.code}
    if commune is not None:
        query |= {"lieu": commune.name, "insee": commune.insee}
    return reverse("search:results") + "?" + urlencode(query)


def first_occupation(training: Training):
    """The course's first occupation (ROME code order), or None."""
    row = training.romes.select_related("rome").order_by("rome_id").first()
    return row.rome if row else None

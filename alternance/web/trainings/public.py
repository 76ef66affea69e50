"""Which courses have a public page, shared by the course's page and its appointment form: a published course,
and a course closed after it was published (old links and bookmarks lead to a page that says it is closed and
shows the way on, as a filled offer's page does); any other course is unknown (404)."""

from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from alternance.trainings.models import StatusChange, Training

PUBLIC_STATUSES = (Training.Status.PUBLISHED, Training.Status.CLOSED)


def was_published(training: Training) -> bool:
    """Its history shows it published once (a course created published has a step from « publiée »)."""
    published = Training.Status.PUBLISHED
    return (
        StatusChange.objects.filter(training=training)
        .filter(Q(from_status=published) | Q(to_status=published))
        .exists()
    )


def public_training(pk: int, *related: str) -> Training:
    """The course of a public page, or Http404 (never published, being checked, rejected, unknown)."""
    training = Training.objects.filter(pk=pk, status__in=PUBLIC_STATUSES).select_related(*related).first()
    if training is None or (training.status == Training.Status.CLOSED and not was_published(training)):
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

"""Training.objects.public(): the courses with a public page and API record, the one rule the web pages and
the API share (a course closed after it was published keeps its record; one never published is unknown)."""

import pytest

from alternance.trainings.models import Training
from alternance.trainings.rules import ABSENT_FROM_FEED, MANUAL
from alternance.trainings.status import change_status
from tests.factories import TrainingFactory

pytestmark = pytest.mark.django_db
S = Training.Status


def _through(*statuses: str) -> Training:
    """A course created published, then moved through these statuses (history rows, as the import writes)."""
    training = TrainingFactory()
    for status in statuses:
        change_status(training, status, rule=MANUAL)
    return training


def test_published_and_closed_after_publication_are_public_the_others_not():
    published = TrainingFactory()
    closed = _through(S.CLOSED)
    rejected_then_closed = _through(S.REJECTED, S.CLOSED)  # it was published once: its old links stay valid
    sent_back = _through(S.TO_CHECK)
    reopened = _through(S.CLOSED, S.TO_CHECK)  # being checked again: not public for now
    never = [TrainingFactory(status=status) for status in (S.CLOSED, S.TO_CHECK, S.READY, S.REJECTED)]
    never_closed = TrainingFactory(status=S.TO_CHECK)
    change_status(never_closed, S.CLOSED, rule=ABSENT_FROM_FEED)  # closed before it was ever published
    public = set(Training.objects.public().values_list("pk", flat=True))
    assert public == {published.pk, closed.pk, rejected_then_closed.pk}
    assert not public & {sent_back.pk, reopened.pk, never_closed.pk, *(t.pk for t in never)}
    assert set(Training.objects.visible().values_list("pk", flat=True)) == {published.pk}  # the search's


def test_public_reads_one_row_in_one_query(django_assert_num_queries):
    closed = _through(S.CLOSED)
    with django_assert_num_queries(1):
        assert Training.objects.public().select_related("organisation").get(pk=closed.pk).organisation.name

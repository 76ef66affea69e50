"""Demonstration enrolments: fictional learners in real CFA, badged on the dashboard, never in open data."""

import pytest
from django.core.management import call_command

from alternance.enrolments.models import Enrolment

pytestmark = pytest.mark.django_db


def test_demo_enrolments_are_replaced_badged_and_never_published(client, reference_data):
    call_command("seed_demo_enrolments", learners=300, seed=3, verbosity=0)
    first = Enrolment.objects.count()
    assert first > 250 and not Enrolment.objects.filter(is_demo=False).exists()
    assert set(Enrolment.objects.values_list("source", flat=True)) == {"demo"}
    call_command("seed_demo_enrolments", learners=300, seed=3, verbosity=0)
    assert Enrolment.objects.count() == first  # replaced, not added
    html = client.get("/tableau-de-bord/").content.decode()
    assert "Démonstration" in html
    assert client.get("/api/v1/indicators/enrolments").json()["total"]["value"] == 0
    rows = client.get("/tableau-de-bord/indicateurs.csv").content.decode("utf-8-sig").splitlines()
    assert rows[1].split(";")[5] == "0"

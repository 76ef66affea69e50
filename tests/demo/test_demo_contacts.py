"""Demo companies get a contact address on the reserved domain example.org (RFC 2606); real companies and
CFAs never get an invented one."""

import pytest
from django.utils import timezone

from alternance.companies.models import Company
from alternance.demo import services
from alternance.organisations.models import Organisation
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_demo_companies_get_example_org_addresses_and_real_rows_none(reference_data):
    real = CompanyFactory(contact_email="")
    services.seed_demo("tiny", 3, now=timezone.now())
    demo = list(Company.objects.filter(is_demo=True).values_list("siret", "contact_email"))
    assert demo and all(email == f"recrutement-{siret}@example.org" for siret, email in demo)
    real.refresh_from_db()
    assert real.contact_email == ""
    assert not Organisation.objects.exclude(contact_email="").exists()

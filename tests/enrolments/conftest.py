import pytest

from alternance.accounts.models import ApiKey, Scope
from alternance.organisations.models import Organisation
from tests.enrolments.records import CFA_UAI, OTHER_CFA_UAI


@pytest.fixture
def cfa(db, reference_data):
    return Organisation.objects.get(uai=CFA_UAI)


@pytest.fixture
def other_cfa(db, reference_data):
    return Organisation.objects.get(uai=OTHER_CFA_UAI)


@pytest.fixture
def enrolment_key(cfa):
    key, secret = ApiKey.issue("logiciel du CFA", [Scope.ENROLMENTS], organisation=cfa)
    return secret


@pytest.fixture
def auth(enrolment_key):
    return {"HTTP_AUTHORIZATION": f"Bearer {enrolment_key}"}

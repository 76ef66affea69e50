"""API keys: issued once, stored hashed, scoped, bound to an organisation, revocable; the old tokens migrate."""

import importlib
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from alternance.accounts.models import ApiKey, Scope, digest
from alternance.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _secret(capsys) -> str:
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_create_prints_the_secret_alone_on_the_last_line_and_stores_only_its_digest(capsys):
    call_command("create_api_token", "carif-bretagne")
    secret = _secret(capsys)
    key = ApiKey.objects.get()
    assert key.digest == digest(secret) and secret not in str(key.__dict__)
    assert ApiKey.objects.authenticate(secret) == key and key.scopes == ["lheo"]


def test_enrolment_keys_are_bound_to_an_organisation(capsys, reference_data):
    organisation = Organisation.objects.exclude(uai="").first()
    with pytest.raises(CommandError, match="--organisation"):
        call_command("create_api_token", "logiciel", scope=["enrolments"])
    with pytest.raises(CommandError, match="Aucun organisme"):
        call_command("create_api_token", "logiciel", scope=["enrolments"], organisation="0000000A")
    call_command("create_api_token", "logiciel", scope=["enrolments"], organisation=organisation.uai.lower())
    key = ApiKey.objects.authenticate(_secret(capsys))
    assert key.organisation == organisation and key.allows(Scope.ENROLMENTS) and not key.allows(Scope.LHEO)


def test_revoke_stops_the_key(capsys):
    call_command("create_api_token", "partenaire", scope=["applications"])
    secret = _secret(capsys)
    call_command("revoke_api_token", "partenaire")
    assert ApiKey.objects.authenticate(secret) is None
    with pytest.raises(CommandError):
        call_command("revoke_api_token", "partenaire")


def test_unknown_scope_is_refused():
    with pytest.raises(ValueError, match="Portée inconnue"):
        ApiKey.issue("x", ["admin"])


def test_lheo_tokens_of_before_become_lheo_keys():
    """The data migration copies each token's digest: a secret issued before keeps working, a revoked one not."""
    migration = importlib.import_module("alternance.accounts.migrations.0002_copy_lheo_tokens")
    now = timezone.now()
    tokens = [
        SimpleNamespace(
            name="carif", digest=digest("ancien-secret"), is_active=True, created_at=now, last_used_at=None
        ),
        SimpleNamespace(name="vieux", digest=digest("revoque"), is_active=False, created_at=now, last_used_at=now),
    ]
    models = {"ApiToken": SimpleNamespace(objects=SimpleNamespace(all=lambda: tokens)), "ApiKey": ApiKey}
    migration.copy_tokens(SimpleNamespace(get_model=lambda app, name: models[name]), None)
    key = ApiKey.objects.authenticate("ancien-secret")
    assert key is not None and key.name == "carif" and key.scopes == ["lheo"]
    assert ApiKey.objects.authenticate("revoque") is None and ApiKey.objects.count() == 2

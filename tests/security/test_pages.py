"""Pages: a Content-Security-Policy with a nonce on every answer, private pages never cached nor indexed,
rate limits answered with the French 429 page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings

from alternance.trainings.models import ImportReport
from alternance.web.decorators import private_page
from tests.factories import TrainingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user("equipe", "equipe@example.org", "mot-de-passe", is_staff=True)
    client.force_login(user)
    return client


def test_every_page_carries_a_csp_with_the_nonce_of_its_scripts(client):
    response = client.get("/remuneration/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "script-src 'self' 'nonce-" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
    assert client.get("/remuneration/")["Content-Security-Policy"] != policy  # one nonce per answer


def test_api_docs_carry_the_csp_and_nonces(client):
    response = client.get("/api/v1/docs")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts), scripts


def test_no_template_holds_inline_code():
    """No inline <script> with code, no style="" attribute, no on*="" handler in any template of the site."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "alternance" / "web" / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and not re.search(r'type="application/(ld\+)?json"', tag):  # data, not code
                offenders.append(f"{path.name}: {tag}")
        offenders += [f"{path.name}: {m}" for m in re.findall(r"<[^>]*\s(?:style|on[a-z]+)=[^>]*>", text)]
        offenders += [f"{path.name}: <style>" for _ in re.findall(r"<style\b", text)]
    assert offenders == []


def test_private_page_is_neither_cached_nor_indexed(rf):
    from django.http import HttpResponse

    response = private_page(lambda request: HttpResponse("données personnelles"))(rf.get("/"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_import_reports_are_private_pages(staff_client):
    counts = dict.fromkeys(["lus", "crees", "mis_a_jour", "inchanges", "fermes", "rejetes"], 0)
    report = ImportReport.objects.create(source="carif-test", filename="flux.xml", uploaded_by="equipe", counts=counts)
    for url in ("/imports/", f"/imports/{report.pk}/"):
        response = staff_client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_public_pages_stay_indexable(client):
    response = client.get("/remuneration/")
    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.content.decode()


def test_public_pages_answer_head_like_get_for_monitors(client):
    """Issue 15 audit: HEAD / answered 405 (require_GET); monitors probe with HEAD."""
    training = TrainingFactory()
    for url in ["/", "/donnees/", f"/formations/{training.pk}/", f"/organismes/{training.organisation_id}/"]:
        head, get = client.head(url), client.get(url)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b"", url
    assert client.post("/").status_code == 405


@override_settings(RATE_LIMITS={"search": (3, 60)})
def test_search_pages_are_rate_limited_with_a_french_page(client):
    for _ in range(3):
        assert client.get("/organismes/", {"identifiant": "inconnu"}).status_code == 200
    response = client.get("/organismes/", {"identifiant": "inconnu"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Trop de demandes" in response.content.decode()
    assert "Réessayez dans 1 minute" in response.content.decode()
    other = client.get("/organismes/", REMOTE_ADDR="203.0.113.7")  # another address keeps its own count
    assert other.status_code == 200


@override_settings(RATE_LIMITS={"forms": (2, 600)})
def test_forms_that_write_are_rate_limited(staff_client):
    training = TrainingFactory()
    url = f"/formations/{training.pk}/statut/"
    for _ in range(2):
        assert staff_client.post(url, {"status": "", "reason": ""}).status_code == 200
    response = staff_client.post(url, {"status": "published", "reason": "Vérifiée"})
    assert response.status_code == 429
    assert staff_client.get(url).status_code == 200  # reading stays possible


@override_settings(RATE_LIMITS={"forms": (1, 600)})
@pytest.mark.parametrize(
    "url",
    [
        "/inscriptions/depot/",  # a CFA's enrolment file, then its confirmation
        "/inscriptions/depot/verification/",
        "/espace/membres/999999/accepter/",  # a company's or CFA's members
        "/espace/membres/999999/retirer/",
        "/espace/contrats/brouillons/",  # drafts deleted
        "/mes-candidatures/jeton-invalide/supprimer/",  # a candidate's data deleted (signed link)
    ],
)
def test_every_form_that_writes_is_rate_limited(client, url):
    """Issue 15: rate limits on every form that writes, signed-in pages included (found missing by the audit)."""
    user = get_user_model().objects.create_user("membre", "membre@example.org", "x")
    client.force_login(user)
    client.post(url, {})  # the first POST is counted, whatever it answers
    response = client.post(url, {})
    assert response.status_code == 429, (url, response.status_code)
    assert response["Retry-After"]

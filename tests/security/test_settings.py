"""Production settings: no start without a secret key, `check --deploy` clean, HTTPS-only cookies and HSTS,
`testserver` only in tests, a sign-in page that exists."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.shortcuts import resolve_url

from config.settings import local_secret_key

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "Zq8-" + "x7Pk2mW9rT4vB6nL3cF5hJ8dS1gA0eY" * 2


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=base | env, capture_output=True, text=True, timeout=120, check=False
    )


def test_production_refuses_to_start_without_secret_key():
    result = run("manage.py", "check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY est absente" in result.stderr
    assert "refuse de démarrer" in result.stderr


def test_production_settings_pass_check_deploy():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_https_only_and_without_testserver():
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'hsts': s.SECURE_HSTS_SECONDS, 'csrf': s.CSRF_COOKIE_SECURE, 'session': s.SESSION_COOKIE_SECURE, "
        "'redirect': s.SECURE_SSL_REDIRECT, 'hosts': s.ALLOWED_HOSTS, 'csp': sorted(s.SECURE_CSP)}))"
    )
    result = run("-c", script, DEBUG="0", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["hsts"] >= 31_536_000
    assert values["csrf"] is True and values["session"] is True and values["redirect"] is True
    assert "testserver" not in values["hosts"]
    assert {"default-src", "script-src", "style-src", "frame-ancestors"} <= set(values["csp"])


def test_local_trial_key_is_generated_once_and_kept(tmp_path):
    first = local_secret_key(tmp_path / "var")
    assert len(first) >= 50
    assert local_secret_key(tmp_path / "var") == first
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0


def test_login_url_is_a_real_page(client):
    assert client.get(resolve_url(settings.LOGIN_URL)).status_code == 200


def test_staff_page_sends_anonymous_people_to_a_page_that_exists(client):
    response = client.get("/imports/", follow=True)
    assert response.status_code == 200
    # staff pages keep the admin's sign-in (staff accounts need no verified address); people's pages use allauth's
    assert response.redirect_chain
    assert response.redirect_chain[-1][0].startswith((resolve_url(settings.LOGIN_URL), resolve_url("admin:login")))

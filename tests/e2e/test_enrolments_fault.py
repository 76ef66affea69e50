"""A server killed (SIGKILL) in the middle of a batch: either all of the batch's valid records are stored or
none, and sending the batch again completes it. The server is gunicorn on 127.0.0.1 in a subprocess, on a
database of its own (a SQLite file, or a PostgreSQL database next to the test database)."""

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection

from tests.conftest import DATA_DIR, ROOT
from tests.enrolments.records import BAKER_CFD, CFA_UAI, COMMUNE, record

pytestmark = pytest.mark.django_db

PREPARE = r"""
import csv, json, sys
import django
django.setup()
from django.core.management import call_command
from alternance.accounts.models import ApiKey, Scope
from alternance.organisations.models import Organisation
from alternance.reference.models import Commune, Diploma
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
commune, cfa, diploma = json.loads(sys.argv[1])
Commune.objects.create(**commune)
organisation = Organisation.objects.create(commune_id=commune["insee"], **cfa)
Diploma.objects.create(**diploma)
_, secret = ApiKey.issue("logiciel", [Scope.ENROLMENTS], organisation=organisation)
print(secret)
"""


def real_rows() -> str:
    """The CFA, its commune and the diploma, read from ../shared/data (real codes)."""
    with open(DATA_DIR / "communes" / "communes_fr.csv", encoding="utf-8") as handle:
        c = next(r for r in csv.DictReader(handle) if r["code_insee"] == COMMUNE)
    commune = {
        "insee": COMMUNE,
        "kind": c["type"],
        "name": c["nom"],
        "departement_code": c["code_departement"],
        "departement_name": c["nom_departement"],
        "region_code": c["code_region"],
        "region_name": c["nom_region"],
        "postcodes": c["codes_postaux"],
        "lat": float(c["lat_centroide"]),
        "lon": float(c["lon_centroide"]),
        "search_name": c["nom"].lower(),
    }
    with open(DATA_DIR / "organismes" / "cfa_uai_siret.cp1252.csv", encoding="cp1252") as handle:
        o = next(r for r in csv.DictReader(handle, delimiter=";") if r["numero_uai"] == CFA_UAI)
    cfa = {"uai": CFA_UAI, "siret": o["numero_siren_siret_uai"], "name": o["patronyme_uai"]}
    with open(DATA_DIR / "diplomes" / "n_formation_diplome.csv", encoding="cp1252") as handle:
        d = next(r for r in csv.DictReader(handle, delimiter=";") if r["FORMATION_DIPLOME"] == BAKER_CFD)
    diploma = {"cfd": BAKER_CFD, "title": d["LIBELLE_LONG_200"], "level": 3}
    return json.dumps([commune, cfa, diploma])


@pytest.fixture
def server_database(tmp_path):
    """DATABASE_URL of a fresh database for the server, and a function counting its stored rows."""
    if connection.vendor == "postgresql":
        import psycopg

        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        name = f"{connection.settings_dict['NAME']}_fault"
        admin = psycopg.connect(base + "/postgres", autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{base}/{name}"

        def count():
            with psycopg.connect(url) as conn:
                return _counts(conn.execute)

        yield url, count
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    else:
        import sqlite3

        path = tmp_path / "serveur.sqlite3"

        def count():
            conn = sqlite3.connect(path)
            try:
                return _counts(conn.execute)
            finally:
                conn.close()

        yield f"sqlite:///{path}", count


def _counts(execute) -> tuple[int, int, int]:
    tables = ("enrolments_enrolment", "enrolments_enrolmentcontract", "enrolments_enrolmentversion")
    return tuple(execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables)


def _env(url: str, **extra) -> dict:
    # Production settings (DEBUG off, the test suite's SECRET_KEY) over plain HTTP on the loopback.
    return dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        **extra,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(url: str, port: int, app: str, **extra) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_env(url, **extra),
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5).read()
            return proc
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "le serveur ne démarre pas"
            time.sleep(0.2)


def kill(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def send(port: int, secret: str, records: list) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/enrolments",
        data=json.dumps({"records": records}).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("point,stored", [("before_commit", 0), ("after_commit", 1)])
def test_a_server_killed_mid_batch_stores_all_or_nothing_and_a_resend_completes(
    server_database, tmp_path, point, stored
):
    url, count = server_database
    prepared = subprocess.run(
        [sys.executable, "-c", PREPARE, real_rows()], cwd=ROOT, env=_env(url), capture_output=True, text=True
    )
    assert prepared.returncode == 0, prepared.stderr[-2000:]
    secret = prepared.stdout.strip().splitlines()[-1]
    batch = [record(school_year="2025-2026") for _ in range(40)] + [record(cfd="12345678"), record(phone="12")]
    valid = 40
    marker = tmp_path / "marker"
    port = _free_port()
    server = start(
        url,
        port,
        "tests.e2e.enrolment_fault_wsgi:application",
        ENROLMENT_FAULT_POINT=point,
        ENROLMENT_FAULT_MARKER=str(marker),
    )
    outcome = {}
    client = threading.Thread(target=lambda: outcome.setdefault("error", _send_catching(port, secret, batch)))
    try:
        client.start()
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert time.monotonic() < deadline, "le lot n'a pas atteint le point de panne"
            time.sleep(0.05)
        kill(server)
    finally:
        if server.poll() is None:
            kill(server)
    client.join(timeout=30)
    assert outcome["error"] is not None  # the client never got its answer
    assert count() == (valid * stored,) * 3  # enrolments, contracts, versions: all of them or none

    server = start(url, port, "config.wsgi:application")
    try:
        again = send(port, secret, batch)
        assert (again["accepted"], again["rejected"]) == (valid, 2)
        changes = [r["change"] for r in again["records"] if r["status"] == "accepted"]
        assert changes == (["unchanged"] if stored else ["created"]) * valid
        assert count() == (valid,) * 3
        assert {r["change"] for r in send(port, secret, batch)["records"][:valid]} == {"unchanged"}
        assert count() == (valid,) * 3
    finally:
        kill(server)


def _send_catching(port, secret, batch):
    try:
        send(port, secret, batch)
    except (urllib.error.URLError, ConnectionError, OSError) as exc:
        return exc
    return None

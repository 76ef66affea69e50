"""Enrolment ingestion under load: python -m bench.enrolments [--learners 100000] [--databases sqlite,postgres]
[--baseline REF].

For each database: migrate and load the referentials when empty (SQLite var/bench-enrol.sqlite3, PostgreSQL
database `bench_enrol` on 127.0.0.1:5432, created if missing), delete the enrolments of a previous run, issue
one key of scope « enrolments » per client, each bound to a real CFA (organismes/cfa_uai_siret.cp1252.csv);
then start gunicorn on 127.0.0.1 (sync workers, --workers, default twice the machine's cores) and push the
learners in 2,000-record POST /api/v1/enrolments calls from 4 client threads at once (http.client, bodies
encoded before the clock starts). Learners are synthetic (Faker names), with real CFD/RNCP codes and real
postcodes; 1 % carry an error on purpose (unknown CFD). Reports records/s (sent records over wall time),
p50/p95 call latency, and checks that the database holds exactly the accepted records; then re-sends the
first batches to time the idempotent path. Target: at least 5,000 records/s on PostgreSQL (OK/MISSED).
--baseline REF first runs the same calls against the code of git commit REF (extracted with git archive under
var/, same database, same data) and prints the ratio new / old of the same run.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_RECORDS_PER_SECOND = 5000
DATABASES = {
    "sqlite": f"sqlite:///{ROOT / 'var' / 'bench-enrol.sqlite3'}",
    "postgres": "postgres://postgres@127.0.0.1:5432/bench_enrol",
}

PREPARE = r"""
import json, sys
import django
django.setup()
from django.core.management import call_command
from alternance.accounts.models import ApiKey, Scope
from alternance.enrolments.models import Enrolment
from alternance.organisations.models import Organisation
from alternance.reference.models import Certification, Commune, Diploma
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
if not (Diploma.objects.exists() and Organisation.objects.exists() and Commune.objects.exists()):
    call_command("load_reference", verbosity=0)
Enrolment.objects.all().delete()
ApiKey.objects.filter(name__startswith="bench-enrol").delete()
clients = int(sys.argv[1])
cfas = Organisation.objects.exclude(uai="").exclude(siret="").filter(commune__isnull=False)
cfas = list(cfas.order_by("uai")[:clients])
keys = []
for i, cfa in enumerate(cfas):
    _, secret = ApiKey.issue(f"bench-enrol-{i}", [Scope.ENROLMENTS], organisation=cfa)
    keys.append({"secret": secret, "uai": cfa.uai, "siret": cfa.siret})
cfds = Diploma.objects.filter(is_active=True, level__isnull=False).order_by("cfd")
cfds = list(cfds.values_list("cfd", flat=True)[:400])
rncps = list(Certification.objects.filter(is_active=True).order_by("rncp").values_list("rncp", flat=True)[:400])
postcodes = sorted({p for codes in Commune.objects.values_list("postcodes", flat=True)[:3000] for p in codes.split()})
print(json.dumps({"keys": keys, "cfds": cfds, "rncps": rncps, "postcodes": postcodes}))
"""

COUNT = r"""
import django
django.setup()
from alternance.enrolments.models import Enrolment, EnrolmentContract, EnrolmentVersion
print(Enrolment.objects.count(), EnrolmentContract.objects.count(), EnrolmentVersion.objects.count())
"""


def _env(database_url: str) -> dict:
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on the loopback
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )


def ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(database_url: str, clients: int) -> dict:
    if database_url.startswith("postgres"):
        ensure_postgres_database(database_url)
    (ROOT / "var").mkdir(exist_ok=True)
    out = subprocess.run(
        [sys.executable, "-c", PREPARE, str(clients)],
        cwd=ROOT,
        env=_env(database_url),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_batches(setup: dict, learners: int, batch: int, seed: int) -> list[tuple[int, bytes, int, int]]:
    """(client index, encoded body, number of valid records, number of records) for every call; learners split
    over the clients."""
    from faker import Faker

    from alternance.core.identifiers import make_siret

    rng = random.Random(seed)
    fake = Faker("fr_FR")
    Faker.seed(seed)
    last_names = [fake.last_name() for _ in range(500)]
    first_names = [fake.first_name() for _ in range(500)]
    keys = setup["keys"]
    calls = []
    for start in range(0, learners, batch):
        client = (start // batch) % len(keys)
        key = keys[client]
        records, valid = [], 0
        for n in range(start, min(start + batch, learners)):
            year = rng.choice([2024, 2025])
            birth_year = year - rng.randint(16, 24)
            broken = rng.random() < 0.15
            contract = {
                "employer_siret": make_siret(f"97{n % 1_000_000:06d}", "0001"),
                "start_date": f"{year}-09-{rng.randint(1, 28):02d}",
                "end_date": f"{year + 2}-08-31",
                "break_date": f"{year + 1}-0{rng.randint(1, 6)}-15" if broken else None,
                "break_reason": "démission" if broken else None,
            }
            bad = rng.random() < 0.01
            diploma = {"cfd": rng.choice(setup["cfds"])} if rng.random() < 0.8 else {"rncp": rng.choice(setup["rncps"])}
            records.append(
                {
                    "learner_id": f"B{n:07d}",
                    "school_year": f"{year}-{year + 1}",
                    "last_name": rng.choice(last_names),
                    "first_name": rng.choice(first_names),
                    "birth_date": f"{birth_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "email": f"apprenant{n}@example.org",
                    "phone": "0612345678",
                    "postcode": rng.choice(setup["postcodes"]),
                    "nir": "1" if rng.random() < 0.5 else None,
                    "uai_responsable": key["uai"],
                    "siret_responsable": key["siret"],
                    "uai_formateur": key["uai"],
                    "siret_formateur": key["siret"],
                    **({"cfd": "12345678"} if bad else diploma),
                    "course_start": f"{year}-09-01",
                    "course_end": f"{year + 2}-06-30",
                    "registered_on": f"{year}-07-{rng.randint(1, 31):02d}",
                    "contracts": [contract] if rng.random() < 0.85 else [],
                    "dropped_out_on": None,
                    "outcome": None,
                    "rqth": rng.random() < 0.03,
                }
            )
            valid += not bad
        calls.append((client, json.dumps({"records": records}).encode(), valid, len(records)))
    return calls


def baseline_tree(ref: str) -> Path:
    """The code of commit `ref` extracted under var/bench-baseline-<ref> (git archive; the worktree is untouched)."""
    sha = subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, capture_output=True, text=True, check=True)
    target = ROOT / "var" / f"bench-baseline-{sha.stdout.strip()}"
    if not (target / "manage.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def schema_of(code: Path, database_url: str) -> None:
    """Bring the database's schema to the migrations of `code` (a baseline has fewer: this code's later ones are
    reversed, so the baseline runs on its own indexes and tables; the next run of this code migrates forward)."""
    for folder in sorted((ROOT / "alternance").glob("*/migrations")):
        ours = sorted(p.stem for p in folder.glob("0*.py"))
        theirs = sorted(p.stem for p in (code / folder.relative_to(ROOT)).glob("0*.py"))
        if theirs and ours != theirs:
            print(f"schéma de la référence : migrate {folder.parent.name} {theirs[-1]}", flush=True)
            subprocess.run(
                [sys.executable, "manage.py", "migrate", folder.parent.name, theirs[-1], "--verbosity", "0"],
                cwd=ROOT,
                env=_env(database_url),
                check=True,
            )


def start_server(database_url: str, port: int, workers: int, code: Path = ROOT) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=code,
        env=_env(database_url),
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/openapi.json")
            conn.getresponse().read()
            return proc
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.2)


ACCEPTED = re.compile(rb'"accepted": ?(\d+)')


def push(calls, setup: dict, port: int, clients: int) -> dict:
    """The clients as a compiled load generator would be: bodies and headers made before the clock starts, the
    answer read whole but only its « accepted » count parsed (no JSON decoding of 2,000 verdicts)."""
    latencies, accepted, failures = [], [0], []
    lock = threading.Lock()

    def client(i: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        headers = {"Authorization": f"Bearer {setup['keys'][i]['secret']}", "Content-Type": "application/json"}
        mine = [body for owner, body, _valid, _n in calls if owner == i]
        for body in mine:
            t = time.perf_counter()
            conn.request("POST", "/api/v1/enrolments", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            elapsed = time.perf_counter() - t
            with lock:
                latencies.append(elapsed)
                if response.status == 200:
                    accepted[0] += int(ACCEPTED.search(payload[:200])[1])
                else:
                    failures.append((response.status, payload[:200]))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    records = sum(n for _, _, _, n in calls)
    latencies.sort()
    return {
        "records": records,
        "accepted": accepted[0],
        "wall": wall,
        "rate": records / wall,
        "p50": statistics.median(latencies),
        "p95": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
        "failures": failures,
        "load": (load_before, os.getloadavg()[0]),
    }


def run(name: str, database_url: str, args, code: Path = ROOT) -> dict:
    label = f"{name}, code de {args.baseline}" if code != ROOT else name
    print(f"\n== {label} ({database_url.split('@')[-1]})", flush=True)
    t = time.perf_counter()
    if code != ROOT:
        if database_url.startswith("postgres"):
            ensure_postgres_database(database_url)
        schema_of(code, database_url)
    setup = prepare(database_url, args.clients)
    print(
        f"préparation : {time.perf_counter() - t:.1f} s ; {len(setup['keys'])} CFA, {len(setup['cfds'])} CFD",
        flush=True,
    )
    calls = make_batches(setup, args.learners, args.batch, args.seed)
    valid = sum(v for _, _, v, _ in calls)
    port = 18500 + os.getpid() % 400 + (1 if name == "postgres" else 0)
    server = start_server(database_url, port, args.workers, code)
    try:
        first = push(calls, setup, port, args.clients)
        resend = push(calls[: args.clients * 2], setup, port, args.clients)
    finally:
        server.terminate()
        server.wait(timeout=30)
    counts = subprocess.run(
        [sys.executable, "-c", COUNT], cwd=ROOT, env=_env(database_url), capture_output=True, text=True, check=True
    ).stdout.split()
    stored = int(counts[0])
    print(
        f"premier envoi : {first['records']:,} enregistrements en {first['wall']:.1f} s = {first['rate']:,.0f} /s ; "
        f"appels p50 {first['p50'] * 1000:.0f} ms, p95 {first['p95'] * 1000:.0f} ms ; "
        f"acceptés {first['accepted']:,} (attendus {valid:,}), en base {stored:,} inscriptions, "
        f"{counts[1]} contrats, {counts[2]} versions ; erreurs HTTP {len(first['failures'])} ; "
        f"load average {first['load'][0]:.1f} → {first['load'][1]:.1f}",
        flush=True,
    )
    print(
        f"renvoi identique ({resend['records']:,} enregistrements, idempotent) : {resend['rate']:,.0f} /s, "
        f"p95 {resend['p95'] * 1000:.0f} ms",
        flush=True,
    )
    assert first["accepted"] == valid == stored, (first["accepted"], valid, stored, first["failures"][:2])
    return first | {"resend_rate": resend["rate"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    # Twice the cores: a sync worker waits for PostgreSQL (COPY, indexes, commit) about half of a call; a second
    # worker per core computes meanwhile (measured: 2,500 -> 3,434 records/s on 2 cores, 4 clients).
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=DATABASES["postgres"])
    parser.add_argument(
        "--baseline",
        metavar="REF",
        help="also run the code of this git commit (e.g. 24c1f7b) on the same data, and print new/old",
    )
    args = parser.parse_args()
    DATABASES["postgres"] = args.postgres_url
    print(
        f"{args.learners:,} apprenants, appels de {args.batch:,}, {args.clients} clients simultanés, "
        f"gunicorn {args.workers} workers synchrones sur 127.0.0.1 ; load average {os.getloadavg()[0]:.1f}"
    )
    results, baselines = {}, {}
    for name in args.databases.split(","):
        if args.baseline:
            baselines[name] = run(name, DATABASES[name], args, baseline_tree(args.baseline))
        results[name] = run(name, DATABASES[name], args)
        if args.baseline:
            ratio = results[name]["rate"] / baselines[name]["rate"]
            resend = results[name]["resend_rate"] / baselines[name]["resend_rate"]
            print(
                f"{name} : {results[name]['rate']:,.0f} /s contre {baselines[name]['rate']:,.0f} /s avec "
                f"{args.baseline}, rapport nouveau / ancien {ratio:.2f} ; renvoi identique {resend:.2f} "
                f"(load average {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    if "postgres" in results:
        rate = results["postgres"]["rate"]
        verdict = "OK" if rate >= TARGET_RECORDS_PER_SECOND else "MISSED"
        print(f"\nPostgreSQL : {rate:,.0f} enregistrements/s, objectif {TARGET_RECORDS_PER_SECOND:,} /s : {verdict}")
    if "sqlite" in results and "postgres" in results:
        print(f"rapport PostgreSQL / SQLite : {results['postgres']['rate'] / results['sqlite']['rate']:.2f}")


if __name__ == "__main__":
    main()

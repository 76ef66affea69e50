"""LHEO import benchmark at national scale: python -m bench.lheo [--actions 100000] [--databases sqlite,postgres]
[--baseline REF] [--keep].

1. Generates a national-size LHEO 2.3 feed (default 100,000 actions, one action and one session per
   formation) from real codes only: communes (communes/communes_fr.csv, drawn by population), RNCP fiches
   open to apprenticeship and their CFD (diplomes/Kit_apprentissage_20231218.csv), ROME codes
   (rome/cr_gd_dp_v4_utf8.csv). SIRETs and UAIs are synthetic but pass their checks (make_siret,
   uai_check_letter); about 1 % of the records are broken on purpose (bad SIRET, end before start) to
   exercise the rejection path.
2. Measures the streaming parser alone (records/s, peak RSS), then, for each database, the full import into
   an empty catalogue, then a re-import of the same feed (must change nothing). Each database starts from a
   template holding the migrated schema and the referentials (made once: SQLite var/bench-lheo-template-*.sqlite3,
   PostgreSQL database <name>_tpl_* on 127.0.0.1:5432, <name> being --postgres-url's database, created when
   missing), copied before every run into
   var/bench-lheo.sqlite3 or the database bench_lheo. Each run is a separate process.
3. --baseline REF first runs the same import and re-import with the code of git commit REF (extracted with git
   archive under var/), on a fresh copy of the same template, then the current code: the ratio new / old is
   measured in the same run, on the same machine load (printed with the load average).
Prints OK/MISSED against the targets of issue 15: full import >= 2,000 records/s, re-import >= 5,000 records/s.

Peak memory is the process's peak RSS (VmHWM), read before and after each phase: a flat parser keeps the
same peak whatever the size of the file (compare --actions 10000 and 100000).
"""

import argparse
import csv
import hashlib
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # DEBUG stays off: no query log in memory
NAMESPACE = "http://lheo.gouv.fr/2.3"
TARGETS = {"import": 2000, "reimport": 5000}  # records/s, issue 15
DATABASES = {
    "sqlite": f"sqlite:///{ROOT / 'var' / 'bench-lheo.sqlite3'}",
    "postgres": "postgres://postgres@127.0.0.1:5432/bench_lheo",
}

# Run in a separate process, in the folder of the code measured (current or baseline).
TEMPLATE = r"""
import sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
call_command("load_reference", source=sys.argv[1], verbosity=0)
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
"""

IMPORT = r"""
import json, resource, sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from alternance.trainings.services import import_lheo

def peak():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0

def rows_digest():
    import hashlib
    from alternance.organisations.models import Organisation, OrganisationFact, TrainingSite
    from alternance.trainings.models import StatusChange, Training, TrainingRome, TrainingSession
    skip = {"id", "created_at", "updated_at", "status_changed_at", "last_import"}
    fields = [f.attname for f in Training._meta.concrete_fields if f.name not in skip]
    digest = hashlib.sha256()
    for rows in (
        Training.objects.order_by("external_id").values_list(*fields),
        TrainingSession.objects.order_by("training__external_id", "external_id").values_list(
            "training__external_id", "external_id", "start_date", "end_date"),
        TrainingRome.objects.order_by("training__external_id", "rome_id").values_list(
            "training__external_id", "rome_id"),
        StatusChange.objects.order_by("training__external_id", "id").values_list(
            "training__external_id", "from_status", "to_status", "rule", "reason"),
        TrainingSite.objects.order_by("organisation__siret", "key").values_list(
            *[f.attname for f in TrainingSite._meta.concrete_fields if f.name != "id"]),
        Organisation.objects.order_by("siret", "uai").values_list(
            "siret", "uai", "name", "nature", "quality_verdict", "quality_issues", "commune_id", "lat", "lon"),
        OrganisationFact.objects.order_by("organisation__siret", "field", "value", "source").values_list(
            "organisation__siret", "field", "value", "source"),
    ):
        for row in rows.iterator(chunk_size=5000):
            digest.update(repr(row).encode())
        digest.update(b"|")
    return digest.hexdigest()[:16]

def readers_peak(usage):
    # The largest peak RSS (VmHWM) that the reader processes of the last shared read reported, 0 when read in
    # process. Code without that report (older baselines): ru_maxrss of the children, which counts a spawned child
    # at its fork, sharing this process's pages: on a re-import, about this process's own size.
    try:
        from alternance.trainings.lheo_shared import peak_rss_mb
    except ImportError:
        return round(usage.ru_maxrss / 1024, 1)
    return round(max(peak_rss_mb.values(), default=0.0), 1)

results = {}
for phase in ("import", "reimport"):
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = children.ru_utime + children.ru_stime
    started, cpu = time.perf_counter(), time.process_time()
    report = import_lheo(sys.argv[1], source="bench")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = after.ru_utime + after.ru_stime - children  # the reader processes, when the import starts them
    results[phase] = {
        "counts": report.counts,
        "seconds": round(elapsed, 1),
        "records_per_s": round(report.counts["lus"] / elapsed),
        "cpu_s": round(cpu, 1),  # this process only (not the PostgreSQL server's)
        "readers_cpu_s": round(children, 1),  # its reader processes (lheo_shared.read_shared), 0 when read in process
        "records_per_cpu_s": round(report.counts["lus"] / (cpu + children)),
        "peak_rss_mb": round(peak(), 1),
        "readers_peak_rss_mb": readers_peak(after),  # the largest of its reader processes
        "state": report.state,
    }
    if phase == "import":  # what the import wrote, as a digest: the baseline's and this code's must be equal
        results[phase]["rows_digest"] = rows_digest()
print(json.dumps(results))
"""


def peak_rss_mb() -> float:
    """VmHWM: the peak resident set size of this process (MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    """Reset VmHWM (Linux >= 4.0) so each phase reports its own peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _real_codes(data_dir: Path, rng: random.Random):
    with open(data_dir / "communes" / "communes_fr.csv", encoding="utf-8") as handle:
        communes = [
            {
                "insee": r["code_insee"],
                "name": r["nom"],
                "departement_code": r["code_departement"],
                "population": r["population_municipale"] or "0",
                "postcodes": r["codes_postaux"],
                "lat": r["lat_centroide"],
                "lon": r["lon_centroide"],
            }
            for r in csv.DictReader(handle)
            if r["codes_postaux"] and r["type"] == "COM"
        ]
    with open(data_dir / "diplomes" / "Kit_apprentissage_20231218.csv", encoding="utf-8-sig") as handle:
        kit = [
            r
            for r in csv.reader(handle, delimiter=";")
            if len(r) > 8 and r[6] == "oui" and r[8] == "ACTIVE" and r[2].startswith("RNCP")
        ]
    with open(data_dir / "rome" / "cr_gd_dp_v4_utf8.csv", encoding="utf-8") as handle:
        romes = [r[0] for r in csv.reader(handle) if len(r[0]) == 5 and r[0][0].isalpha()]
    return communes, kit, romes


def generate(path: Path, actions: int, data_dir: Path, seed: int = 42) -> dict:
    """Write a national-size LHEO 2.3 feed; returns what it contains."""
    from alternance.core.identifiers import make_siret, uai_check_letter

    rng = random.Random(seed)
    communes, kit, romes = _real_codes(data_dir, rng)
    weights = [max(1, int(c.get("population") or 0)) for c in communes]
    organisations = []
    for n in range(max(10, actions // 20)):  # about 20 actions per organisation
        commune = rng.choices(communes, weights)[0]
        departement = commune["departement_code"]
        prefix = "0" + departement if len(departement) == 2 and departement.isdigit() else "097"
        digits = (prefix + f"{n % 10000:04d}")[:7]
        organisations.append(
            {
                "siret": make_siret(f"96{n % 1_000_000:06d}", "0001"),
                "uai": digits + uai_check_letter(digits),
                "name": f"CFA généré {n}",
                "commune": commune,
            }
        )
    broken = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<lheo xmlns="{NAMESPACE}">\n<offres>\n')
        for n in range(actions):
            org = rng.choice(organisations)
            commune = org["commune"]
            postcodes = commune["postcodes"].split()
            cfd, title, rncp = kit[n % len(kit)][:3]
            year = 2027 + n % 2
            start, end = f"{year}0901", f"{year + 2}0831"
            siret = org["siret"]
            if n % 100 == 7:
                siret, broken = siret[:-1] + str((int(siret[-1]) + 1) % 10), broken + 1
            elif n % 100 == 53:
                end, broken = f"{year - 1}0831", broken + 1
            rome_codes = "".join(f"<code-ROME>{c}</code-ROME>" for c in rng.sample(romes, 2))
            lat, lon = commune["lat"], commune["lon"]
            geo = (
                f"<geolocalisation><latitude>{lat}</latitude><longitude>{lon}</longitude></geolocalisation>"
                if n % 3 and lat and lon
                else ""  # one place in three without coordinates: geocoded by commune
            )
            address = (
                f"<adresse><ligne>{n % 200 + 1} rue de l'Apprentissage</ligne>"
                f"<codepostal>{postcodes[0]}</codepostal><ville>{escape(commune['name'])}</ville>"
                f"<code-INSEE-commune>{commune['insee']}</code-INSEE-commune>{geo}</adresse>"
            )
            parts = [
                f'<formation numero="F{n}"><domaine-formation><code-FORMACODE>21528</code-FORMACODE>',
                f"{rome_codes}</domaine-formation>",
                f"<intitule-formation>{escape(title.strip()[:250])}</intitule-formation>",
                "<objectif-formation>Former des apprentis.</objectif-formation>",
                "<resultats-attendus>Diplôme.</resultats-attendus>",
                "<contenu-formation>Enseignements généraux et professionnels.</contenu-formation>",
                "<certifiante>1</certifiante><contact-formation><coordonnees/></contact-formation>",
                "<parcours-de-formation>1</parcours-de-formation><code-niveau-entree>0</code-niveau-entree>",
                f"<certification><code-RNCP>{rncp[4:]}</code-RNCP></certification>",
                f'<action numero="A{n}"><rythme-formation>Alternance</rythme-formation>',
                "<code-public-vise>80000</code-public-vise><niveau-entree-obligatoire>0</niveau-entree-obligatoire>",
                "<modalites-alternance>2 jours au CFA</modalites-alternance>",
                "<modalites-enseignement>0</modalites-enseignement>",
                "<conditions-specifiques>Aucune</conditions-specifiques>",
                "<prise-en-charge-frais-possible>1</prise-en-charge-frais-possible>",
                f'<lieu-de-formation><coordonnees numero="L{n % 5000}">{address}</coordonnees></lieu-de-formation>',
                "<modalites-entrees-sorties>0</modalites-entrees-sorties>",
                f'<session numero="S{n}"><periode><debut>{start}</debut><fin>{end}</fin></periode>',
                f"<adresse-inscription>{address}</adresse-inscription></session></action>",
                "<organisme-formation-responsable><numero-activite>11755555555</numero-activite>",
                f"<SIRET-organisme-formation><SIRET>{siret}</SIRET></SIRET-organisme-formation>",
                f"<nom-organisme>{escape(org['name'])}</nom-organisme>",
                f"<raison-sociale>{escape(org['name'])}</raison-sociale>",
                f"<coordonnees-organisme><coordonnees>{address}</coordonnees></coordonnees-organisme>",
                "<contact-organisme><coordonnees/></contact-organisme>",
                f"<code-UAI-organisme-formation><code-UAI>{org['uai']}</code-UAI></code-UAI-organisme-formation>",
                "</organisme-formation-responsable></formation>\n",
            ]
            out.write("".join(parts))
        out.write("</offres>\n</lheo>\n")
    return {"actions": actions, "broken": broken, "organisations": len(organisations), "bytes": path.stat().st_size}


def baseline_tree(ref: str) -> Path:
    """The code of commit `ref` extracted under var/bench-baseline-<ref> (git archive; the worktree is untouched)."""
    sha = subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, capture_output=True, text=True, check=True)
    target = ROOT / "var" / f"bench-baseline-{sha.stdout.strip()}"
    if not (target / "manage.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def _env(database_url: str, data_dir: Path) -> dict:
    """A baseline tree lives under var/: the data folder is given, not found beside the code."""
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        ALTERNANCE_DATA_DIR=str(data_dir),
    )


def _python(code: Path, script: str, database_url: str, data_dir: Path, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=code,
        env=_env(database_url, data_dir),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"échec dans {code} :\n{out.stderr[-3000:]}")
    return out.stdout


def _migrations_key(code: Path) -> str:
    """The schema a tree migrates to: the names of its migration files (a template is made per schema)."""
    names = sorted(str(p.relative_to(code)) for p in (code / "alternance").glob("*/migrations/0*.py"))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:10]


def _postgres(url: str, *statements: str) -> list:
    import psycopg

    results = []
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        for sql in statements:
            cursor = conn.execute(sql)
            results.append(cursor.fetchall() if sql.startswith("SELECT") else None)
    return results


def fresh_database(name: str, url: str, template_code: Path, data_dir: Path) -> None:
    """Make the database at `url` a copy of the template (schema of template_code, referentials loaded); the
    template is made when missing (PostgreSQL: its database is created)."""
    key = _migrations_key(template_code)
    if name == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        template = path.with_name(f"bench-lheo-template-{key}.sqlite3")
        if not template.exists():
            print(f"{name} : modèle {template.name} (migrations et référentiels)…", flush=True)
            partial = template.with_suffix(".part")
            partial.unlink(missing_ok=True)
            _python(template_code, TEMPLATE, f"sqlite:///{partial}", data_dir, str(data_dir))
            partial.rename(template)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, path)
        return
    database = url.rsplit("/", 1)[1]
    template = f"{database}_tpl_{key}"  # named after the bench's database: two benches never share a template
    if not _postgres(url, f"SELECT 1 FROM pg_database WHERE datname = '{template}'")[0]:
        print(f"{name} : modèle {template} (migrations et référentiels)…", flush=True)
        _postgres(url, f'DROP DATABASE IF EXISTS "{template}_part"', f'CREATE DATABASE "{template}_part"')
        _python(template_code, TEMPLATE, url.rsplit("/", 1)[0] + f"/{template}_part", data_dir, str(data_dir))
        _postgres(url, f'ALTER DATABASE "{template}_part" RENAME TO "{template}"')
    _postgres(url, f'DROP DATABASE IF EXISTS "{database}"', f'CREATE DATABASE "{database}" TEMPLATE "{template}"')


def measure(name: str, url: str, code: Path, template_code: Path, feed: Path, data_dir: Path) -> dict:
    """Full import then re-import of the feed by the code in `code`, on a fresh copy of the template."""
    fresh_database(name, url, template_code, data_dir)
    load = os.getloadavg()[0]
    results = json.loads(_python(code, IMPORT, url, data_dir, str(feed)).strip().splitlines()[-1])
    results["load_average"] = [round(load, 1), round(os.getloadavg()[0], 1)]
    for phase in ("import", "reimport"):
        print(f"  {phase} : {results[phase]}", flush=True)
    return results


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--feed", type=Path, default=ROOT / "var" / "bench-lheo.xml")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=DATABASES["postgres"])
    parser.add_argument("--baseline", metavar="REF", help="also run the code of this git commit; prints new / old")
    parser.add_argument("--parse-only", action="store_true", help="Do not import into the database")
    parser.add_argument("--keep", action="store_true", help="Keep the generated feed")
    args = parser.parse_args(argv)
    args.feed = args.feed.resolve()  # the imports run in other folders
    DATABASES["postgres"] = args.postgres_url
    os.environ.setdefault("DATABASE_URL", DATABASES["sqlite"])

    import django

    django.setup()
    from alternance.trainings import lheo

    data_dir = lheo.data_dir()
    args.feed.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    feed = generate(args.feed, args.actions, data_dir)
    results = {"feed": feed, "generate_s": round(time.perf_counter() - started, 1)}
    print(
        f"flux : {feed['actions']} actions, {feed['bytes'] / 1e6:.0f} Mo, {feed['broken']} cassées ; "
        f"2 cœurs partagés, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )

    reset_peak()
    base = peak_rss_mb()
    started = time.perf_counter()
    counted = 0
    for item in lheo.read(args.feed):
        counted += not isinstance(item, str)
    elapsed = time.perf_counter() - started
    results["parse"] = {
        "records": counted,
        "seconds": round(elapsed, 1),
        "records_per_s": round(counted / elapsed),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_before_mb": round(base, 1),
    }
    print(f"analyse seule : {results['parse']}", flush=True)

    names = [] if args.parse_only else args.databases.split(",")
    baseline = baseline_tree(args.baseline) if args.baseline and names else None
    template_code = baseline or ROOT  # the older schema: the current code migrates its copy further
    for name in names:
        entry = results[name] = {}
        if baseline:
            print(f"{name}, code de {args.baseline} :", flush=True)
            entry["baseline"] = measure(name, DATABASES[name], baseline, template_code, args.feed, data_dir)
        print(f"{name}, code actuel :", flush=True)
        entry["current"] = measure(name, DATABASES[name], ROOT, template_code, args.feed, data_dir)
    print()
    for name in names:
        entry = results[name]
        for phase in ("import", "reimport"):
            rate = entry["current"][phase]["records_per_s"]
            line = f"{name} {phase} : {rate:,} enregistrements/s, objectif {TARGETS[phase]:,} : "
            line += "OK" if rate >= TARGETS[phase] else "MISSED"
            if "baseline" in entry:
                old = entry["baseline"][phase]["records_per_s"]
                line += f" ; code de {args.baseline} : {old:,} /s, rapport nouveau / ancien {rate / old:.2f}"
                cpu, old_cpu = entry["current"][phase]["cpu_s"], entry["baseline"][phase]["cpu_s"]
                readers = entry["current"][phase].get("readers_cpu_s", 0)
                old_readers = entry["baseline"][phase].get("readers_cpu_s", 0)
                line += f", temps CPU {old_cpu} + {old_readers} → {cpu} + {readers} s (importeur + lecteurs)"
                if phase == "import":
                    same = entry["current"][phase]["rows_digest"] == entry["baseline"][phase].get("rows_digest")
                    line += ", mêmes lignes écrites" if same else ", LIGNES ÉCRITES DIFFÉRENTES"
            low, high = entry["current"]["load_average"]
            print(f"{line} (load average {low} → {high})", flush=True)
    if not args.keep:
        args.feed.unlink()
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return results


if __name__ == "__main__":
    main()

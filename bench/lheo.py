"""LHEO import benchmark at national scale: python -m bench.lheo [--actions 100000] [--keep].

1. Generates a national-size LHEO 2.3 feed (default 100,000 actions, one action and one session per
   formation) from real codes only: communes (communes/communes_fr.csv, drawn by population), RNCP fiches
   open to apprenticeship and their CFD (diplomes/Kit_apprentissage_20231218.csv), ROME codes
   (rome/cr_gd_dp_v4_utf8.csv). SIRETs and UAIs are synthetic but pass their checks (make_siret,
   uai_check_letter); about 1 % of the records are broken on purpose (bad SIRET, end before start) to
   exercise the rejection path.
2. Measures the streaming parser alone (records/s, peak RSS), then the full import into the database
   (DATABASE_URL, default: SQLite var/bench-lheo.sqlite3, migrated and loaded with the referentials
   when empty), then a re-import of the same feed (must change nothing).

Peak memory is the process's peak RSS (VmHWM), read before and after each phase: a flat parser keeps the
same peak whatever the size of the file (compare --actions 10000 and 100000).
"""

import argparse
import csv
import json
import os
import random
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-lheo.sqlite3'}")
NAMESPACE = "http://lheo.gouv.fr/2.3"


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


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--feed", type=Path, default=ROOT / "var" / "bench-lheo.xml")
    parser.add_argument("--parse-only", action="store_true", help="Do not import into the database")
    parser.add_argument("--keep", action="store_true", help="Keep the generated feed")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.core.management import call_command

    from alternance.trainings import lheo
    from alternance.trainings.services import import_lheo

    data_dir = lheo.data_dir()
    args.feed.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    feed = generate(args.feed, args.actions, data_dir)
    results = {"feed": feed, "generate_s": round(time.perf_counter() - started, 1)}
    print(f"flux : {feed['actions']} actions, {feed['bytes'] / 1e6:.0f} Mo, {feed['broken']} cassées", flush=True)

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

    if not args.parse_only:
        call_command("migrate", verbosity=0)
        from alternance.reference.models import RomeOccupation

        if not RomeOccupation.objects.exists():
            call_command("load_reference", source=str(data_dir), verbosity=0)
        for phase in ("import", "reimport"):
            reset_peak()
            started = time.perf_counter()
            report = import_lheo(args.feed, source="bench")
            elapsed = time.perf_counter() - started
            results[phase] = {
                "counts": report.counts,
                "seconds": round(elapsed, 1),
                "records_per_s": round(report.counts["lus"] / elapsed),
                "peak_rss_mb": round(peak_rss_mb(), 1),
                "state": report.state,
            }
            print(f"{phase} : {results[phase]}", flush=True)
    if not args.keep:
        args.feed.unlink()
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return results


if __name__ == "__main__":
    main()

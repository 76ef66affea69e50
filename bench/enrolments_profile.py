"""Profile of 2,000-record enrolment calls in process: python -m bench.enrolments_profile [--database-url URL]
[--calls 5] [--cprofile].

Uses the benchmark's database (`bench_enrol` on 127.0.0.1 by default, prepared by `bench.enrolments`), the same
synthetic records, and the view through Django's test client (auth, body parsing, ingest, response). Prints
the thread's CPU time and wall time per phase of `ingest` (validation, canonical JSON and hash, write) and of
the whole call, for a first send and for an identical re-send; --cprofile prints the top functions too.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_enrol")
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()

    from bench import enrolments as bench

    os.environ.update(bench._env(args.database_url))
    setup = bench.prepare(args.database_url, 1)
    calls = bench.make_batches(setup, 2000 * args.calls, 2000, seed=5)

    import django

    django.setup()
    import cProfile
    import pstats

    from django.test import Client

    from alternance.enrolments import services
    from alternance.enrolments.models import Enrolment

    phases: dict[str, list[float]] = {}

    from django.db import connection

    def server_cpu() -> float:
        """CPU seconds of this connection's PostgreSQL backend (same machine: /proc), 0 elsewhere."""
        if connection.vendor != "postgresql":
            return 0.0
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def timed(name, fn):
        def wrapper(*a, **kw):
            c, w = time.thread_time(), time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                phases.setdefault(name, [0.0, 0.0])
                phases[name][0] += time.thread_time() - c
                phases[name][1] += time.perf_counter() - w

        return wrapper

    services.validate_batch = timed("validation", services.validate_batch)
    if hasattr(services, "_hashed"):
        services._hashed = timed("JSON canonique + empreinte", services._hashed)
    else:
        services.rules.canonical_json = timed("JSON canonique + empreinte", services.rules.canonical_json)
    services._write = timed("écriture", services._write)

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {setup['keys'][0]['secret']}"}
    profiler = cProfile.Profile() if args.cprofile else None
    Enrolment.objects.all().delete()
    warm = bench.make_batches(setup, 2000, 2000, seed=6)[0][1]  # imports, referentials in cache, connection
    client.post("/api/v1/enrolments", warm, content_type="application/json", **headers)
    Enrolment.objects.all().delete()
    for label in ("premier envoi", "renvoi identique"):
        phases.clear()
        total = [0.0, 0.0]
        server = server_cpu()
        for _, body, valid, *_ in calls:
            c, w = time.thread_time(), time.perf_counter()
            if profiler and label == "premier envoi":
                profiler.enable()
            response = client.post("/api/v1/enrolments", body, content_type="application/json", **headers)
            if profiler:
                profiler.disable()
            total[0] += time.thread_time() - c
            total[1] += time.perf_counter() - w
            assert response.status_code == 200, response.content[:300]
            assert response.json()["accepted"] == valid
        n = len(calls)
        server = server_cpu() - server
        print(
            f"{label} : {n} appels de 2 000, par appel CPU {total[0] / n * 1000:.0f} ms, "
            f"mur {total[1] / n * 1000:.0f} ms"
            f" ({2000 * n / total[1]:,.0f} enregistrements/s sur un cœur) ; load average {os.getloadavg()[0]:.1f}"
        )
        for name, (cpu, wall) in phases.items():
            print(f"  {name:28} CPU {cpu / n * 1000:6.0f} ms ({cpu / total[0]:4.0%}), mur {wall / n * 1000:6.0f} ms")
        rest = total[0] - sum(cpu for cpu, _ in phases.values())
        print(f"  {'reste (vue, auth, réponse)':28} CPU {rest / n * 1000:6.0f} ms ({rest / total[0]:4.0%})")
        print(f"  {'serveur PostgreSQL':28} CPU {server / n * 1000:6.0f} ms (le processus de cette connexion)")
    Enrolment.objects.all().delete()
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()

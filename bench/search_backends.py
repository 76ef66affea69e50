"""Database baselines and the HTTP measurements of bench.search (PostgreSQL, SQLite, API, gunicorn)."""

import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
import psycopg

from alternance.core import geo

TABLES = ("offer", "company", "training")
HAVERSINE_SQL = (
    "2 * 6371.0088 * asin(least(1, sqrt(power(sin(radians(lat - %(lat)s) / 2), 2) + "
    "cos(radians(%(lat)s)) * cos(radians(lat)) * power(sin(radians(lon - %(lon)s) / 2), 2))))"
)
# Published offers whatever their expiry: each query drops those expired at the run's instant, as the engine does.
LOAD_SQL = {
    "offer": "SELECT rome_id AS rome, lat, lon, id, expires_at FROM offers_offer WHERE status = 'publiee'",
    "company": "SELECT w.rome, c.lat, c.lon, c.id, NULL::timestamptz AS expires_at FROM companies_company c "
    "JOIN bench_rome_naf w ON w.naf = c.naf_id WHERE c.accepts_spontaneous",
    "training": "SELECT tr.rome_id AS rome, t.lat, t.lon, t.id, NULL::timestamptz AS expires_at "
    "FROM trainings_training t JOIN trainings_trainingrome tr ON tr.training_id = t.id "
    "WHERE t.status = 'publiee' AND t.lat IS NOT NULL AND t.lon IS NOT NULL",
}
FRESH_SQL = " AND (expires_at IS NULL OR expires_at > %(now)s)"
LAYOUT = "v2 expires_at"  # part of the fingerprint: tables of an older layout are rebuilt


def _fingerprint(cur, weights: dict) -> str:
    """The data and the ROME -> NAF candidates the bench tables were built from."""
    pairs = sorted((rome, naf) for rome, by_naf in weights.items() for naf in by_naf)
    cur.execute(
        "SELECT (SELECT count(*) FROM companies_company), (SELECT max(updated_at) FROM offers_offer), "
        "(SELECT count(*) FROM trainings_trainingrome)"
    )
    return (
        LAYOUT + repr(cur.fetchone()) + f" pairs={len(pairs)} {hashlib.sha256(repr(pairs).encode()).hexdigest()[:12]}"
    )


def _top(ids, d, radius, k):
    keep = d <= radius
    ids, d = ids[keep], d[keep]
    order = np.lexsort((ids, d))
    ids, d = ids[order], d[order]
    _, first = np.unique(ids, return_index=True)
    first.sort()
    return ids[first][:k], d[first][:k]


class Postgres:
    """b-tree (rome, lat, lon) per kind, one row per (item, ROME); bounding box then haversine in SQL."""

    def __init__(self, url: str, weights: dict, log):
        self.url = url
        self.conn = psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True)
        cur = self.conn.cursor()
        cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (name text PRIMARY KEY, value text)")
        cur.execute("SELECT value FROM bench_meta WHERE name = 'fingerprint'")
        row = cur.fetchone()
        fingerprint = _fingerprint(cur, weights)
        if row and row[0] == fingerprint:
            log("postgres: bench tables up to date")
            return
        t = time.perf_counter()
        cur.execute("DROP TABLE IF EXISTS bench_rome_naf")
        cur.execute("CREATE TABLE bench_rome_naf (rome text, naf text)")
        with cur.copy("COPY bench_rome_naf (rome, naf) FROM STDIN") as copy:
            for rome, by_naf in weights.items():
                for naf in by_naf:
                    copy.write_row((rome, naf))
        for kind in TABLES:
            cur.execute(f"DROP TABLE IF EXISTS bench_{kind}_rome")
            cur.execute(f"CREATE TABLE bench_{kind}_rome AS {LOAD_SQL[kind]}")
            cur.execute(f"CREATE INDEX ON bench_{kind}_rome (rome, lat, lon)")
            cur.execute(f"ANALYZE bench_{kind}_rome")
        cur.execute(
            "INSERT INTO bench_meta VALUES ('fingerprint', %s) ON CONFLICT (name) DO UPDATE SET value = %s",
            (fingerprint, fingerprint),
        )
        log(f"postgres: bench tables loaded in {time.perf_counter() - t:.0f} s")

    def run(self, queries, k, now):
        cur = self.conn.cursor()
        cur.execute("SET max_parallel_workers_per_gather = 0")
        sql = {
            kind: f"SELECT id, min(d) AS d FROM (SELECT id, {HAVERSINE_SQL} AS d FROM bench_{kind}_rome "
            "WHERE rome = ANY(%(romes)s) AND lat BETWEEN %(a)s AND %(b)s AND lon BETWEEN %(c)s AND %(e)s"
            + (FRESH_SQL if kind == "offer" else "")
            + ") s WHERE d <= %(r)s GROUP BY id ORDER BY d, id LIMIT %(k)s"
            for kind in TABLES
        }
        times, answers = [], []
        for romes, lat, lon, radius in queries:
            a, b, c, e = geo.bounding_box(lat, lon, radius)
            params = dict(romes=list(romes), lat=lat, lon=lon, a=a, b=b, c=c, e=e, r=radius, k=k, now=now)
            t = time.perf_counter()
            answer = {}
            for kind in TABLES:
                cur.execute(sql[kind], params, prepare=True)
                rows = cur.fetchall()
                answer[kind] = (np.array([r[0] for r in rows]), np.array([r[1] for r in rows]))
            times.append((time.perf_counter() - t) * 1000)
            answers.append(answer)
        return times, answers


class PostGIS:
    """The strongest database baseline: geography points, GiST index on (rome, geography), parallel query off.

    Built from the Postgres bench tables (same rows, same fingerprint); distances on the sphere of the
    engine (ST_Distance and ST_DWithin with use_spheroid = false: mean radius 6,371,008.8 m)."""

    def __init__(self, pg: Postgres, log):
        self.conn, self.ready = pg.conn, False
        cur = self.conn.cursor()
        cur.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")
        if not cur.fetchone()[0]:
            self.status = "not available on this server (apt-get install postgresql-15-postgis-3): skipped"
            return
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cur.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        cur.execute("SELECT value FROM bench_meta WHERE name = 'fingerprint'")
        fingerprint = cur.fetchone()[0]
        cur.execute("SELECT value FROM bench_meta WHERE name = 'postgis'")
        row = cur.fetchone()
        if not row or row[0] != fingerprint:
            t = time.perf_counter()
            # A GiST index built from rows in random order inserts each entry into a random page (40 min and
            # more for 17 M rows); rows stored by ROME then geohash reach neighbouring pages one after another,
            # and the build keeps its buffers in memory.
            cur.execute("SET maintenance_work_mem = '1GB'")
            for kind in TABLES:
                cur.execute(f"DROP TABLE IF EXISTS bench_{kind}_geo")
                cur.execute(
                    f"CREATE TABLE bench_{kind}_geo AS SELECT rome, id, expires_at, "
                    f"ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog FROM bench_{kind}_rome "
                    "ORDER BY rome, ST_GeoHash(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 8)"
                )
                cur.execute(f"CREATE INDEX ON bench_{kind}_geo USING gist (rome, geog)")
                cur.execute(f"ANALYZE bench_{kind}_geo")
            cur.execute(
                "INSERT INTO bench_meta VALUES ('postgis', %s) ON CONFLICT (name) DO UPDATE SET value = %s",
                (fingerprint, fingerprint),
            )
            log(f"postgis: tables and GiST indexes built in {time.perf_counter() - t:.0f} s")
        cur.execute("SELECT postgis_lib_version()")
        self.status = f"PostGIS {cur.fetchone()[0]}, GiST (rome, geography), parallel query off"
        self.ready = True

    def run(self, queries, k, now):
        cur = self.conn.cursor()
        cur.execute("SET max_parallel_workers_per_gather = 0")
        point = "ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography"
        sql = {
            kind: f"SELECT id, min(ST_Distance(geog, {point}, false)) / 1000 AS d FROM bench_{kind}_geo "
            f"WHERE rome = ANY(%(romes)s) AND ST_DWithin(geog, {point}, %(m)s, false)"
            + (FRESH_SQL if kind == "offer" else "")
            + " GROUP BY id ORDER BY d, id LIMIT %(k)s"
            for kind in TABLES
        }
        times, answers = [], []
        for romes, lat, lon, radius in queries:
            params = dict(romes=list(romes), lat=lat, lon=lon, m=radius * 1000.0, k=k, now=now)
            t = time.perf_counter()
            answer = {}
            for kind in TABLES:
                cur.execute(sql[kind], params, prepare=True)
                rows = cur.fetchall()
                answer[kind] = (np.array([r[0] for r in rows]), np.array([r[1] for r in rows], dtype=np.float64))
            times.append((time.perf_counter() - t) * 1000)
            answers.append(answer)
        return times, answers


class Sqlite:
    """The same tables in a SQLite file; bounding box in SQL, haversine and top-k in numpy."""

    def __init__(self, path: Path, pg_url: str, weights: dict, log):
        pg = psycopg.connect(pg_url.replace("postgres://", "postgresql://"))
        fingerprint = _fingerprint(pg.cursor(), weights)
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS bench_meta (name TEXT PRIMARY KEY, value TEXT)")
        row = self.db.execute("SELECT value FROM bench_meta WHERE name = 'fingerprint'").fetchone()
        if row and row[0] == fingerprint:
            log("sqlite: bench file up to date")
            return
        t = time.perf_counter()
        for kind in TABLES:
            self.db.execute(f"DROP TABLE IF EXISTS {kind}_rome")
            self.db.execute(f"CREATE TABLE {kind}_rome (rome TEXT, lat REAL, lon REAL, id INTEGER, expires REAL)")
            with pg.cursor(name=f"bench_{kind}") as cur:
                cur.itersize = 200_000
                cur.execute(f"SELECT rome, lat, lon, id, extract(epoch FROM expires_at)::float8 FROM bench_{kind}_rome")
                while rows := cur.fetchmany(200_000):
                    self.db.executemany(f"INSERT INTO {kind}_rome VALUES (?, ?, ?, ?, ?)", rows)
            self.db.execute(f"CREATE INDEX {kind}_rome_idx ON {kind}_rome (rome, lat, lon)")
        self.db.execute("INSERT OR REPLACE INTO bench_meta VALUES ('fingerprint', ?)", (fingerprint,))
        self.db.commit()
        log(f"sqlite: bench file loaded in {time.perf_counter() - t:.0f} s")

    def run(self, queries, k, now):
        times, answers = [], []
        epoch = now.timestamp()
        for romes, lat, lon, radius in queries:
            a, b, c, e = geo.bounding_box(lat, lon, radius)
            marks = ",".join("?" * len(romes))
            t = time.perf_counter()
            answer = {}
            for kind in TABLES:
                fresh = " AND (expires IS NULL OR expires > ?)" if kind == "offer" else ""
                rows = self.db.execute(
                    f"SELECT id, lat, lon FROM {kind}_rome WHERE rome IN ({marks}) AND lat BETWEEN ? AND ? "
                    f"AND lon BETWEEN ? AND ?{fresh}",
                    (*romes, a, b, c, e, *((epoch,) if fresh else ())),
                ).fetchall()
                arr = np.array(rows, dtype=np.float64).reshape(-1, 3)
                d = geo.haversine_km_array(lat, lon, arr[:, 1], arr[:, 2])
                answer[kind] = _top(arr[:, 0].astype(np.int64), d, radius, k)
            times.append((time.perf_counter() - t) * 1000)
            answers.append(answer)
        return times, answers


def _url(romes, lat, lon, radius) -> str:
    query = urllib.parse.urlencode(
        {"romes": ",".join(romes), "lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "radius_km": f"{radius:.0f}"}
    )
    return f"/api/v1/search?{query}"


def api_times(queries, log) -> list[float]:
    """The whole API call in process (Django test client: routing, validation, search, JSON)."""
    from django.conf import settings
    from django.test import Client

    from alternance.core.serving import prepare_process

    settings.SEARCH_FRESHNESS_SECONDS = 2.0
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    prepare_process()  # as config/wsgi.py does in every worker (the garbage collector's settings)
    client = Client()
    for romes, lat, lon, radius in queries[:20]:  # warm-up: index mapped, trees built
        client.get(_url(romes, lat, lon, radius))
    times, errors = [], 0
    for romes, lat, lon, radius in queries:
        t = time.perf_counter()
        response = client.get(_url(romes, lat, lon, radius))
        body = response.content
        times.append((time.perf_counter() - t) * 1000)
        if response.status_code != 200:
            errors += 1
            if errors == 1:
                log(f"api: status {response.status_code} {body[:200]!r}")
        elif not json.loads(body):
            errors += 1
    log(f"api: {len(times)} calls, {errors} errors")
    return times


RADIUS_CHOICES = (10, 30, 60, 100)  # the distances the results page offers


def html_times(queries, commune_of, log) -> list[float]:
    """The HTML results page in process, as a browser asks for it (occupation and commune chosen, gzip)."""
    from django.conf import settings
    from django.test import Client

    from alternance.core.serving import prepare_process

    settings.SEARCH_FRESHNESS_SECONDS = 2.0
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    prepare_process()  # as config/wsgi.py does in every worker (the garbage collector's settings)
    client = Client(headers={"accept-encoding": "gzip, deflate, br"})

    def url(romes, lat, lon, radius):
        rayon = min(RADIUS_CHOICES, key=lambda r: abs(r - radius))
        query = {"metier": "x", "rome": ",".join(romes), "lieu": "x", "insee": commune_of[(lat, lon)], "rayon": rayon}
        return "/recherche/?" + urllib.parse.urlencode(query)

    for q in queries[:20]:
        client.get(url(*q))
    times, errors = [], 0
    for q in queries:
        t = time.perf_counter()
        response = client.get(url(*q))
        body = response.content
        times.append((time.perf_counter() - t) * 1000)
        if response.status_code != 200 or b"Erreur dans la recherche" in gzip.decompress(body):
            errors += 1
            if errors == 1:
                log(f"html: status {response.status_code} {gzip.decompress(body)[:300]!r}")
    log(f"html: {len(times)} pages, {errors} errors")
    return times


def _wrk(base: str, queries, seconds: float, connections: int, log) -> dict | None:
    """Load from wrk (compiled, from Debian) on loopback, bounded in time; None when wrk is absent."""
    wrk = shutil.which("wrk")
    if not wrk:
        return None
    paths = ",\n".join(json.dumps(_url(*q)) for q in queries)
    script = (
        f"local paths = {{\n{paths}\n}}\nlocal i = 0\n"
        "init = function(args) math.randomseed(os.time() + math.random(1000)); i = math.random(#paths) end\n"
        "request = function() i = i % #paths + 1; return wrk.format('GET', paths[i]) end\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(
            [wrk, "-t2", f"-c{connections}", f"-d{seconds:.0f}s", "--latency", "-s", f.name, base],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(f.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+\w+)", out, re.M))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    return {
        "rate": rate,
        "latency": lat,
        "errors": int(bad.group(1)) if bad else 0,
        "socket": sock.group(1) if sock else "",
    }


def _python_clients(base, queries, workers, clients, seconds) -> dict:
    latencies, errors = [], [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def client(i):
        j = i
        while time.perf_counter() < stop:
            q = queries[j % len(queries)]
            j += clients
            t = time.perf_counter()
            try:
                with urllib.request.urlopen(base + _url(*q), timeout=30) as r:
                    r.read()
            except OSError:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                latencies.append((time.perf_counter() - t) * 1000)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t0
    p = np.percentile(latencies, [50, 95, 99]) if latencies else [0, 0, 0]
    rate = len(latencies) / elapsed
    return {
        f"gunicorn {workers} workers, {clients} Python client threads (no wrk)": (
            f"{rate:.0f} req/s, p50/p95/p99 {p[0]:.1f} / {p[1]:.1f} / {p[2]:.1f} ms, {errors[0]} errors"
        ),
        "_per_core": rate / (os.cpu_count() or 1),
    }


def gunicorn_load(queries, database_url: str, index_dir: Path, log, workers=None, clients=8, seconds=15.0) -> dict:
    """Start gunicorn (sync workers, one per core) on loopback, time the start-up, measure memory and
    throughput: with wrk when installed (a compiled client that leaves the cores to gunicorn), else with
    Python threads in this process (a floor: they compete with the workers for the cores)."""
    workers = workers or os.cpu_count() or 2
    port = 18000 + os.getpid() % 1000
    env = dict(os.environ, DATABASE_URL=database_url, SEARCH_INDEX_DIR=str(index_dir), DEBUG="0")
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    started = time.perf_counter()
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
            "--log-level",
            "warning",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    url = base + _url(*queries[0])
    out = {}
    try:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=30) as r:
                    r.read()
                break
            except OSError:
                if time.perf_counter() - started > 120:
                    raise
                time.sleep(0.05)
        out["gunicorn start-up to first search answer"] = f"{time.perf_counter() - started:.2f} s"
        loaded = _wrk(base, queries, seconds, clients, log)
        if loaded is not None:
            out[f"gunicorn {workers} workers, wrk 2 threads x {clients} connections, {seconds:.0f} s"] = (
                f"{loaded['rate']:.0f} req/s, p50/p90/p99 {loaded['latency'].get('50')} / "
                f"{loaded['latency'].get('90')} / {loaded['latency'].get('99')}, {loaded['errors']} non-2xx"
                + (f", socket errors {loaded['socket']}" if loaded["socket"] else "")
            )
            out["_per_core"] = loaded["rate"] / (os.cpu_count() or 1) if not loaded["errors"] else 0.0
        else:
            out.update(_python_clients(base, queries, workers, clients, seconds))
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        from .search import process_memory

        for n, child in enumerate(children):
            m = process_memory(child)
            out[f"gunicorn worker {n + 1} memory"] = (
                f"RSS {m.get('Rss', 0):.0f} MB, PSS {m.get('Pss', 0):.0f} MB, private {m.get('Private', 0):.0f} MB"
            )
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    return out

"""CPU per search request through config/wsgi.py's handler, called as a gunicorn sync worker calls it (issue 14).

python -m bench.serve_cpu [--n 300] [--rounds 3] [--kind api,html] [--cold] [--profile api|html]
    [--database-url URL | BENCH_DATABASE_URL=...]

The queries of bench.search (national database and snapshot built by `python -m bench.search --scale national`),
each asked --warm times, then timed: the thread's CPU per request (time.thread_time: what a shared machine's
load does not inflate much), of which `search()` (the service: engine, ranking, page rows, hydration) and the
rest (Django, middleware, ninja, JSON or the page's rendering, gzip), and the CPU of this process's PostgreSQL
backend per request (/proc). --cold forgets the kept page rows before each request (under wrk they are mostly
cold). --profile prints cProfile on the thread's CPU for one pass.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

parser = argparse.ArgumentParser()
parser.add_argument("--n", type=int, default=300)
parser.add_argument(
    "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
)
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--profile", default="")
parser.add_argument("--kind", default="api,html")
parser.add_argument("--warm", type=int, default=1, help="ask each query this many times before the timed pass")
parser.add_argument("--cold", action="store_true", help="forget the kept page rows before each request")
args = parser.parse_args()

from bench import search as bs  # noqa: E402

bs.setup_django(args.database_url, ROOT / "var" / "bench-search-index-national")
from django.conf import settings  # noqa: E402

from alternance.search import sources  # noqa: E402

queries = bs.make_queries(args.n, 1, sources.rome_naf_weights())
settings.SEARCH_FRESHNESS_SECONDS = 2.0

import alternance.api.search as api_search  # noqa: E402
import alternance.web.search.views as web_views  # noqa: E402
from config.wsgi import application  # noqa: E402

inside = [0.0]


def timed(fn):
    def wrapper(*a, **k):
        t = time.thread_time()
        try:
            return fn(*a, **k)
        finally:
            inside[0] += time.thread_time() - t

    return wrapper


api_search.run_search = timed(api_search.run_search)
web_views.search = timed(web_views.search)

RADIUS = (10, 30, 60, 100)


def api_path(romes, lat, lon, radius):
    q = urllib.parse.urlencode(
        {"romes": ",".join(romes), "lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "radius_km": f"{radius:.0f}"}
    )
    return "/api/v1/search", q


def html_path(romes, lat, lon, radius):
    rayon = min(RADIUS, key=lambda r: abs(r - radius))
    q = {"metier": "x", "rome": ",".join(romes), "lieu": "x", "insee": bs.COMMUNE_OF[(lat, lon)], "rayon": rayon}
    return "/recherche/", urllib.parse.urlencode(q)


def environ(path, query, gz):
    e = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "18000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "40000",
        "RAW_URI": path + "?" + query,
        "HTTP_HOST": "127.0.0.1:18000",
        "HTTP_USER_AGENT": "wrk",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.file_wrapper": None,
    }
    if gz:
        e["HTTP_ACCEPT_ENCODING"] = "gzip, deflate, br"
        e["HTTP_ACCEPT"] = "text/html"
    return e


status = [None]


def start_response(s, headers, exc_info=None):
    status[0] = s


def call(path, query, gz):
    body = application(environ(path, query, gz), start_response)
    try:
        data = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return status[0], data


def pg_cpu():
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        pg_cpu.pid = c.fetchone()[0]
    f = open(f"/proc/{pg_cpu.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


from alternance.search import pages as search_pages  # noqa: E402


def run(kind):
    make = api_path if kind == "api" else html_path
    gz = kind == "html"
    reqs = [make(*q) for q in queries]
    for p, q in reqs:
        for _ in range(args.warm):
            call(p, q, gz)
    inside[0] = 0.0
    total, bad = 0.0, 0
    pg0 = pg_cpu()
    for p, q in reqs:
        if args.cold:
            for k in ("offer", "company", "training"):
                search_pages.forget(k)
        t = time.thread_time()
        s, _ = call(p, q, gz)
        total += time.thread_time() - t
        bad += not s.startswith("200")
    n = len(reqs)
    pid0 = pg_cpu.pid
    pg1 = pg_cpu()
    run.pg = (pg1 - pg0) / n * 1000 if pg_cpu.pid == pid0 else float("nan")
    return total / n * 1000, inside[0] / n * 1000, bad


kinds = args.kind.split(",")
for p, q in [api_path(*queries[0]), html_path(*queries[0])][:2]:
    call(p, q, p.startswith("/recherche"))
if args.profile:
    make = api_path if args.profile == "api" else html_path
    reqs = [make(*q) for q in queries]
    for p, q in reqs:
        call(p, q, args.profile == "html")
    prof = cProfile.Profile(time.thread_time)
    prof.enable()
    for p, q in reqs:
        call(p, q, args.profile == "html")
    prof.disable()
    st = pstats.Stats(prof)
    st.sort_stats("cumulative").print_stats(70)
    st.sort_stats("tottime").print_stats(40)
else:
    for r in range(args.rounds):
        for kind in kinds:
            whole, srch, bad = run(kind)
            print(
                f"{kind} round {r}: CPU/request {whole:.3f} ms, search() {srch:.3f}, rest {whole - srch:.3f}, "
                f"PG {run.pg:.3f}, errors {bad}, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )

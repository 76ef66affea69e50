"""Search CPU, a git revision against the working tree: python -m bench.search_ab [--rev main] [--slowest 50].

Both versions of alternance/search run in this one process: the revision's files (git show REV:...) are copied
into a temporary package, `search_old`, and each version maps its own snapshot of the bench database (the one
bench.search seeds; the old snapshot is written with the old code when its folder has none it can read). Then:

    identity  every search of the bench's queries (page 1, relevance) and, on the slowest ones, every sort,
              pages 1 to 5, filters, subsets of types: the two SearchResults must be equal (dataclasses.asdict,
              scores to the bit); and every candidate of each kind (all within the radius, and the 150 nearest):
              same ids, distances and columns;
    CPU       time.thread_time of whole searches (service level: validation, candidates, ranking, pages read
              from the database or the per-worker row cache, hydration), old and new ALTERNATED query by query
              (the order swapped every other call) over ROUNDS rounds on the slowest queries (by the old code's
              CPU), median per query; then all the queries once each, alternated.
Wall time on a shared machine says little; CPU time of alternated calls compares the code.
"""

import argparse
import dataclasses
import datetime as dt
import importlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from . import search as bench

ROOT = Path(__file__).resolve().parent.parent
OLD = "search_old"
KINDS = ("offer", "company", "training")


def old_package(rev: str) -> Path:
    """alternance/search at `rev`, as the package `search_old` in a temporary folder (returned)."""
    folder = Path(tempfile.mkdtemp(prefix="search-ab-"))
    target = folder / OLD
    target.mkdir()
    listing = ["git", "ls-tree", "--name-only", rev, "alternance/search/"]
    names = subprocess.run(listing, cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    for name in names:
        if name.endswith(".py"):
            text = subprocess.run(["git", "show", f"{rev}:{name}"], cwd=ROOT, check=True, capture_output=True).stdout
            (target / Path(name).name).write_bytes(text)
    return folder


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", default="main", help="the git revision to compare the working tree with")
    parser.add_argument("--scale", default="national", choices=["tiny", "small", "national"])
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slowest", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench"),
    )
    args = parser.parse_args(argv)
    new_dir = ROOT / "var" / f"bench-search-index-{args.scale}"
    old_dir = ROOT / "var" / f"bench-search-ab-{args.scale}"
    sys.path.insert(0, str(old_package(args.rev)))
    bench.setup_django(args.database_url, new_dir)
    bench.ensure_data(args.scale, args.seed, print)

    from django.conf import settings
    from django.utils import timezone

    from alternance.search import index as new_index
    from alternance.search import services as new_services
    from alternance.search import sources
    from alternance.search import types as new_types

    old_index, old_services, old_types = (
        importlib.import_module(f"{OLD}.{name}") for name in ("index", "services", "types")
    )

    settings.SEARCH_FRESHNESS_SECONDS = 1e9  # no database poll: the same candidates for both, every round
    indexes = {}
    for name, module, folder in (("old", old_index, old_dir), ("new", new_index, new_dir)):
        index = module.load_snapshot(folder)
        if index is None:
            t = time.perf_counter()
            module.write_snapshot(folder)
            print(f"{name} snapshot written in {time.perf_counter() - t:.0f} s", flush=True)
            index = module.load_snapshot(folder)
        module._INDEX = indexes[name] = index
    versions = {"old": (old_services, old_types), "new": (new_services, new_types)}
    queries = bench.make_queries(args.queries, args.seed, sources.rome_naf_weights())
    now = timezone.now()
    today = timezone.localdate(now)

    def call(version, query, **options):
        services, types = versions[version]
        romes, lat, lon, radius = query
        filters = options.pop("filters", None)
        return services.search(
            romes=romes, lat=round(lat, 5), lon=round(lon, 5), radius_km=float(round(radius)), now=now, today=today,
            filters=types.SearchFilters(**filters) if filters else None, **options,
        )  # fmt: skip

    def cpu(version, query) -> float:
        t = time.thread_time()
        call(version, query)
        return (time.thread_time() - t) * 1000

    for query in queries:  # warm both: trees, row caches, referential caches
        call("old", query)
        call("new", query)
    first = np.array([cpu("old", q) for q in queries])
    slowest = [queries[i] for i in np.argsort(-first)[: args.slowest]]

    # identity
    variants = [{}, {"page": 2, "page_size": 100}, {"types": {"company"}, "page": 5}]
    variants += [{"sort": sort, "page": page} for sort in ("relevance", "distance", "date") for page in (1, 3)]
    variants += [
        {"filters": {"sizes": frozenset({"10-49", "250+"}), "accessible": True}},
        {"filters": {"levels": frozenset({4, 5}), "start_from": today + dt.timedelta(days=60)}, "sort": "date"},
        {"types": {"training", "offer"}, "sort": "distance", "page": 2},
    ]
    checks, differ = 0, []
    for query in queries:
        for options in variants if query in slowest else [{}]:
            checks += 1
            a = dataclasses.asdict(call("old", query, **dict(options)))
            if a != dataclasses.asdict(call("new", query, **dict(options))):
                differ.append(("search", query, options))
        romes, lat, lon, radius = query
        for kind in KINDS:
            for k in (None, bench.K):
                checks += 1
                a = indexes["old"].candidates(kind, romes, lat, lon, radius, now=now, k=k)
                b = indexes["new"].candidates(kind, romes, lat, lon, radius, now=now, k=k)
                oa, ob = (np.argsort(c["id"], kind="stable") for c in (a, b))
                equal = set(a) == set(b) and all(
                    np.array_equal(a[name][oa], b[name][ob], equal_nan=a[name].dtype.kind == "f") for name in a
                )
                if not equal:
                    differ.append((kind, query, k))
    print(f"identity: {checks - len(differ):,} of {checks:,} checks equal")
    for item in differ[:10]:
        print("  differs:", item)

    # CPU, alternated
    samples = {"old": np.zeros((args.rounds, len(slowest))), "new": np.zeros((args.rounds, len(slowest)))}
    for r in range(args.rounds):
        for j, query in enumerate(slowest):
            for version in ("old", "new") if (r + j) % 2 == 0 else ("new", "old"):
                samples[version][r, j] = cpu(version, query)
    median = {version: np.median(s, axis=0) for version, s in samples.items()}
    print(f"slowest {len(slowest)} queries, CPU ms per search (median of {args.rounds} alternated rounds):")
    for version, m in median.items():
        print(f"  {version} ({args.rev if version == 'old' else 'working tree'}): p50 {np.percentile(m, 50):.2f}, "
              f"p95 {np.percentile(m, 95):.2f}, mean {m.mean():.2f}")  # fmt: skip
    print(f"  new / old: {median['new'].sum() / median['old'].sum():.3f} (sums), "
          f"median per query {np.median(median['new'] / median['old']):.3f}")  # fmt: skip
    once = {"old": [], "new": []}
    for j, query in enumerate(queries):
        for version in ("old", "new") if j % 2 == 0 else ("new", "old"):
            once[version].append(cpu(version, query))
    for version, s in once.items():
        p = np.percentile(s, [50, 95, 99])
        print(f"all {len(queries)} once, {version}: p50 / p95 / p99 {p[0]:.2f} / {p[1]:.2f} / {p[2]:.2f} ms CPU")


if __name__ == "__main__":
    main()

"""Occupation suggestions: query time of the index with whole-title and popularity ranking and colloquial
words (alternance.reference.suggest), against the same index without them (the earlier formula) in the same
run. Usage: python -m bench.suggest [--rounds N] (needs the referentials loaded: manage.py load_reference).

Queries: the test set of tests/reference/occupation_queries.py plus the prefixes typed on the way
(« b », « bo », « bou »...), as the search box sends them.
"""

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

import numpy as np


def _queries() -> list[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.reference.occupation_queries import QUERIES

    typed = [query for query, _ in QUERIES]
    prefixes = [query[:n] for query in typed[:40] for n in range(1, len(query))]
    return typed + prefixes


def _timings(index, queries, rounds) -> np.ndarray:
    times = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            index.search(query, 8)
            times.append(time.perf_counter() - start)
    return np.array(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from alternance.reference import suggest

    start = time.perf_counter()
    current = suggest._build_occupation_index()
    built = time.perf_counter() - start
    plain_docs = [dataclasses.replace(doc, hirings=0, aliases=()) for doc in current.docs]
    start = time.perf_counter()
    baseline = suggest.OccupationIndex(plain_docs)
    built_baseline = time.perf_counter() - start
    queries = _queries()
    _timings(current, queries, 1)  # warm up
    rows = {}
    for name, index in (("sans popularité ni mots familiers", baseline), ("index actuel", current)):
        times = _timings(index, queries, args.rounds)
        rows[name] = np.percentile(times, [50, 95, 99])
        print(f"{name:36} p50 {rows[name][0]:.2f} ms  p95 {rows[name][1]:.2f} ms  p99 {rows[name][2]:.2f} ms")
    ratio = rows["index actuel"] / rows["sans popularité ni mots familiers"]
    print(f"rapports actuel / référence : p50 {ratio[0]:.2f}, p95 {ratio[1]:.2f}, p99 {ratio[2]:.2f} (objectif <= 1,5)")
    print(f"construction : {built:.2f} s avec la lecture de la base ; {built_baseline:.2f} s pour l'index seul")


if __name__ == "__main__":
    main()

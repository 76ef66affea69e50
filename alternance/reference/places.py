"""Place suggestions (communes and municipal arrondissements), in memory, pure (no database).

Names: the normalised name (accents, case, hyphens ignored, "st"/"ste" read as "saint"/"sainte") is matched
as a prefix; exact names first, then by population; a municipal arrondissement ranks right after its
commune, in its number's order (« paris » -> Paris, Paris 1er, Paris 2e...). When no name starts with the
query, the query is read without its small words (« aix provence »), then with one typo (two from 8
letters on) against the names' heads of the same length, spaces ignored (« montpelier », « saintetienne »).
Postcodes: by postcode order; a complete postcode puts the most specific place first (« 75011 » -> Paris
11e Arrondissement before Paris).

Each answer costs two bisections and a partial sort of the matching range (numpy), so the shortest and
busiest prefixes (« s », « sa », « saint ») are as fast as the others.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from alternance.core.text import normalize

ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
SMALL_WORDS = frozenset({"de", "des", "du", "d", "la", "le", "les", "l", "en", "et", "a", "au", "aux", "sur", "sous"})
MIN_FUZZY_LENGTH = 4
TYPO_COST = 2.5  # in decades of population: a name with a typo ranks first only if 10**2.5 times larger
EXACT_BONUS = 2.0  # an exact name ranks first unless a longer name is 100 times more populated (« evry »)
SPACE_COST = 0.5  # a name read with other spaces (« saintetienne », « saint e » -> Sainte-...)
_ARRONDISSEMENT = re.compile(r"^(.*?) (\d+)(?:er|e) arrondissement$")
_END = "\U0010ffff"


@dataclass(frozen=True)
class PlaceDoc:
    insee: str
    name: str
    postcodes: tuple[str, ...]
    departement: str
    lat: float | None
    lon: float | None
    population: int
    kind: str = "COM"  # COM (commune) or ARM (municipal arrondissement)


def place_key(text: str) -> str:
    """The matching form of a place name or query: « St-Étienne » -> "saint etienne"."""
    return " ".join(ABBREVIATIONS.get(t, t) for t in normalize(text).split())


def _short_key(key: str) -> str:
    return " ".join(t for t in key.split() if t not in SMALL_WORDS)


def _ranks(places: list[PlaceDoc]) -> np.ndarray:
    """Population, except that an arrondissement ranks just below its commune, by its number."""
    rank = np.array([p.population for p in places], dtype=np.float64)
    communes = {(p.departement, place_key(p.name)): p.population for p in places if p.kind != "ARM"}
    for i, p in enumerate(places):
        match = _ARRONDISSEMENT.match(place_key(p.name)) if p.kind == "ARM" else None
        parent = communes.get((p.departement, match.group(1))) if match else None
        if parent is not None:
            rank[i] = parent - int(match.group(2)) / 100
    return rank


def _best_by_score(ids: np.ndarray, score: np.ndarray, limit: int) -> list[int]:
    if len(ids) > limit:
        part = np.argpartition(-score, limit - 1)[:limit]
    else:
        part = np.arange(len(ids))
    part = part[np.lexsort((ids[part], -score[part]))]
    return [int(i) for i in ids[part]]


class _SortedKeys:
    """Keys sorted once; a prefix is a contiguous range, ranked by a partial sort of that range."""

    def __init__(self, keyed: list[tuple[str, int]], rank: np.ndarray):
        keyed.sort()
        self.keys = [k for k, _ in keyed]
        self.ids = np.array([i for _, i in keyed], dtype=np.int32)
        self.rank = rank[self.ids]

    def range(self, prefix: str) -> tuple[int, int]:
        return bisect.bisect_left(self.keys, prefix), bisect.bisect_left(self.keys, prefix + _END)

    def top(self, prefix: str, limit: int) -> tuple[list[int], list[int]]:
        """The best ids whose key is prefix, and the best whose key only starts with it, by rank."""
        start, end = self.range(prefix)
        if start == end:
            return [], []
        exact_end = bisect.bisect_right(self.keys, prefix, start, end)
        return self._best(start, exact_end, limit), self._best(exact_end, end, limit)

    def _best(self, start: int, end: int, limit: int) -> list[int]:
        if start >= end or limit <= 0:
            return []
        rank = -self.rank[start:end]
        if end - start > limit:
            part = np.argpartition(rank, limit - 1)[:limit]
        else:
            part = np.arange(end - start)
        part = part[np.lexsort((part, rank[part]))]
        return [int(i) for i in self.ids[start + part]]


class PlaceIndex:
    def __init__(self, places: list[PlaceDoc]):
        self.places = places
        rank = _ranks(places)
        keys = [place_key(p.name) for p in places]
        self.by_name = _SortedKeys([(k, i) for i, k in enumerate(keys)], rank)
        self.by_short_name = _SortedKeys([(_short_key(k), i) for i, k in enumerate(keys)], rank)
        by_postcode = sorted((pc, -rank[i], i) for i, p in enumerate(places) for pc in p.postcodes)
        self.postcodes = [pc for pc, _, _ in by_postcode]
        self.postcode_ids = [i for _, _, i in by_postcode]
        self.rank = rank
        self.log_rank = np.log10(rank + 10)
        # Fuzzy matching: names without spaces, grouped by first letter.
        self.squeezed: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
        groups: dict[str, list[tuple[str, int]]] = {}
        for i, k in enumerate(keys):
            squeezed = k.replace(" ", "")
            if squeezed:
                groups.setdefault(squeezed[0], []).append((squeezed, i))
        for letter, rows in groups.items():
            names = np.array([s.encode("ascii", "ignore") for s, _ in rows])  # normalised keys are ASCII
            ids = np.array([i for _, i in rows], dtype=np.int32)
            self.squeezed[letter] = (names, ids, float(self.log_rank[ids].max()))

    def search(self, query: str, limit: int = 10) -> list[PlaceDoc]:
        return [self.places[i] for i in self.search_ids(query, limit)]

    def search_ids(self, query: str, limit: int = 10) -> list[int]:
        query = query.strip()
        if limit <= 0:
            return []
        if query[:2].isdigit():
            return self._by_postcode(query.replace(" ", ""), limit)
        key = place_key(query)
        if not key:
            return []
        exact, found = self.by_name.top(key, limit)
        if not exact and not found:
            short = _short_key(key)
            if short:
                exact, found = self.by_short_name.top(short, limit)
        hits = np.asarray(exact + found, dtype=np.int32)
        score = self.log_rank[hits] + np.where(np.arange(len(hits)) < len(exact), EXACT_BONUS, 0.0)
        if len(key) > MIN_FUZZY_LENGTH or not len(hits):
            hits, score = self._with_typos(key, hits, score, limit)
        return _best_by_score(hits, score, limit)

    def _with_typos(self, key: str, hits: np.ndarray, score: np.ndarray, limit: int):
        """Add the names within a typo or two, scored by log population minus TYPO_COST per typo."""
        query = key.replace(" ", "").encode("ascii", "ignore")
        if len(query) < MIN_FUZZY_LENGTH or chr(query[0]) not in self.squeezed:
            return hits, score
        names, ids, best_log_rank = self.squeezed[chr(query[0])]
        if len(hits) >= limit and np.sort(score)[-limit] >= best_log_rank - TYPO_COST:
            return hits, score  # no name with a typo could rank among the prefix hits
        typo_ids, edits = self._fuzzy(query, names, ids)
        keep = ~np.isin(typo_ids, hits)
        if len(hits):  # names read with other spaces only when no name starts with the query
            keep &= edits > 0
        typo_ids, edits = typo_ids[keep], edits[keep]
        cost = np.where(edits == 0, SPACE_COST, TYPO_COST * edits)
        return np.concatenate([hits, typo_ids]), np.concatenate([score, self.log_rank[typo_ids] - cost])

    def _by_postcode(self, prefix: str, limit: int) -> list[int]:
        start = bisect.bisect_left(self.postcodes, prefix)
        end = bisect.bisect_left(self.postcodes, prefix + _END)
        if len(prefix) == 5:  # a complete postcode: the most specific place first
            hits = sorted(
                set(self.postcode_ids[start:end]),
                key=lambda i: (len(self.places[i].postcodes), -self.rank[i], i),
            )
            return hits[:limit]
        hits: dict[int, None] = {}
        for position in range(start, end):
            hits.setdefault(self.postcode_ids[position])
            if len(hits) >= limit:
                break
        return list(hits)

    @staticmethod
    def _fuzzy(query: bytes, names: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Ids and typos of the names whose head is within one typo of the query (two from 8 letters
        on), spaces ignored."""
        max_edits = 2 if len(query) >= 8 else 1
        size = len(query)
        best = np.full(len(names), max_edits + 1, dtype=np.int32)
        for cut in (size - 1, size, size + 1):
            heads = names.astype(f"S{cut}").tolist()  # numpy truncates every name to its head at once
            scores = process.cdist([query], heads, scorer=Levenshtein.distance, score_cutoff=max_edits, dtype=np.int32)
            best = np.minimum(best, scores[0])
        close = np.flatnonzero(best <= max_edits)
        return ids[close], best[close]

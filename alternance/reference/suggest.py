"""Suggestions of occupations (ROME 4.0 appellations and fiches) and places (communes), in memory.

Occupations: every appellation and every fiche is a document of normalised tokens (labels hold both
forms, "Boulanger / Boulangère", so masculine and feminine match alike). Each query token matches a
document token exactly (1.0), as a prefix (0.9), or, when neither exists anywhere, with one typo in
a prefix of the same length or one more (0.75; two typos from 8 characters on), first letter kept.
A document must match every query token (all but one from three tokens on). Score = sum of token
qualities + 0.3 if the label starts with the first token + 0.2 for a principal appellation or a
fiche - 0.06 per distinct token and 0.001 per character of label (shorter, more general titles first).

Places: alternance.reference.places (names with typos, postcodes, arrondissements in order).
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Levenshtein

from alternance.core.text import normalize

from .models import Appellation, Commune, ReferenceLoad, RomeOccupation
from .places import PlaceDoc, PlaceIndex

__all__ = ["OccupationDoc", "OccupationIndex", "PlaceDoc", "PlaceIndex", "suggest_occupations", "suggest_places"]

STOPWORDS = frozenset({"de", "des", "du", "d", "la", "le", "les", "l", "en", "et", "a", "au", "aux", "un", "une"})
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
EXACT, PREFIX, FUZZY = 1.0, 0.9, 0.75
MIN_FUZZY_LENGTH = 4


def tokens_of(text: str) -> list[str]:
    return [t for t in normalize(text).split() if t not in STOPWORDS]


@dataclass(frozen=True)
class OccupationDoc:
    kind: str  # "appellation" or "rome"
    rome: str
    label: str
    rome_label: str
    ogr: int | None
    principal: bool


class OccupationIndex:
    """Token index over appellations and fiches; build once per process, query in about a millisecond."""

    def __init__(self, docs: list[OccupationDoc]):
        self.docs = docs
        postings: dict[str, list[int]] = {}
        self.first_tokens: list[str] = []
        for index, doc in enumerate(docs):
            tokens = tokens_of(doc.label)
            self.first_tokens.append(tokens[0] if tokens else "")
            for token in set(tokens):
                postings.setdefault(token, []).append(index)
        self.vocabulary = sorted(postings)
        self.postings = {token: np.array(ids, dtype=np.int32) for token, ids in postings.items()}
        self.bonus = np.array(
            [
                (0.2 if (d.principal or d.kind == "rome") else 0.0)
                - 0.06 * len(set(tokens_of(d.label)))
                - 0.001 * len(d.label)
                for d in docs
            ],
            dtype=np.float64,
        )
        self.by_letter: dict[str, list[str]] = {}
        for token in self.vocabulary:
            if len(token) >= MIN_FUZZY_LENGTH - 1:
                self.by_letter.setdefault(token[0], []).append(token)

    def _matches(self, query_token: str) -> list[tuple[str, float]]:
        found: list[tuple[str, float]] = []
        start = bisect.bisect_left(self.vocabulary, query_token)
        for token in self.vocabulary[start:]:
            if not token.startswith(query_token):
                break
            found.append((token, EXACT if token == query_token else PREFIX))
        if found or len(query_token) < MIN_FUZZY_LENGTH:
            return found
        max_edits = 2 if len(query_token) >= 8 else 1
        size = len(query_token)
        for token in self.by_letter.get(query_token[0], ()):
            if len(token) < size - max_edits:
                continue
            best = min(
                Levenshtein.distance(query_token, token[:cut], score_cutoff=max_edits)
                for cut in (size - 1, size, size + 1, len(token))
                if 0 < cut <= len(token)
            )
            if best <= max_edits:
                found.append((token, FUZZY if best == 1 else FUZZY - 0.1))
        return found

    def search(self, query: str, limit: int = 10) -> list[OccupationDoc]:
        words = tokens_of(query)[:6]
        if not words:
            return []
        total = np.zeros(len(self.docs))
        matched = np.zeros(len(self.docs), dtype=np.int16)
        for word in words:
            quality = np.zeros(len(self.docs))
            for token, score in self._matches(word):
                ids = self.postings[token]
                quality[ids] = np.maximum(quality[ids], score)
            total += quality
            matched += quality > 0
        needed = len(words) if len(words) < 3 else len(words) - 1
        candidates = np.flatnonzero(matched >= needed)
        if candidates.size == 0:
            return []
        first = words[0]
        scores = total[candidates] + self.bonus[candidates]
        scores += np.array([0.3 if self.first_tokens[i].startswith(first[:4]) else 0.0 for i in candidates])
        order = candidates[np.lexsort((candidates, -scores))]
        results, seen = [], set()
        for index in order:
            doc = self.docs[index]
            key = (doc.rome, normalize(doc.label))
            if key in seen:
                continue
            seen.add(key)
            results.append(doc)
            if len(results) >= limit:
                break
        return results


_lock = threading.Lock()
_cache: dict[str, tuple[object, object]] = {}


def _cached(name: str, build):
    """The process-wide index `name`, rebuilt by `build()` when a new referential load has run."""
    version = ReferenceLoad.objects.latest_version()
    cached = _cache.get(name)
    if cached and cached[0] == version:
        return cached[1]
    with _lock:
        index = build()
        _cache[name] = (version, index)
        return index


def _build_occupation_index() -> OccupationIndex:
    fiches = {r.code: r.label for r in RomeOccupation.objects.active().only("code", "label")}
    docs = [OccupationDoc("rome", code, label, label, None, True) for code, label in fiches.items()]
    for ogr, label, rome, principal in Appellation.objects.active().values_list(
        "ogr_code", "label", "rome_id", "is_principal"
    ):
        if rome in fiches:
            docs.append(OccupationDoc("appellation", rome, label, fiches[rome], ogr, principal))
    return OccupationIndex(docs)


def _build_place_index() -> PlaceIndex:
    rows = Commune.objects.active().values_list(
        "insee", "name", "postcodes", "departement_code", "lat", "lon", "population", "kind"
    )
    return PlaceIndex([PlaceDoc(i, n, tuple(pc.split()), d, la, lo, p or 0, k) for i, n, pc, d, la, lo, p, k in rows])


def occupation_index() -> OccupationIndex:
    return _cached("occupations", _build_occupation_index)


def place_index() -> PlaceIndex:
    return _cached("places", _build_place_index)


def suggest_occupations(query: str, limit: int = 10) -> list[OccupationDoc]:
    return occupation_index().search(query, limit)


def suggest_places(query: str, limit: int = 10) -> list[PlaceDoc]:
    return place_index().search(query, limit)

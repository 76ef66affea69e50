"""Suggestions of occupations (ROME 4.0 appellations and fiches) and places (communes), in memory.

Occupations: every appellation and every fiche is a document of normalised tokens (labels hold both
forms, "Boulanger / Boulangère", so masculine and feminine match alike), plus the colloquial words of
colloquial.py (« mécano » for Mécanicien / Mécanicienne automobile). Each query token matches a document
token exactly (1.0), as a prefix (0.9), or, when neither exists anywhere, with one typo in a prefix of the
same length or one more (0.75; two typos from 8 characters on), first letter kept. A document must match
every query token (all but one from three tokens on). Score = sum of token qualities
    + 0.3 if the label (or a colloquial word) starts with the first token
    + 0.2 for a principal appellation or a fiche
    + COMPLETE (0.5) when the query covers a whole title: one gender form of the label ("Caissier" in
      "Caissier / Caissière") or a colloquial word, so the exact title comes before longer ones
    + POPULARITY (0.45) x log(1 + hirings of the fiche) / log(1 + most hirings of any fiche): when a query
      is the head of many titles (« infirmière », « mécanicien »), the occupation that hires the most
      (soins généraux, automobile) comes before the rare specialities (scolaire, avion)
    - 0.06 per distinct token and 0.001 per character of label (shorter, more general titles first).
Hirings are the real ones of the referential (RomeNafWeight, La Bonne Boite); without them the term is 0.
The search form resolves typed text with the same ranking (its first suggestion).

Places: alternance.reference.places (names with typos, postcodes, arrondissements in order).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import numpy as np
from django.db.models import Sum
from rapidfuzz.distance import Levenshtein

from alternance.core.text import normalize

from . import cache
from .colloquial import COLLOQUIAL_OCCUPATIONS
from .models import Appellation, Commune, RomeNafWeight, RomeOccupation
from .places import PlaceDoc, PlaceIndex

__all__ = ["OccupationDoc", "OccupationIndex", "PlaceDoc", "PlaceIndex", "suggest_occupations", "suggest_places"]

STOPWORDS = frozenset({"de", "des", "du", "d", "la", "le", "les", "l", "en", "et", "a", "au", "aux", "un", "une"})
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
EXACT, PREFIX, FUZZY = 1.0, 0.9, 0.75
MIN_FUZZY_LENGTH = 4
HEAD, PRINCIPAL, COMPLETE, POPULARITY = 0.3, 0.2, 0.5, 0.45


def tokens_of(text: str) -> list[str]:
    return [t for t in normalize(text).split() if t not in STOPWORDS]


def gender_forms(label: str) -> list[str]:
    """The titles a label holds: "Infirmier / Infirmière en soins généraux" -> ["Infirmier en soins généraux",
    "Infirmière en soins généraux"]; a label without " / " is one title."""
    parts = label.split(" / ")
    if len(parts) != 2:
        return [label]
    left, right = parts[0].split(), parts[1].split()
    masculine = left + right[len(left) :] if len(right) > len(left) else left
    return [" ".join(masculine), parts[1]]


@dataclass(frozen=True)
class OccupationDoc:
    kind: str  # "appellation" or "rome"
    rome: str
    label: str
    rome_label: str
    ogr: int | None
    principal: bool
    hirings: int = 0  # real hirings of the fiche (popularity)
    aliases: tuple[str, ...] = ()  # colloquial words (colloquial.py)


class OccupationIndex:
    """Token index over appellations and fiches; build once per process, query in about a millisecond."""

    def __init__(self, docs: list[OccupationDoc]):
        self.docs = docs
        postings: dict[str, list[int]] = {}
        self.first_tokens: list[tuple[str, ...]] = []
        form_sizes, bonus = [], []
        top = math.log1p(max((d.hirings for d in docs), default=0))
        for index, doc in enumerate(docs):
            label_tokens = tokens_of(doc.label)
            alias_tokens = [tokens_of(alias) for alias in doc.aliases]
            self.first_tokens.append(tuple(t[0] for t in [label_tokens, *alias_tokens] if t))
            sizes = [len(set(tokens_of(form))) for form in gender_forms(doc.label)]
            form_sizes.append(min((s for s in sizes + [len(set(t)) for t in alias_tokens] if s), default=0))
            bonus.append(
                (PRINCIPAL if (doc.principal or doc.kind == "rome") else 0.0)
                + (POPULARITY * math.log1p(doc.hirings) / top if top else 0.0)
                - 0.06 * len(set(label_tokens))
                - 0.001 * len(doc.label)
            )
            for token in set(label_tokens).union(*alias_tokens):
                postings.setdefault(token, []).append(index)
        self.vocabulary = sorted(postings)
        self.postings = {token: np.array(ids, dtype=np.int32) for token, ids in postings.items()}
        self.form_size = np.array(form_sizes, dtype=np.int16)
        self.bonus = np.array(bonus, dtype=np.float64)
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
        head = words[0][:4]
        scores = total[candidates] + self.bonus[candidates]
        scores += np.array([HEAD if any(t.startswith(head) for t in self.first_tokens[i]) else 0.0 for i in candidates])
        complete = (matched[candidates] == len(words)) & (matched[candidates] >= self.form_size[candidates])
        scores += COMPLETE * complete
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


def _build_occupation_index() -> OccupationIndex:
    fiches = {r.code: r.label for r in RomeOccupation.objects.active().only("code", "label")}
    hirings = dict(RomeNafWeight.objects.values("rome_id").annotate(n=Sum("hirings")).values_list("rome_id", "n"))
    aliases: dict[int, list[str]] = {}
    for word, ogr in COLLOQUIAL_OCCUPATIONS.items():
        aliases.setdefault(ogr, []).append(word)
    docs = [
        OccupationDoc("rome", code, label, label, None, True, hirings.get(code) or 0) for code, label in fiches.items()
    ]
    for ogr, label, rome, principal in Appellation.objects.active().values_list(
        "ogr_code", "label", "rome_id", "is_principal"
    ):
        if rome in fiches:
            docs.append(
                OccupationDoc(
                    "appellation",
                    rome,
                    label,
                    fiches[rome],
                    ogr,
                    principal,
                    hirings.get(rome) or 0,
                    tuple(aliases.get(ogr, ())),
                )
            )
    return OccupationIndex(docs)


def _build_place_index() -> PlaceIndex:
    rows = Commune.objects.active().values_list(
        "insee", "name", "postcodes", "departement_code", "lat", "lon", "population", "kind"
    )
    return PlaceIndex([PlaceDoc(i, n, tuple(pc.split()), d, la, lo, p or 0, k) for i, n, pc, d, la, lo, p, k in rows])


def occupation_index() -> OccupationIndex:
    return cache.cached("suggest:occupations", _build_occupation_index)


def place_index() -> PlaceIndex:
    return cache.cached("suggest:places", _build_place_index)


def suggest_occupations(query: str, limit: int = 10) -> list[OccupationDoc]:
    return occupation_index().search(query, limit)


def suggest_places(query: str, limit: int = 10) -> list[PlaceDoc]:
    return place_index().search(query, limit)

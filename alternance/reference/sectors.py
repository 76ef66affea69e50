"""Which NAF sous-classes hire for a ROME fiche: real hirings when loaded, else an approximation from the divisions.

The real table is RomeNafWeight (La Bonne Boite's hirings per ROME x NAF sous-classe). Without its file (a fresh
machine with only the registry packages), the only sector data is NafDivisionRome: France Travail's list of ROME
fiches per NAF *division* (2 digits). `division_weights` turns it into sous-classe weights by this rule:

- every NAF sous-classe of a division that lists the ROME is a candidate, with weight 1 (the list gives no count);
- a sous-classe whose label shares a word with the ROME fiche's label (words of 6 letters or more, compared on
  their first 6 letters without accents or case: « Boulanger » ~ « Boulangerie et boulangerie-pâtisserie »)
  weighs DIVISION_LABEL_BONUS (10) instead, so that within the food industries a baker goes to bakeries.

These weights are NOT hirings: they only order the sectors for demonstration data and search. `kind` tells which
table they come from, so that callers can say so.
"""

import re
from collections.abc import Iterable

from alternance.core.text import normalize

DIVISION_LABEL_BONUS = 10
STEM_LETTERS = 6

HIRINGS = "hirings"  # RomeNafWeight: real hirings
DIVISIONS = "divisions"  # NafDivisionRome: approximation described above


def _stems(label: str) -> set[str]:
    return {word[:STEM_LETTERS] for word in re.findall(r"[a-z]+", normalize(label)) if len(word) >= STEM_LETTERS}


def division_weights(
    division_romes: Iterable[tuple[str, str, str]], nafs: Iterable[tuple[str, str, str]]
) -> dict[tuple[str, str], int]:
    """{(ROME, NAF sous-classe): weight} from (division, ROME, ROME label) and (NAF code, division, NAF label)."""
    by_division: dict[str, list[tuple[str, set[str]]]] = {}
    for code, division, label in nafs:
        by_division.setdefault(division, []).append((code, _stems(label)))
    weights = {}
    for division, rome, rome_label in division_romes:
        rome_stems = _stems(rome_label)
        for naf, naf_stems in by_division.get(division, ()):
            weights[rome, naf] = DIVISION_LABEL_BONUS if rome_stems & naf_stems else 1
    return weights


def rome_naf_weights() -> tuple[dict[tuple[str, str], int], str]:
    """({(ROME, NAF): weight}, kind): RomeNafWeight's hirings when the table has rows, else `division_weights` of
    NafDivisionRome over the active NAF sous-classes and ROME fiches (kind DIVISIONS); ({}, "") when neither."""
    from alternance.reference.models import NafCode, NafDivisionRome, RomeNafWeight, RomeOccupation

    hirings: dict[tuple[str, str], int] = {}
    for rome, naf, count in RomeNafWeight.objects.values_list("rome_id", "naf_id", "hirings"):
        hirings[rome, naf] = hirings.get((rome, naf), 0) + count
    if hirings:
        return hirings, HIRINGS
    labels = dict(RomeOccupation.objects.active().values_list("code", "label"))
    pairs = [
        (division, rome, labels[rome])
        for division, rome in NafDivisionRome.objects.order_by("division_code", "rome_id").values_list(
            "division_code", "rome_id"
        )
        if rome in labels
    ]
    nafs = NafCode.objects.active().order_by("code").values_list("code", "division_code", "label")
    weights = division_weights(pairs, nafs)
    return (weights, DIVISIONS) if weights else ({}, "")

"""Relevance of search results, the daily rotation and the reasons shown to young people (pure, no database).

Relevance formula (the higher, the better; every factor is in (0, 2]):

    proximity(d)  = 1 / (1 + d / PROXIMITY_KM)                   halves at PROXIMITY_KM = 10 km
    company       = sqrt(sector) * size_factor * hires_factor * reply_factor * proximity(d)
        sector      = hirings(ROME, NAF) / max over NAF of hirings(ROME, NAF), in (0, 1]; best ROME of the query
        size_factor = SIZE_FACTORS[size band]: very small establishments rarely train an apprentice
        hires_factor= 1 + log10(1 + apprentices already hired on the platform) / 2
        reply_factor= 1 + REPLY_WEIGHT * (reply rate - 1/2), from 0.9 (never answers) to 1.1 (always);
                      1 while the rate is unknown (job_applications keeps it on the company): a light touch
    offer         = proximity(d) * freshness(age) * competition(applications)
        freshness   = max(0.25, 0.5 ** (age_days / 14))          halves every two weeks
        competition = 1 / (1 + applications / 10)                fewer applications first
    training      = proximity(d) * (1 if the level is known else 0.8) * (1 if not started yet else 0.7)

A company is a candidate for a ROME when the ROME makes at least SECTOR_MIN_SHARE (2 %) of the real hirings of
the company's NAF sous-classe (La Bonne Boite ROME x NAF hirings, bridged to ROME 4.0), or when its NAF is the
one that hires most for a ROME no NAF reaches that way: sector_candidates(). On the national demo set this
gives about 17 million company x ROME pairs (1,000,000 companies).

Ties: offers with equal score come with fewer applications first, then nearest, then by id.

Rotation: companies whose scores lie within ROTATION_BAND (10 %) of each other share a tier; inside a tier the
order is a hash of (company id, daily seed) where the seed mixes the date and the query. Same query, same day,
same order (pagination stays consistent); the next day the tier is reshuffled, which spreads applications.
"""

import datetime as dt
import functools
import hashlib
import math

import numpy as np

PROXIMITY_KM = 10.0
SECTOR_MIN_SHARE = 0.02
"""A NAF is a candidate sector for a ROME when the ROME makes at least 2 % of the NAF's hirings."""
ROTATION_BAND = 0.10
FRESHNESS_HALF_LIFE_DAYS = 14.0
FRESHNESS_FLOOR = 0.25
COMPETITION_SCALE = 10.0
UNKNOWN_LEVEL_FACTOR = 0.8
STARTED_FACTOR = 0.7
REPLY_WEIGHT = 0.2
"""The company's reply rate moves its score by at most ±10 %: answering recruiters come a little first."""

# INSEE size bands (tranche d'effectif salarié) -> factor.
SIZE_FACTORS = {
    "NN": 0.6,
    "00": 0.3,
    "01": 0.5,
    "02": 0.7,
    "03": 0.85,
    "11": 1.0,
    "12": 1.0,
    "21": 1.0,
    "22": 1.0,
    "31": 0.95,
    "32": 0.95,
    "41": 0.9,
    "42": 0.9,
    "51": 0.9,
    "52": 0.9,
    "53": 0.9,
}
SIZE_BANDS = tuple(SIZE_FACTORS)  # index in this tuple = the band's small integer code in the index

# Size groups offered as a filter: key -> (French label, INSEE bands). Unknown size ("NN") always passes.
SIZE_GROUPS = {
    "0-9": ("Moins de 10 salariés", ("00", "01", "02", "03")),
    "10-49": ("10 à 49 salariés", ("11", "12")),
    "50-249": ("50 à 249 salariés", ("21", "22", "31")),
    "250+": ("250 salariés et plus", ("32", "41", "42", "51", "52", "53")),
}
SIZE_GROUP_OF_BAND = {band: key for key, (_, bands) in SIZE_GROUPS.items() for band in bands}

LEVEL_NAMES = {3: "CAP", 4: "bac", 5: "bac + 2", 6: "bac + 3", 7: "bac + 5", 8: "doctorat"}


# ---------------------------------------------------------------------------------------------- candidates
def sector_candidates(hirings: dict[str, dict[str, int]]) -> dict[str, dict[str, float]]:
    """{ROME: {NAF: hirings}} (the whole table) -> {ROME: {candidate NAF: sector weight in (0, 1]}}.

    Candidate: the ROME makes at least SECTOR_MIN_SHARE (2 %) of the NAF's hirings, i.e. « the companies of this
    sector often hire for this occupation »; a ROME that no NAF reaches that way keeps the NAF that hires most
    for it, so that no occupation is left without companies. Weight: hirings / the ROME's best NAF's hirings.
    """
    naf_totals: dict[str, int] = {}
    for by_naf in hirings.values():
        for naf, count in by_naf.items():
            naf_totals[naf] = naf_totals.get(naf, 0) + max(count, 0)
    out = {}
    for rome, by_naf in hirings.items():
        positive = {naf: h for naf, h in by_naf.items() if h > 0}
        if not positive:
            continue
        best = max(positive.values())
        kept = {naf: h / best for naf, h in positive.items() if h / naf_totals[naf] >= SECTOR_MIN_SHARE}
        if not kept:
            top = min(positive, key=lambda naf: (-positive[naf], naf))
            kept = {top: 1.0}
        out[rome] = kept
    return out


# ---------------------------------------------------------------------------------------------- scores
def proximity(distance_km):
    # in place on one new array: 1 / (1 + d / PROXIMITY_KM), the same numbers as written out
    out = np.divide(distance_km, PROXIMITY_KM, dtype=np.float64)
    if np.ndim(out) == 0:
        return 1.0 / (1.0 + out)
    out += 1.0
    return np.divide(1.0, out, out=out)


_SIZE_FACTOR_TABLE = np.array([SIZE_FACTORS[b] for b in SIZE_BANDS])


def size_factor(band_index):
    """Size factor from the band's index in SIZE_BANDS (array or scalar)."""
    return _SIZE_FACTOR_TABLE[np.asarray(band_index, dtype=np.intp)]


def reply_factor(reply_rate):
    """1 + REPLY_WEIGHT * (rate - 0.5) in [0.9, 1.1]; 1 where the rate is unknown (NaN)."""
    rate = np.array(reply_rate, dtype=np.float64)  # a copy, changed in place below
    unknown = np.isnan(rate)
    np.clip(rate, 0.0, 1.0, out=rate)
    rate -= 0.5
    rate *= REPLY_WEIGHT
    rate += 1.0
    np.copyto(rate, 1.0, where=unknown)
    return rate if rate.ndim else rate[()]


def company_score(sector, band_index, hires, distance_km, reply_rate=None):
    """sqrt(sector) * size_factor * hires_factor * reply_factor * proximity, multiplied in this order into
    one array (the same numbers as the product written out, with fewer temporary arrays)."""
    shapes = [np.shape(sector), np.shape(band_index), np.shape(hires), np.shape(distance_km)]
    score = np.empty(np.broadcast_shapes(*shapes, np.shape(reply_rate) if reply_rate is not None else ()))
    np.sqrt(np.asarray(sector, dtype=np.float64), out=score)
    score *= size_factor(band_index)
    hires_factor = np.add(1.0, hires, dtype=np.float64, out=np.empty(np.shape(hires)))  # 1 + log10(1 + hires) / 2
    np.log10(hires_factor, out=hires_factor)
    hires_factor /= 2.0
    hires_factor += 1.0
    score *= hires_factor
    if reply_rate is not None:
        score *= reply_factor(reply_rate)
    score *= proximity(distance_km)
    return score if score.ndim else score[()]


def offer_score(age_days, applications, distance_km):
    age = np.maximum(0.0, np.asarray(age_days, dtype=np.float64))
    freshness = np.maximum(FRESHNESS_FLOOR, 0.5 ** (age / FRESHNESS_HALF_LIFE_DAYS))
    competition = 1.0 / (1.0 + np.asarray(applications, dtype=np.float64) / COMPETITION_SCALE)
    return proximity(distance_km) * freshness * competition


def training_score(level_known, started, distance_km):
    level = np.where(np.asarray(level_known, dtype=bool), 1.0, UNKNOWN_LEVEL_FACTOR)
    start = np.where(np.asarray(started, dtype=bool), STARTED_FACTOR, 1.0)
    return proximity(distance_km) * level * start


# ---------------------------------------------------------------------------------------------- rotation
def daily_seed(day: dt.date, romes, lat: float, lon: float) -> int:
    """A 63-bit seed from the date and the query (place rounded to about 1 km)."""
    text = f"{day.isoformat()}|{','.join(sorted(romes))}|{lat:.2f}|{lon:.2f}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 1


def mix(ids, seed: int) -> np.ndarray:
    """splitmix64 of (id XOR seed): a well-spread, deterministic uint64 per id."""
    z = np.asarray(ids, dtype=np.uint64).reshape(-1) ^ np.uint64(seed)
    z = z + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def score_tier(scores) -> np.ndarray:
    """Tier of each score: scores within ROTATION_BAND of each other share a tier (higher is better)."""
    s = np.maximum(np.asarray(scores, dtype=np.float64), 1e-12)  # a new array, changed in place below
    np.log(s, out=s)
    s /= math.log(1.0 + ROTATION_BAND)
    return np.floor(s, out=s).astype(np.int64)


def rotated_order(scores, ids, seed: int) -> np.ndarray:
    """Indices ordering by tier (best first), then by the daily hash, then by id: stable within a day."""
    ids = np.asarray(ids, dtype=np.int64)
    return np.lexsort((ids, mix(ids, seed), -score_tier(scores)))


# ---------------------------------------------------------------------------------------------- reasons
def decimal_fr(value: float, digits: int = 1) -> str:
    """French decimal: 4.25 -> "4,3" (comma, no thousands separator below 1 000)."""
    text = f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    return text


def distance_phrase(distance_km: float) -> str:
    return f"à {decimal_fr(distance_km)} km"


MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()


def date_fr(day: dt.date) -> str:
    """« 1er mars 2027 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def published_phrase(published: dt.date, today: dt.date) -> str:
    days = (today - published).days
    if days <= 0:
        return "publiée aujourd'hui"
    if days == 1:
        return "publiée hier"
    return f"publiée il y a {days} jours"


def applications_phrase(count: int) -> str:
    if count <= 0:
        return "aucune candidature pour l'instant"
    return "déjà 1 candidature" if count == 1 else f"déjà {count} candidatures"


def level_phrase(level: int | None) -> str | None:
    return f"niveau {LEVEL_NAMES[level]}" if level in LEVEL_NAMES else None


@functools.lru_cache(maxsize=4096)  # a few hundred start dates a day: one phrase each, not one per result
def start_phrase(start: dt.date | None, today: dt.date) -> str | None:
    if start is None:
        return None
    return f"débute le {date_fr(start)}" if start >= today else f"a débuté le {date_fr(start)}"


def _plural_word(word: str) -> str:
    parts = word.split("-")
    out = []
    for part in parts:
        if part.endswith(("s", "x", "z")):
            out.append(part)
        elif part.endswith(("eau", "eu")):
            out.append(part + "x")
        elif part.endswith("al"):
            out.append(part[:-2] + "aux")
        else:
            out.append(part + "s")
    return "-".join(out)


def occupation_plural(label: str) -> str | None:
    """ "Boulanger / Boulangère" -> "boulangers"; "Agent / Agente d'entretien" -> "agents d'entretien".

    Only for labels "Word / Wordfem complement" (masculine form of one word); None otherwise.
    """
    if label.count(" / ") != 1:
        return None
    masculine, feminine = label.split(" / ")
    if " " in masculine or "(" in masculine or not masculine.isalpha() and "-" not in masculine:
        return None
    rest = feminine.split(" ", 1)[1] if " " in feminine else ""
    if "'" in feminine.split(" ", 1)[0]:
        return None
    word = masculine[0].lower() + masculine[1:] if not masculine[:2].isupper() else masculine
    return f"{_plural_word(word)} {rest}".strip()


@functools.lru_cache(maxsize=4096)  # one phrase per ROME label (occupation_plural parses the label)
def sector_phrase(rome_label: str) -> str:
    plural = occupation_plural(rome_label)
    if plural:
        return f"les entreprises de ce secteur recrutent souvent des {plural}"
    return f"les entreprises de ce secteur recrutent souvent pour ce métier ({rome_label})"


def hires_phrase(hires: int) -> str | None:
    if hires <= 0:
        return None
    return (
        "a déjà recruté 1 apprenti sur la plateforme"
        if hires == 1
        else f"a déjà recruté {hires} apprentis sur la plateforme"
    )

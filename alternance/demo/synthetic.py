"""Synthetic demonstration data drawn from the real referentials (numpy, vectorised, deterministic per seed).

Everything generated here is fictional (company names say « démo »), but every code is real: NAF sous-classes
drawn by their real apprenticeship hirings (La Bonne Boite, via reference.RomeNafWeight), communes drawn by
population, ROME fiches drawn by the NAF's hirings, real ROME appellations as offer titles, real CFA
(organisations) and real diplomas (CFD, RNCP, level) for trainings.

With a partial referential (a fresh machine with only the registry packages), it degrades and says so
(`Referential.gaps`): without RomeNafWeight, the NAF x ROME weights come from NafDivisionRome by the rule of
alternance.reference.sectors (every sous-classe of a division listing the ROME, more for one whose label names
the occupation); without appellations, an offer's title is its ROME fiche's label; without CFA or diplomas,
no training is generated.

The generators return dicts of numpy arrays and never touch the database, so a benchmark can call them
directly: `ref = Referential.from_db()` (or a hand-made Referential), then
`generate_companies(n, seed, ref)`, `generate_offers(m, companies, seed, ref)`, `generate_trainings(k, seed, ref)`.
Writes are in alternance.demo.services.seed_demo.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from alternance.core.geo import haversine_km_array
from alternance.core.text import normalize

from .referential import Referential

# Scales: (companies, trainings, offers).
SCALES = {
    "tiny": (600, 80, 300),
    "small": (20_000, 2_000, 5_000),
    "national": (1_000_000, 100_000, 300_000),
}

# Cities and common apprenticeship occupations that always get companies, offers and trainings, so that a
# demonstration search such as « boulanger à Lyon » shows the three kinds of results.
HOTSPOT_CITIES = ("69123", "75056")  # Lyon, Paris (communes_fr.csv)
# ROME fiche (cr_gd_dp_v4_utf8.csv) -> words that name it in diploma titles (« BOULANGER (CAP) »).
HOTSPOT_DIPLOMA_WORDS = {
    "D1102": "boulanger",  # Boulanger / Boulangère
    "D1104": "patissier",  # Pâtissier / Pâtissière
    "D1101": "boucher",  # Boucher / Bouchère
    "G1602": "cuisine",  # Commis / Commise de cuisine
    "D1202": "coiffure",  # Coiffeur / Coiffeuse
    "I1604": "maintenance des vehicules",  # Mécanicien / Mécanicienne automobile
    "F1602": "electricien",  # Electricien / Electricienne du bâtiment
}
HOTSPOT_ROMES = tuple(HOTSPOT_DIPLOMA_WORDS)
HOTSPOT_COMPANIES, HOTSPOT_OFFERS, HOTSPOT_TRAININGS = 6, 1, 2  # per city and occupation (offers: per company)
HOTSPOT_RADIUS_KM = 20.0

# INSEE tranches d'effectif of establishments that hire apprentices (plausible, small ones dominate).
SIZE_BANDS = np.array(["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"])
SIZE_WEIGHTS = np.array([3, 8, 22, 19, 14, 13, 10, 4.5, 2.5, 0.6, 1.2, 0.6, 0.25, 0.12, 0.05, 0.03])

OFFER_STATUSES = np.array(["publiee", "suspendue", "pourvue", "expiree"])  # workflow.OfferStatus values
OFFER_STATUS_WEIGHTS = np.array([0.85, 0.04, 0.07, 0.04])
DIPLOMA_LEVELS = np.array([0, 3, 4, 5, 6, 7])  # 0: no diploma required
DIPLOMA_LEVEL_WEIGHTS = np.array([0.30, 0.25, 0.16, 0.15, 0.09, 0.05])
VALIDITY_DAYS = 60

SURNAMES = (
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy Roux "
    "David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure "
    "André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément "
    "Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer "
    "Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard "
    "Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix "
    "Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean"
).split()
STREETS = (
    "rue de la République",
    "avenue Jean-Jaurès",
    "rue Victor-Hugo",
    "place de la Mairie",
    "rue du Moulin",
    "rue de l'Église",
    "rue Pasteur",
    "boulevard Gambetta",
    "allée des Tilleuls",
    "chemin des Vignes",
    "rue des Écoles",
    "avenue de la Gare",
    "rue du Commerce",
    "impasse des Artisans",
    "zone artisanale des Prés",
)


# --- identifiers ---------------------------------------------------------------------------------------------


def luhn_check_digits(bodies: np.ndarray) -> np.ndarray:
    """Luhn check digit of each row of a digit matrix (ISO/IEC 7812-1), vectorised."""
    reversed_digits = bodies[:, ::-1]
    doubled = reversed_digits[:, 0::2] * 2
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    total = doubled.sum(axis=1) + reversed_digits[:, 1::2].sum(axis=1)
    return (10 - total % 10) % 10


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None].astype(np.int64) // powers) % 10


def make_sirets(siren_bodies: np.ndarray, nic_bodies: np.ndarray) -> np.ndarray:
    """Luhn-valid SIRETs from 8-digit SIREN bodies and 4-digit NIC bodies (vectorised core.identifiers.make_siret)."""
    siren = _digits(siren_bodies, 8)
    siren = np.concatenate([siren, luhn_check_digits(siren)[:, None]], axis=1)
    base = np.concatenate([siren, _digits(nic_bodies, 4)], axis=1)
    full = np.concatenate([base, luhn_check_digits(base)[:, None]], axis=1)
    number = (full * 10 ** np.arange(13, -1, -1, dtype=np.int64)).sum(axis=1)
    return np.char.zfill(number.astype(str), 14).astype(object)


# Demo SIREN bodies live in 90000000-96999999 (test factories use 97/98).
DEMO_SIREN_LOW, DEMO_SIREN_SPAN = 90_000_000, 7_000_000


# --- names ---------------------------------------------------------------------------------------------------


def trade_name(naf_label: str) -> str:
    """A short trade noun from a NAF label: « Boulangerie et boulangerie-pâtisserie » -> « Boulangerie »."""
    text = re.sub(r"\s*\([^)]*\)", "", naf_label).strip()
    text = re.split(r",|;| et | sauf | à l'exception ", text, maxsplit=1)[0].strip()
    words = text.split()
    while len(" ".join(words)) > 48 and len(words) > 1:
        words.pop()
    while words and words[-1].lower() in {"de", "des", "du", "d'", "la", "le", "les", "en", "à", "au", "aux"}:
        words.pop()
    text = " ".join(words) or "Entreprise"
    return text[0].upper() + text[1:]


def diploma_title(title: str) -> str:
    """« BOULANGER (CAP) » -> « CAP Boulanger » (BCN titles are upper case with the diploma type in brackets)."""
    match = re.match(r"^(.*?)\s*\(([^()]{1,20})\)\s*$", title.strip())
    body, kind = (match.group(1), match.group(2).strip()) if match else (title.strip(), "")
    if body.isupper():
        body = body.lower()
        body = body[0].upper() + body[1:] if body else body
    return f"{kind} {body}".strip() if kind else body


# --- helpers -------------------------------------------------------------------------------------------------


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([int(seed), stream])


def _jitter(rng, lat, lon, sd_km):
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    dlat = rng.normal(0.0, 1.0, lat.shape) * sd_km / 111.32
    dlon = rng.normal(0.0, 1.0, lon.shape) * sd_km / (111.32 * np.cos(np.radians(lat)))
    return np.round(lat + dlat, 6), np.round(lon + dlon, 6)


def _commune_spread_km(population):
    """Standard deviation of the placement around the commune centre: 200 m for a village, 2.5 km for a city."""
    return np.clip(0.004 * np.sqrt(np.asarray(population, dtype=np.float64)), 0.2, 2.5)


def _draw_grouped(rng, keys: np.ndarray, table: dict) -> list[np.ndarray]:
    """For each distinct key (in sorted order), draw rows of table[key] = (*columns, weights) as often as it occurs.

    Returns one object array per column (None where the key is missing from the table).
    """
    width = len(next(iter(table.values()))) - 1 if table else 1
    results = [np.full(len(keys), None, dtype=object) for _ in range(width)]
    order = np.argsort(keys.astype(str), kind="stable")
    sorted_keys = keys[order]
    boundaries = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    for group in np.split(order, boundaries):
        if not len(group):
            continue
        entry = table.get(keys[group[0]])
        if entry is None:
            continue
        weights = entry[-1]
        idx = rng.choice(len(weights), size=len(group), p=weights / weights.sum())
        for result, column in zip(results, entry[:-1], strict=True):
            result[group] = column[idx]
    return results


# --- companies -----------------------------------------------------------------------------------------------


def _company_columns(rng, naf_idx, commune_idx, ref: Referential, lat=None, lon=None, commune_insee=None):
    n = len(naf_idx)
    if lat is None:
        lat, lon = _jitter(
            rng,
            ref.commune_lat[commune_idx],
            ref.commune_lon[commune_idx],
            _commune_spread_km(ref.commune_population[commune_idx]),
        )
        commune_insee = ref.commune_insee[commune_idx]
    trades = {i: trade_name(ref.naf_label[i]) for i in np.unique(naf_idx).tolist()}
    surnames = np.array(SURNAMES, dtype=object)[rng.integers(0, len(SURNAMES), n)]
    names = np.array([f"{trades[i]} démo {s}" for i, s in zip(naf_idx.tolist(), surnames.tolist(), strict=True)])
    numbers = rng.integers(1, 120, n)
    streets = np.array(STREETS, dtype=object)[rng.integers(0, len(STREETS), n)]
    return {
        "name": names.astype(object),
        "naf": ref.naf_code[naf_idx],
        "commune": np.asarray(commune_insee, dtype=object),
        "lat": lat,
        "lon": lon,
        "address": np.array(
            [f"{a} {b}" for a, b in zip(numbers.tolist(), streets.tolist(), strict=True)], dtype=object
        ),
        "size_band": SIZE_BANDS[rng.choice(len(SIZE_BANDS), n, p=SIZE_WEIGHTS / SIZE_WEIGHTS.sum())].astype(object),
        "accessible_disability": rng.random(n) < 0.12,
        "accepts_spontaneous": rng.random(n) < 0.85,
        "hires_on_platform": (rng.geometric(0.55, n) - 1).astype(np.int64),
    }


def _hotspot_companies(rng, ref: Referential):
    """Companies of the NAF that hire most for each hotspot occupation, in each hotspot city."""
    naf_index = {code: i for i, code in enumerate(ref.naf_code.tolist())}
    rows = []  # (naf index, commune insee, lat, lon)
    for city in HOTSPOT_CITIES:
        if city not in ref.centres:
            continue
        places = ref.arrondissements.get(city) or [city]
        for rome in HOTSPOT_ROMES:
            top = sorted(
                (
                    (h, naf)
                    for naf, (romes, hs) in ref.naf_romes.items()
                    for r, h in zip(romes, hs, strict=True)
                    if r == rome
                ),
                reverse=True,
            )[:2]
            for k in range(HOTSPOT_COMPANIES if top else 0):
                naf = top[0][1] if k % 3 or len(top) == 1 else top[1][1]
                place = places[int(rng.integers(0, len(places)))]
                clat, clon = ref.centres[place]
                rows.append((naf_index[naf], place, clat, clon, rome))
    if not rows:
        return None, []
    naf_idx = np.array([r[0] for r in rows], dtype=np.int64)
    lat, lon = _jitter(rng, [r[2] for r in rows], [r[3] for r in rows], 0.8)
    cols = _company_columns(rng, naf_idx, None, ref, lat=lat, lon=lon, commune_insee=[r[1] for r in rows])
    return cols, [r[4] for r in rows]


def generate_companies(n: int, seed: int, ref: Referential | None = None, hotspots: bool = True) -> dict:
    """n fictional companies: NAF by real hirings, commune by population, distinct Luhn-valid SIRETs.

    Returns a dict of numpy arrays of length n (plus "hotspot_rome": the occupation a hotspot company was made
    for, "" otherwise); the first rows are the hotspot companies when `hotspots` is true.
    """
    ref = ref or Referential.from_db()
    rng = _rng(seed, 1)
    hot_cols, hot_romes = _hotspot_companies(rng, ref) if hotspots else (None, [])
    n_hot = min(len(hot_romes), n)
    n_rand = n - n_hot
    p_naf = ref.naf_hirings / ref.naf_hirings.sum()
    naf_idx = rng.choice(len(ref.naf_code), size=n_rand, p=p_naf)
    p_commune = ref.commune_population / ref.commune_population.sum()
    commune_idx = rng.choice(len(ref.commune_insee), size=n_rand, p=p_commune)
    cols = _company_columns(rng, naf_idx, commune_idx, ref)
    if n_hot:
        cols = {k: np.concatenate([np.asarray(hot_cols[k])[:n_hot], v]) for k, v in cols.items()}
    cols["hotspot_rome"] = np.array(hot_romes[:n_hot] + [""] * n_rand, dtype=object)
    # Distinct SIREN bodies; most establishments are the head office (NIC 0001), some are secondary.
    siren_bodies = DEMO_SIREN_LOW + rng.choice(DEMO_SIREN_SPAN, size=n, replace=False)
    nic_bodies = np.where(rng.random(n) < 0.8, 1, rng.integers(2, 60, n))
    cols["siret"] = make_sirets(siren_bodies, nic_bodies)
    return cols


# --- offers --------------------------------------------------------------------------------------------------


def _appellations(rng, romes: np.ndarray, ref: Referential):
    """A real appellation of each ROME, drawn by its weight; for a ROME without any, no appellation (None) and
    the fiche's label as the title."""
    if ref.rome_appellations:
        ogr, titles = _draw_grouped(rng, romes, ref.rome_appellations)
    else:
        ogr, titles = np.full(len(romes), None, dtype=object), np.full(len(romes), None, dtype=object)
    missing = np.flatnonzero(titles == None)  # noqa: E711 (element-wise)
    if len(missing):
        titles[missing] = [ref.rome_labels.get(rome, rome) for rome in romes[missing].tolist()]
    return ogr, titles


def generate_offers(m: int, companies: dict, seed: int, ref: Referential | None = None, now=None) -> dict:
    """m offers of the given companies: ROME drawn by the company's NAF hirings, a real appellation of that ROME.

    Returns numpy arrays; "company" holds indexes into the companies' arrays. Hotspot companies get their
    hotspot occupation first (HOTSPOT_OFFERS each, published).
    """
    ref = ref or Referential.from_db()
    now = now or dt.datetime.now(dt.UTC)
    rng = _rng(seed, 2)
    hot = np.flatnonzero(companies["hotspot_rome"] != "")
    hot_company = np.repeat(hot, HOTSPOT_OFFERS)[: min(m, len(hot) * HOTSPOT_OFFERS)]
    n_rand = m - len(hot_company)
    n_companies = len(companies["siret"])
    size_rank = np.searchsorted(np.sort(SIZE_BANDS), companies["size_band"].astype(str))
    weights = 1.0 + 0.4 * size_rank
    company = rng.choice(n_companies, size=n_rand, p=weights / weights.sum())
    (romes,) = _draw_grouped(rng, companies["naf"][company], ref.naf_romes)
    company = np.concatenate([hot_company, company])
    romes = np.concatenate([companies["hotspot_rome"][hot_company], romes]).astype(object)
    ogr, titles = _appellations(rng, romes, ref)

    status = OFFER_STATUSES[rng.choice(len(OFFER_STATUSES), m, p=OFFER_STATUS_WEIGHTS)].astype(object)
    status[: len(hot_company)] = "publiee"
    age_days = rng.uniform(0, VALIDITY_DAYS, m)
    age_days = np.where(status == "expiree", rng.uniform(VALIDITY_DAYS + 1, 2 * VALIDITY_DAYS, m), age_days)
    age_days = np.where(status == "pourvue", rng.uniform(0, 1.5 * VALIDITY_DAYS, m), age_days)
    now64 = np.datetime64(now.astimezone(dt.UTC).replace(tzinfo=None), "s")
    published_at = now64 - np.round(age_days * 86400).astype("timedelta64[s]")
    expires_at = published_at + np.timedelta64(VALIDITY_DAYS, "D")

    today = now.date()
    september = np.datetime64(dt.date(today.year if today.month < 8 else today.year + 1, 9, 1), "D")
    start_date = np.datetime64(today, "D") + rng.integers(14, 200, m).astype("timedelta64[D]")
    start_date = np.where(rng.random(m) < 0.35, september, start_date)
    level = DIPLOMA_LEVELS[rng.choice(len(DIPLOMA_LEVELS), m, p=DIPLOMA_LEVEL_WEIGHTS)]
    applications = np.minimum(np.floor(rng.pareto(1.6, m) * 2.0), 250).astype(np.int64)
    names = companies["name"][company]
    communes = companies["commune"][company]
    descriptions = np.array(
        [
            f"Offre fictive de démonstration : « {c} » recrute une personne en apprentissage "
            f"pour le métier de {t.lower() if t else 'ce métier'}."
            for c, t in zip(names.tolist(), titles.tolist(), strict=True)
        ],
        dtype=object,
    )
    return {
        "company": company,
        "rome": romes,
        "appellation": ogr,
        "title": titles,
        "description": descriptions,
        "diploma_level": np.where(level == 0, None, level).astype(object),
        "start_date": start_date,
        "duration_months": np.array([12, 24, 24, 24, 36])[rng.integers(0, 5, m)],
        "openings": np.where(rng.random(m) < 0.88, 1, rng.integers(2, 4, m)),
        "accessible_disability": companies["accessible_disability"][company],
        "commune": communes,
        "lat": companies["lat"][company],
        "lon": companies["lon"][company],
        "status": status,
        "published_at": published_at,
        "expires_at": expires_at,
        "applications_count": applications,
    }


# --- trainings -----------------------------------------------------------------------------------------------


def _normalized_titles(ref: Referential) -> list[str]:
    if len(ref._titles) != len(ref.diplomas):
        ref._titles = [f" {normalize(d[1])} " for d in ref.diplomas]
    return ref._titles


def _diploma_candidates_for(rome: str, ref: Referential) -> list[tuple[int, bool]]:
    """Diplomas preparing for `rome`, as (index, found by title): first those whose title names the occupation
    (« BOULANGER (CAP) » for D1102), then those whose certification lists the ROME; lowest levels first."""
    words = HOTSPOT_DIPLOMA_WORDS.get(rome)
    by_title = []
    if words:
        titles = _normalized_titles(ref)
        by_title = [i for i, title in enumerate(titles) if f" {words} " in title]
    by_rome = [i for i, d in enumerate(ref.diplomas) if rome in d[4] and i not in set(by_title)]

    def key(i):
        return (ref.diplomas[i][2], ref.diplomas[i][0])

    return [(i, True) for i in sorted(by_title, key=key)] + [(i, False) for i in sorted(by_rome, key=key)]


# Share of apprentices by diploma level (plausible order of magnitude: CAP-level first, then BTS, masters).
LEVEL_SHARES = {3: 0.30, 4: 0.17, 5: 0.22, 6: 0.16, 7: 0.15}


def _level_balanced_weights(ref: Referential) -> np.ndarray:
    """Diploma draw weights: LEVEL_SHARES between levels, the diploma's own weight (demand) within a level."""
    if not ref.diplomas:
        return np.array([1.0])
    levels = np.array([d[2] for d in ref.diplomas])
    own = np.array([d[5] for d in ref.diplomas], dtype=np.float64)
    weights = np.zeros_like(own)
    for level, share in LEVEL_SHARES.items():
        mask = levels == level
        if mask.any():
            weights[mask] = share * own[mask] / own[mask].sum()
    return weights if weights.sum() > 0 else own


def _training_dates(rng, k, levels, today):
    september = today.year if today.month < 8 else today.year + 1
    year = september + (rng.random(k) < 0.2)
    months_by_level = {3: (24, 24, 12), 4: (24, 36, 12), 5: (24, 24, 12), 6: (12, 36, 12), 7: (24, 24, 12)}
    choice = rng.integers(0, 3, k)
    duration = np.array([months_by_level.get(int(lv), (24, 24, 12))[c] for lv, c in zip(levels, choice, strict=True)])
    # A minority starts on the first day of one of the coming months (rentrée décalée).
    shifted = rng.random(k) < 0.15
    shift_months = rng.integers(1, 7, k)
    starts, ends = [], []
    for y, s, sm, d in zip(year.tolist(), shifted.tolist(), shift_months.tolist(), duration.tolist(), strict=True):
        if s:
            month_index = today.year * 12 + today.month - 1 + sm
            start = dt.date(month_index // 12, month_index % 12 + 1, 1)
        else:
            start = dt.date(y, 9, 1)
        end_index = start.year * 12 + start.month - 1 + d
        starts.append(start)
        ends.append(dt.date(end_index // 12, end_index % 12 + 1, 1) - dt.timedelta(days=1))
    return np.array(starts, dtype="datetime64[D]"), np.array(ends, dtype="datetime64[D]"), duration


def generate_trainings(k: int, seed: int, ref: Referential | None = None, today=None, hotspots: bool = True) -> dict:
    """k published trainings: a real CFA, a real diploma (weighted by its occupations' hirings), at the CFA.

    "romes" holds a tuple of ROME codes per training (the certification's, plus the hotspot occupation when
    the diploma was found by its title).
    """
    ref = ref or Referential.from_db()
    today = today or dt.date.today()
    rng = _rng(seed, 3)
    if not len(ref.org_id) or not ref.diplomas:
        k = 0
    org_rows, dip_rows, romes = [], [], []
    if hotspots and k:
        for city in HOTSPOT_CITIES:
            if city not in ref.centres:
                continue
            lat, lon = ref.centres[city]
            dist = haversine_km_array(lat, lon, ref.org_lat, ref.org_lon)
            near = np.flatnonzero(dist <= HOTSPOT_RADIUS_KM)
            near = near[np.argsort(dist[near], kind="stable")]
            if not len(near):
                continue
            for rome in HOTSPOT_ROMES:
                candidates = _diploma_candidates_for(rome, ref)
                if not candidates:
                    continue
                for j in range(HOTSPOT_TRAININGS):
                    dip, by_title = candidates[j % len(candidates)]
                    org_rows.append(int(near[int(rng.integers(0, min(len(near), 8)))]))
                    dip_rows.append(dip)
                    extra = (rome,) if by_title else ()
                    romes.append(tuple(sorted(set(ref.diplomas[dip][4]) | set(extra))))
    org_rows, dip_rows, romes = org_rows[:k], dip_rows[:k], romes[:k]
    n_rand = k - len(org_rows)
    weights = _level_balanced_weights(ref)
    rand_dips = rng.choice(len(weights), size=n_rand, p=weights / weights.sum())
    rand_orgs = rng.integers(0, max(len(ref.org_id), 1), n_rand)
    org_idx = np.array(org_rows + rand_orgs.tolist(), dtype=np.int64)
    dip_idx = np.array(dip_rows + rand_dips.tolist(), dtype=np.int64)
    romes = romes + [ref.diplomas[i][4] for i in rand_dips.tolist()]
    levels = np.array([ref.diplomas[i][2] for i in dip_idx.tolist()], dtype=np.int64)
    start, end, duration = _training_dates(rng, k, levels, today)
    romes_array = np.empty(k, dtype=object)
    romes_array[:] = romes
    return {
        "organisation": ref.org_id[org_idx].astype(np.int64),
        "diploma": np.array([ref.diplomas[i][0] for i in dip_idx.tolist()], dtype=object),
        "certification": np.array([ref.diplomas[i][3] for i in dip_idx.tolist()], dtype=object),
        "title": np.array([diploma_title(ref.diplomas[i][1]) for i in dip_idx.tolist()], dtype=object),
        "level": levels,
        "commune": ref.org_commune[org_idx],
        "lat": ref.org_lat[org_idx],
        "lon": ref.org_lon[org_idx],
        "start_date": start,
        "end_date": end,
        "duration_months": duration,
        "romes": romes_array,
    }

"""Legal minimum pay of an apprentice, period by period (pure module, no database).

The SMIC schedule is passed in as a list of ``(effective_date, monthly_amount)``; the thin adapter
``alternance.contracts.services.smic_schedule`` reads it from ``reference.SmicRate``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

# D6222-26 applies to contracts concluded from 1 January 2019 (décret 2018-1347 du 28 décembre 2018).
GRID_IN_FORCE_FROM = date(2019, 1, 1)
LATEST_DATE = date(2100, 12, 31)

BAND_UNDER_18 = "moins de 18 ans"
BAND_18_20 = "18 à 20 ans"
BAND_21_25 = "21 à 25 ans"
BAND_26_PLUS = "26 ans et plus"

# Age at which each band starts, in order.
BANDS: tuple[tuple[int, str], ...] = ((0, BAND_UNDER_18), (18, BAND_18_20), (21, BAND_21_25), (26, BAND_26_PLUS))

# Percentage of the base for each band and contract year (1, 2, 3).
GRID: dict[str, tuple[int, int, int]] = {
    BAND_UNDER_18: (27, 39, 55),
    BAND_18_20: (43, 51, 67),
    BAND_21_25: (53, 61, 78),
    BAND_26_PLUS: (100, 100, 100),
}

# Bands whose base is the higher of the SMIC and the conventional minimum of the job.
CONVENTIONAL_BANDS = frozenset({BAND_21_25, BAND_26_PLUS})

BASE_SMIC = "SMIC"
BASE_CONVENTIONAL = "salaire minimum conventionnel"


class PayError(ValueError):
    """Inputs the pay engine cannot answer for; ``field`` names the faulty input, ``code`` is stable."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


@dataclass(frozen=True)
class PayPeriod:
    start: date
    end: date
    age_band: str
    age: int  # the age (in whole years) whose band applies
    contract_year: int
    percent: int
    base: str  # BASE_SMIC or BASE_CONVENTIONAL
    base_monthly: Decimal
    smic_monthly: Decimal
    minimum_monthly: Decimal


def round_cents(value: Decimal) -> Decimal:
    """Round half up to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def monthly_smic(hourly: Decimal, monthly_hours: Decimal) -> Decimal:
    """Monthly SMIC = hourly x weekly hours x 52 / 12 (mensualisation, Code du travail L3242-1).

    151,67 h is 35 h x 52 / 12 rounded: multiplying by it is a few cents off the official amounts
    (12,02 x 151,67 = 1 823,07 € but the SMIC of 1 January 2026 is 1 823,03 €).
    """
    weekly = (Decimal(monthly_hours) * 12 / 52).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return round_cents(Decimal(hourly) * weekly * 52 / 12)


def add_years(day: date, years: int) -> date:
    """Same day ``years`` later; a 29 February becomes the 28th (Code de procédure civile, art. 641)."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def first_of_next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on ``day`` (the birthday of a 29 February falls on 28 February, CPC art. 641)."""
    years = day.year - birth_date.year
    return years if add_years(birth_date, years) <= day else years - 1


def band_for_age(age: int) -> str:
    """Age band of the grid (Code du travail D6222-26)."""
    band = BANDS[0][1]
    for threshold, name in BANDS:
        if age >= threshold:
            band = name
    return band


# A 4th year exists only for an apprentice with a recognised disability (L6222-37, R6222-47).
EXTENDED_YEAR_BONUS = 15


def percent_for(band: str, contract_year: int) -> int:
    """Percentage of D6222-26; a year added for a disabled apprentice: last year's rate + 15 points (R6222-48)."""
    if contract_year <= 3:
        return GRID[band][contract_year - 1]
    return GRID[band][2] + EXTENDED_YEAR_BONUS


def band_changes(birth_date: date, start: date, end: date) -> list[tuple[date, int]]:
    """Dates from which a higher age band applies: 1st day of the month after the birthday (D6222-34).

    The band at the start follows the age on the start date; later birthdays take effect on the 1st of the
    following month. Returns (effective date, age) pairs, the first one being (start, age at start).
    """
    changes = [(start, age_on(birth_date, start))]
    for threshold, _name in BANDS[1:]:
        birthday = add_years(birth_date, threshold)
        if birthday <= start:
            continue
        effective = first_of_next_month(birthday)
        if effective <= end:
            changes.append((effective, threshold))
    return changes


def smic_on(schedule: list[tuple[date, Decimal]], day: date) -> Decimal:
    amount = None
    for effective, monthly in schedule:
        if effective <= day:
            amount = monthly
        else:
            break
    if amount is None:
        raise PayError("smic_unknown", f"Le SMIC en vigueur le {format_date_fr(day)} est inconnu.", "start_date")
    return Decimal(amount)


MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def format_date_fr(day: date) -> str:
    """« 1er mars 2027 »."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS_FR[day.month - 1]} {day.year}"


def minimum_pay(
    birth_date: date,
    start_date: date,
    end_date: date,
    smic_schedule: Iterable[tuple[date, Decimal]],
    conventional_monthly: Decimal | None = None,
    mayotte: bool = False,
) -> list[PayPeriod]:
    """Legal minimum monthly gross pay for each period of the contract (Code du travail D6222-26 to D6222-34).

    ``end_date`` is the last day of the contract (included). Periods are contiguous, in order, and split at
    each contract anniversary, each change of age band and each SMIC revaluation.
    """
    schedule = sorted((d, Decimal(m)) for d, m in smic_schedule)
    if conventional_monthly is not None:
        conventional_monthly = round_cents(Decimal(conventional_monthly))  # a salary is paid in cents
    _check_inputs(birth_date, start_date, end_date, schedule, conventional_monthly, mayotte)

    boundaries: set[date] = {start_date}
    year = 1
    while (anniversary := add_years(start_date, year)) <= end_date:
        boundaries.add(anniversary)
        year += 1
    ages = band_changes(birth_date, start_date, end_date)
    boundaries.update(day for day, _age in ages)
    boundaries.update(day for day, _m in schedule if start_date < day <= end_date)

    ordered = sorted(boundaries)
    periods = []
    for index, start in enumerate(ordered):
        end = ordered[index + 1] - timedelta(days=1) if index + 1 < len(ordered) else end_date
        age = max(a for day, a in ages if day <= start)
        band = band_for_age(age)
        contract_year = sum(1 for y in range(1, year) if add_years(start_date, y) <= start) + 1
        percent = percent_for(band, contract_year)
        smic = smic_on(schedule, start)
        base, base_monthly = BASE_SMIC, smic
        if band in CONVENTIONAL_BANDS and conventional_monthly is not None and conventional_monthly > smic:
            base, base_monthly = BASE_CONVENTIONAL, conventional_monthly
        periods.append(
            PayPeriod(
                start=start,
                end=end,
                age_band=band,
                age=age,
                contract_year=contract_year,
                percent=percent,
                base=base,
                base_monthly=base_monthly,
                smic_monthly=smic,
                minimum_monthly=round_cents(base_monthly * percent / 100),
            )
        )
    return periods


def _check_inputs(birth_date, start_date, end_date, schedule, conventional_monthly, mayotte) -> None:
    if mayotte:
        raise PayError(
            "mayotte_unavailable",
            "SMIC de Mayotte non disponible : le calcul pour Mayotte n'est pas encore possible.",
            "mayotte",
        )
    if end_date < start_date:
        raise PayError(
            "end_before_start",
            "La date de fin du contrat est antérieure à sa date de début : corrigez l'une des deux dates.",
            "end_date",
        )
    if start_date < GRID_IN_FORCE_FROM:
        raise PayError(
            "start_out_of_range",
            "La date de début doit être postérieure au 1er janvier 2019 : "
            "la grille actuelle s'applique aux contrats conclus depuis cette date.",
            "start_date",
        )
    if end_date > LATEST_DATE:
        raise PayError("end_out_of_range", "La date de fin doit être antérieure à 2100.", "end_date")
    if add_years(start_date, 4) <= end_date:
        raise PayError(
            "too_long",
            "Un contrat d'apprentissage dure au plus 4 ans (3 ans, ou 4 ans pour un apprenti handicapé) : "
            "avancez la date de fin.",
            "end_date",
        )
    if birth_date >= start_date:
        raise PayError(
            "birth_after_start",
            "La date de naissance doit être antérieure à la date de début du contrat.",
            "birth_date",
        )
    if conventional_monthly is not None and conventional_monthly < 0:
        raise PayError(
            "negative_conventional",
            "Le salaire minimum conventionnel ne peut pas être négatif.",
            "conventional_monthly",
        )
    if not schedule or schedule[0][0] > start_date:
        raise PayError(
            "smic_unknown",
            f"Le SMIC en vigueur le {format_date_fr(start_date)} est inconnu : chargez l'historique du SMIC.",
            "start_date",
        )


def explain(periods: list[PayPeriod]) -> list[str]:
    """Plain-language sentences, one per period: « à partir du 1er mars 2027 : 21 ans, 53 % du SMIC »."""
    sentences = []
    previous: PayPeriod | None = None
    for period in periods:
        reasons = []
        if previous is None:
            reasons.append(f"{period.age} ans, {period.contract_year}re année de contrat")
        else:
            if period.age_band != previous.age_band:
                reasons.append(f"{period.age} ans")
            if period.contract_year != previous.contract_year:
                reasons.append(f"{period.contract_year}e année de contrat")
            if period.smic_monthly != previous.smic_monthly:
                reasons.append("revalorisation du SMIC")
        base = "du SMIC" if period.base == BASE_SMIC else "du salaire minimum conventionnel"
        prefix = "du" if previous is None else "à partir du"
        sentences.append(
            f"{prefix} {format_date_fr(period.start)} : {', '.join(reasons)}, "
            f"{period.percent} % {base}, soit {format_money_fr(period.minimum_monthly)} brut par mois"
        )
        previous = period
    return sentences


def format_money_fr(amount: Decimal) -> str:
    """« 1 234,56 € » with a narrow no-break space between thousands."""
    whole, cents = f"{round_cents(amount):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{'\u202f'.join(groups)},{cents}\u00a0€"


REFERENCE_AGES = (16, 18, 21, 26)
"""Ages shown on an offer: one in each band of the grid (Code du travail D6222-26)."""


def first_month_by_age(
    start_date: date, smic_schedule: Iterable[tuple[date, Decimal]], ages: Iterable[int] = REFERENCE_AGES
) -> list[tuple[int, PayPeriod]]:
    """Legal minimum of the first month of a contract starting on ``start_date`` for an apprentice of each age
    on that day, 1st contract year, SMIC base (Code du travail D6222-26 to D6222-28)."""
    schedule = list(smic_schedule)
    out = []
    for age in ages:
        birth = add_years(start_date, -age)
        periods = minimum_pay(birth, start_date, add_years(start_date, 1) - timedelta(days=1), schedule)
        out.append((age, periods[0]))
    return out

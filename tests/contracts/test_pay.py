"""The minimum pay engine against cases worked out by hand from Code du travail D6222-26 and D6222-34.

Monthly SMIC (from the real history): 1 766,92 € (2024-01-01), 1 801,80 € (2024-11-01), 1 823,03 € (2026-01-01),
1 867,02 € (2026-06-01).
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from alternance.contracts.pay import (
    BASE_CONVENTIONAL,
    BASE_SMIC,
    PayError,
    add_years,
    age_on,
    explain,
    format_money_fr,
    minimum_pay,
)
from tests.contracts.smic import real_smic_schedule

D = date.fromisoformat
S, C = BASE_SMIC, BASE_CONVENTIONAL

# name: (birth, start, end, conventional, [(start, end, age_band, year, percent, base, minimum)])
CASES = {
    "birthday in the middle of a contract year (18 on 15 March 2026, band from 1 April)": (
        "2008-03-15",
        "2025-09-01",
        "2027-08-31",
        None,
        [
            ("2025-09-01", "2025-12-31", "moins de 18 ans", 1, 27, S, "486.49"),
            ("2026-01-01", "2026-03-31", "moins de 18 ans", 1, 27, S, "492.22"),
            ("2026-04-01", "2026-05-31", "18 à 20 ans", 1, 43, S, "783.90"),
            ("2026-06-01", "2026-08-31", "18 à 20 ans", 1, 43, S, "802.82"),
            ("2026-09-01", "2027-08-31", "18 à 20 ans", 2, 51, S, "952.18"),
        ],
    ),
    "birthday on the last day of a month (21 on 30 April, band from 1 May)": (
        "2005-04-30",
        "2026-02-01",
        "2027-01-31",
        None,
        [
            ("2026-02-01", "2026-04-30", "18 à 20 ans", 1, 43, S, "783.90"),
            ("2026-05-01", "2026-05-31", "21 à 25 ans", 1, 53, S, "966.21"),
            ("2026-06-01", "2027-01-31", "21 à 25 ans", 1, 53, S, "989.52"),
        ],
    ),
    "born 29 February: 18 on 28 February 2026, band from 1 March": (
        "2008-02-29",
        "2025-10-01",
        "2026-09-30",
        None,
        [
            ("2025-10-01", "2025-12-31", "moins de 18 ans", 1, 27, S, "486.49"),
            ("2026-01-01", "2026-02-28", "moins de 18 ans", 1, 27, S, "492.22"),
            ("2026-03-01", "2026-05-31", "18 à 20 ans", 1, 43, S, "783.90"),
            ("2026-06-01", "2026-09-30", "18 à 20 ans", 1, 43, S, "802.82"),
        ],
    ),
    "contract starting on 29 February: 2nd year from 28 February": (
        "2003-06-15",
        "2024-02-29",
        "2025-08-31",
        None,
        [
            ("2024-02-29", "2024-06-30", "18 à 20 ans", 1, 43, S, "759.78"),
            ("2024-07-01", "2024-10-31", "21 à 25 ans", 1, 53, S, "936.47"),
            ("2024-11-01", "2025-02-27", "21 à 25 ans", 1, 53, S, "954.95"),
            ("2025-02-28", "2025-08-31", "21 à 25 ans", 2, 61, S, "1099.10"),
        ],
    ),
    "6-month contract crossing the SMIC revaluation of 1 November 2024 (aged 29)": (
        "1995-05-05",
        "2024-09-01",
        "2025-02-28",
        None,
        [
            ("2024-09-01", "2024-10-31", "26 ans et plus", 1, 100, S, "1766.92"),
            ("2024-11-01", "2025-02-28", "26 ans et plus", 1, 100, S, "1801.80"),
        ],
    ),
    "18-year-old with a conventional minimum above SMIC: not used under 21": (
        "2007-01-10",
        "2025-09-01",
        "2026-08-31",
        "2000.00",
        [
            ("2025-09-01", "2025-12-31", "18 à 20 ans", 1, 43, S, "774.77"),
            ("2026-01-01", "2026-05-31", "18 à 20 ans", 1, 43, S, "783.90"),
            ("2026-06-01", "2026-08-31", "18 à 20 ans", 1, 43, S, "802.82"),
        ],
    ),
    "23-year-old with a conventional minimum above SMIC: used": (
        "2002-03-03",
        "2025-09-01",
        "2026-08-31",
        "2000.00",
        [
            ("2025-09-01", "2025-12-31", "21 à 25 ans", 1, 53, C, "1060.00"),
            ("2026-01-01", "2026-05-31", "21 à 25 ans", 1, 53, C, "1060.00"),
            ("2026-06-01", "2026-08-31", "21 à 25 ans", 1, 53, C, "1060.00"),
        ],
    ),
    "23-year-old whose conventional minimum is overtaken by the SMIC on 1 June 2026": (
        "2002-03-03",
        "2025-09-01",
        "2026-08-31",
        "1830.00",
        [
            ("2025-09-01", "2025-12-31", "21 à 25 ans", 1, 53, C, "969.90"),
            ("2026-01-01", "2026-05-31", "21 à 25 ans", 1, 53, C, "969.90"),
            ("2026-06-01", "2026-08-31", "21 à 25 ans", 1, 53, S, "989.52"),
        ],
    ),
    "36-month contract of a 15-year-old turning 18 in the 3rd year": (
        "2009-11-20",
        "2025-09-01",
        "2028-08-31",
        None,
        [
            ("2025-09-01", "2025-12-31", "moins de 18 ans", 1, 27, S, "486.49"),
            ("2026-01-01", "2026-05-31", "moins de 18 ans", 1, 27, S, "492.22"),
            ("2026-06-01", "2026-08-31", "moins de 18 ans", 1, 27, S, "504.10"),
            ("2026-09-01", "2027-08-31", "moins de 18 ans", 2, 39, S, "728.14"),
            ("2027-09-01", "2027-11-30", "moins de 18 ans", 3, 55, S, "1026.86"),
            ("2027-12-01", "2028-08-31", "18 à 20 ans", 3, 67, S, "1250.90"),
        ],
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_worked_cases(name):
    birth, start, end, conventional, expected = CASES[name]
    periods = minimum_pay(
        D(birth),
        D(start),
        D(end),
        real_smic_schedule(),
        conventional_monthly=Decimal(conventional) if conventional else None,
    )
    got = [
        (p.start.isoformat(), p.end.isoformat(), p.age_band, p.contract_year, p.percent, p.base, str(p.minimum_monthly))
        for p in periods
    ]
    assert got == expected


def test_birthday_on_the_start_date_uses_the_new_band_at_once():
    periods = minimum_pay(D("2008-09-01"), D("2026-09-01"), D("2027-02-28"), real_smic_schedule())
    assert [(p.age_band, p.percent) for p in periods] == [("18 à 20 ans", 43)]


def test_rounding_is_half_up_to_the_cent():
    schedule = [(D("2019-01-01"), Decimal("1000.00"))]
    periods = minimum_pay(
        D("1990-01-01"), D("2020-01-01"), D("2020-06-30"), schedule, conventional_monthly=Decimal("1234.565")
    )
    assert periods[0].base_monthly == Decimal("1234.57")  # the conventional amount is taken to the cent
    assert periods[0].minimum_monthly == Decimal("1234.57")  # half-even would give 1234.56
    periods = minimum_pay(D("2004-01-01"), D("2025-01-01"), D("2025-06-30"), [(D("2019-01-01"), Decimal("1000.50"))])
    assert periods[0].minimum_monthly == Decimal("530.27")  # 53 % of 1 000,50 € = 530,265 (half-even: 530,26)


@pytest.mark.parametrize(
    ("birth", "start", "end", "kwargs", "code", "field"),
    [
        ("2005-01-01", "2026-09-01", "2026-08-31", {}, "end_before_start", "end_date"),
        ("2005-01-01", "2018-09-01", "2019-08-31", {}, "start_out_of_range", "start_date"),
        ("2005-01-01", "2026-09-01", "2030-09-01", {}, "too_long", "end_date"),
        ("2026-09-02", "2026-09-01", "2027-08-31", {}, "birth_after_start", "birth_date"),
        ("2005-01-01", "2026-09-01", "2027-08-31", {"mayotte": True}, "mayotte_unavailable", "mayotte"),
        (
            "2005-01-01",
            "2026-09-01",
            "2027-08-31",
            {"conventional_monthly": Decimal("-1")},
            "negative_conventional",
            "conventional_monthly",
        ),
    ],
)
def test_invalid_inputs_raise_a_named_error(birth, start, end, kwargs, code, field):
    with pytest.raises(PayError) as error:
        minimum_pay(D(birth), D(start), D(end), real_smic_schedule(), **kwargs)
    assert (error.value.code, error.value.field) == (code, field)
    assert error.value.message


def test_fourth_year_adds_15_points_to_the_third_year_rate():
    periods = minimum_pay(D("2009-11-20"), D("2026-09-01"), D("2030-08-31"), real_smic_schedule())
    assert [(p.contract_year, p.age_band, p.percent) for p in periods][-3:] == [
        (2, "18 à 20 ans", 51),
        (3, "18 à 20 ans", 67),
        (4, "18 à 20 ans", 82),
    ]
    assert periods[-1].minimum_monthly == Decimal("1530.96")  # 82 % of 1 867,02 €


def test_empty_schedule_is_an_error():
    with pytest.raises(PayError) as error:
        minimum_pay(D("2005-01-01"), D("2026-09-01"), D("2027-08-31"), [])
    assert error.value.code == "smic_unknown"


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [("2024-02-29", 1, "2025-02-28"), ("2024-02-29", 4, "2028-02-29"), ("2025-09-15", 2, "2027-09-15")],
)
def test_add_years(day, years, expected):
    assert add_years(D(day), years) == D(expected)


def test_age_on():
    assert age_on(D("2008-02-29"), D("2026-02-27")) == 17
    assert age_on(D("2008-02-29"), D("2026-02-28")) == 18
    assert age_on(D("2008-03-15"), D("2026-03-14")) == 17


def test_explanation_in_plain_french():
    periods = minimum_pay(D("2006-02-10"), D("2026-09-01"), D("2027-08-31"), real_smic_schedule())
    sentences = explain(periods)
    assert sentences[0] == (
        "du 1er septembre 2026 : 20 ans, 1re année de contrat, 43 % du SMIC, soit 802,82\u00a0€ brut par mois"
    )
    assert sentences[1].startswith("à partir du 1er mars 2027 : 21 ans, 53 % du SMIC, soit 989,52")


def test_money_format():
    assert format_money_fr(Decimal("1250.9")) == "1\u202f250,90\u00a0€"
    assert format_money_fr(Decimal("486.485")) == "486,49\u00a0€"


def test_periods_tile_the_whole_contract_without_gaps():
    periods = minimum_pay(D("2009-11-20"), D("2025-09-01"), D("2028-08-31"), real_smic_schedule())
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)


def test_monthly_smic_matches_every_official_amount_of_the_file():
    import csv

    from alternance.contracts.pay import monthly_smic
    from tests.contracts.smic import SMIC_CSV

    with SMIC_CSV.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["smic_mensuel_brut_eur"]]
    assert len(rows) > 30
    for row in rows:
        computed = monthly_smic(Decimal(row["smic_horaire_brut_eur"]), Decimal(row["heures_mensuelles"]))
        assert computed == Decimal(row["smic_mensuel_brut_eur"]), row["date_effet"]

"""Property tests of the pay engine: contiguous periods covering the contract, pay never decreasing."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from alternance.contracts.pay import add_years, minimum_pay
from tests.contracts.smic import real_smic_schedule

starts = st.dates(min_value=date(2019, 1, 1), max_value=date(2032, 12, 31))
ages_in_days = st.integers(min_value=14 * 365, max_value=40 * 365)
lengths = st.integers(min_value=0, max_value=4 * 365 - 1)
conventionals = st.one_of(st.none(), st.decimals(min_value=0, max_value=5000, places=2))


def _contract(start, age_days, length):
    end = min(start + timedelta(days=length), add_years(start, 4) - timedelta(days=1))
    return start - timedelta(days=age_days), start, end


def _minimum_on(periods, day):
    return next(p for p in periods if p.start <= day <= p.end)


@settings(max_examples=300, deadline=None)
@given(starts, ages_in_days, lengths, conventionals)
def test_periods_are_contiguous_and_cover_the_contract(start, age_days, length, conventional):
    birth, start, end = _contract(start, age_days, length)
    periods = minimum_pay(birth, start, end, real_smic_schedule(), conventional_monthly=conventional)
    assert periods[0].start == start
    assert periods[-1].end == end
    for period in periods:
        assert period.start <= period.end
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(starts, ages_in_days, lengths, conventionals)
def test_pay_never_decreases_during_a_contract(start, age_days, length, conventional):
    birth, start, end = _contract(start, age_days, length)
    periods = minimum_pay(birth, start, end, real_smic_schedule(), conventional_monthly=conventional)
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.minimum_monthly >= before.minimum_monthly
        assert after.percent >= before.percent
        assert (after.age, after.contract_year) >= (before.age, before.contract_year)


@settings(max_examples=200, deadline=None)
@given(starts, ages_in_days, st.integers(min_value=1, max_value=3000), lengths, st.data())
def test_an_older_apprentice_is_never_paid_less_on_the_same_day(start, age_days, older_by, length, data):
    birth, start, end = _contract(start, age_days, length)
    older = birth - timedelta(days=older_by)
    schedule = real_smic_schedule()
    younger_periods = minimum_pay(birth, start, end, schedule)
    older_periods = minimum_pay(older, start, end, schedule)
    day = start + timedelta(days=data.draw(st.integers(min_value=0, max_value=(end - start).days)))
    assert _minimum_on(older_periods, day).minimum_monthly >= _minimum_on(younger_periods, day).minimum_monthly


@settings(max_examples=100, deadline=None)
@given(starts, ages_in_days, lengths, st.decimals(min_value=0, max_value=5000, places=2))
def test_a_conventional_minimum_never_lowers_the_pay(start, age_days, length, conventional):
    birth, start, end = _contract(start, age_days, length)
    schedule = real_smic_schedule()
    plain = minimum_pay(birth, start, end, schedule)
    with_conventional = minimum_pay(birth, start, end, schedule, conventional_monthly=Decimal(conventional))
    for a, b in zip(plain, with_conventional, strict=True):
        assert b.minimum_monthly >= a.minimum_monthly

"""The index columns are read from named rows: a change in the order of the *_FIELDS tuples, or rows built
in another order, cannot silently swap two columns' values."""

import datetime as dt
from collections import namedtuple

import numpy as np
import pytest

from alternance.search import sources
from tests.factories import CompanyFactory, OfferFactory

OFFER = {
    "id": 7,
    "lat": 45.75,
    "lon": 4.83,
    "rome_id": "D1102",
    "diploma_level": 3,
    "start_date": dt.date(2026, 9, 1),
    "published_at": dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
    "expires_at": None,
    "applications_count": 4,
    "accessible_disability": True,
    "company__size_band": "10-19",
}
COMPANY = {
    "id": 9,
    "lat": 48.85,
    "lon": 2.34,
    "naf_id": "10.71C",
    "size_band": "10-19",
    "hires_on_platform": 2,
    "accessible_disability": False,
    "reply_rate": 0.5,
}
TRAINING = {"id": 11, "lat": 43.29, "lon": 5.42, "level": 4, "start_date": dt.date(2026, 9, 15)}


def rows_in_order(values: dict, names) -> list:
    row = namedtuple("Row", names)
    return [row(**{name: values[name] for name in names})]


def same(left: dict, right: dict) -> bool:
    return left.keys() == right.keys() and all(np.array_equal(left[k], right[k]) for k in left)


@pytest.mark.parametrize(
    "build,values,fields",
    [
        (sources.offer_columns, OFFER, sources.OFFER_FIELDS),
        (sources.company_columns, COMPANY, sources.COMPANY_FIELDS),
        (lambda rows: sources.training_columns(rows, {11: ["D1102"]}), TRAINING, sources.TRAINING_FIELDS),
    ],
)
def test_reversed_column_order_gives_the_same_columns(build, values, fields):
    assert set(fields) == set(values)
    straight = build(rows_in_order(values, fields))
    reversed_ = build(rows_in_order(values, tuple(reversed(fields))))
    assert same(straight, reversed_)
    assert straight["lat"][0] == values["lat"] and straight["lon"][0] == values["lon"]


@pytest.mark.django_db
def test_rows_of_the_database_are_named(reference_data):
    offer = OfferFactory()
    company = CompanyFactory(accepts_spontaneous=True)
    [offer_row] = sources.offer_rows(type(offer).objects.filter(pk=offer.pk))
    [company_row] = sources.company_rows(type(company).objects.filter(pk=company.pk))
    assert (offer_row.id, offer_row.rome_id, offer_row.lat) == (offer.pk, offer.rome_id, offer.lat)
    assert (company_row.id, company_row.naf_id) == (company.pk, company.naf_id)
    columns = sources.offer_columns([offer_row])
    assert columns["key"][0] == offer.rome_id and columns["applications"][0] == offer.applications_count

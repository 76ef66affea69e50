"""GET /api/v1/contracts/minimum-pay."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

URL = "/api/v1/contracts/minimum-pay"
pytestmark = pytest.mark.usefixtures("smic_rates")


def test_minimum_pay_periods(client):
    response = client.get(URL, {"birth_date": "2006-02-10", "start_date": "2026-09-01", "end_date": "2028-08-31"})
    assert response.status_code == 200
    periods = response.json()["periods"]
    assert [(p["start"], p["end"], p["percent"], p["minimum_monthly"]) for p in periods] == [
        ("2026-09-01", "2027-02-28", 43, "802.82"),
        ("2027-03-01", "2027-08-31", 53, "989.52"),
        ("2027-09-01", "2028-08-31", 61, "1138.88"),
    ]
    assert periods[0]["base_monthly"] == "1867.02"
    assert periods[1]["age_band"] == "21 à 25 ans"
    assert periods[1]["explanation"].startswith("à partir du 1er mars 2027 : 21 ans, 53 % du SMIC")


def test_conventional_minimum_is_used_from_21(client):
    response = client.get(
        URL,
        {
            "birth_date": "2002-03-03",
            "start_date": "2026-09-01",
            "end_date": "2027-02-28",
            "conventional_monthly": "2000",
        },
    )
    assert response.status_code == 200
    (period,) = response.json()["periods"]
    assert (period["base"], period["base_monthly"], period["minimum_monthly"]) == (
        "salaire minimum conventionnel",
        "2000.00",
        "1060.00",
    )


@pytest.mark.parametrize(
    ("params", "status", "code", "field"),
    [
        (
            {"birth_date": "2006-02-10", "start_date": "2026-09-01", "end_date": "2026-08-01"},
            400,
            "end_before_start",
            "end_date",
        ),
        (
            {"birth_date": "2027-02-10", "start_date": "2026-09-01", "end_date": "2027-08-01"},
            400,
            "birth_after_start",
            "birth_date",
        ),
        (
            {"birth_date": "2006-02-10", "start_date": "2010-09-01", "end_date": "2011-08-01"},
            400,
            "start_out_of_range",
            "start_date",
        ),
        (
            {"birth_date": "2006-02-10", "start_date": "2026-09-01", "end_date": "2031-08-01"},
            400,
            "too_long",
            "end_date",
        ),
        (
            {"birth_date": "2006-02-10", "start_date": "2026-09-01", "end_date": "2027-08-01", "mayotte": "true"},
            400,
            "mayotte_unavailable",
            "mayotte",
        ),
        (
            {"birth_date": "2006-02-10", "start_date": "2026-09-01", "end_date": "9999-12-31"},
            400,
            "end_out_of_range",
            "end_date",
        ),
        ({"birth_date": "2006-02-10", "start_date": "2026-09-01"}, 422, "invalid", "end_date"),
        (
            {"birth_date": "10/02/2006", "start_date": "2026-09-01", "end_date": "2027-08-01"},
            422,
            "invalid",
            "birth_date",
        ),
        (
            {
                "birth_date": "2006-02-10",
                "start_date": "2026-09-01",
                "end_date": "2027-08-01",
                "conventional_monthly": "abc",
            },
            422,
            "invalid",
            "conventional_monthly",
        ),
        (
            {
                "birth_date": "2006-02-10",
                "start_date": "2026-09-01",
                "end_date": "2027-08-01",
                "conventional_monthly": "-5",
            },
            422,
            "invalid",
            "conventional_monthly",
        ),
    ],
)
def test_errors_name_the_field(client, params, status, code, field):
    response = client.get(URL, params)
    assert response.status_code == status
    body = response.json()
    assert (body["code"], body["field"]) == (code, field)
    assert body["message"]


def test_no_smic_history_is_a_400_not_a_500(client, db):
    from alternance.reference.models import SmicRate

    SmicRate.objects.all().delete()
    response = client.get(URL, {"birth_date": "2006-02-10", "start_date": "2026-09-01", "end_date": "2027-08-01"})
    assert response.status_code == 400
    assert response.json()["code"] == "smic_unknown"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    birth=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    start=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    end=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    conventional=st.one_of(st.none(), st.text(max_size=12), st.decimals(allow_nan=False, allow_infinity=False)),
)
def test_never_a_server_error(client, birth, start, end, conventional):
    params = {"birth_date": birth.isoformat(), "start_date": start.isoformat(), "end_date": end.isoformat()}
    if conventional is not None:
        params["conventional_monthly"] = str(conventional)
    response = client.get(URL, params)
    assert response.status_code in (200, 400, 422)
    body = response.json()
    assert ("periods" in body) if response.status_code == 200 else {"code", "message", "field"} <= body.keys()

"""The minimum pay simulator page (plain GET form)."""

from html import unescape

import pytest

URL = "/remuneration/"
pytestmark = pytest.mark.usefixtures("smic_rates")


def test_empty_form_shows_no_result(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Date de naissance de l'apprenti" in html
    assert "Rémunération minimale brute par période" not in html


def test_result_table_and_plain_language_changes(client):
    response = client.get(URL, {"birth_date": "2006-02-10", "start_date": "2026-09-01", "end_date": "2028-08-31"})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "À partir du 1er mars 2027 : 21 ans, 53 % du SMIC, soit 989,52\u00a0€ brut par mois." in html
    assert "1\u202f138,88\u00a0€" in html  # 61 % of 1 867,02 €
    assert "du 1er septembre 2027 au 31 août 2028" in html


def test_french_dates_and_decimal_comma_are_accepted(client):
    response = client.get(
        URL,
        {
            "birth_date": "03/03/2002",
            "start_date": "01/09/2026",
            "end_date": "28/02/2027",
            "conventional_monthly": "2000,00",
        },
    )
    html = unescape(response.content.decode())
    assert "1\u202f060,00\u00a0€" in html
    assert "minimum conventionnel" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"birth_date": "2006-02-10", "start_date": "2026-09-01", "end_date": "2026-08-01"},
            "La date de fin du contrat est antérieure à sa date de début",
        ),
        (
            {"birth_date": "2006-02-10", "start_date": "2026-09-01", "end_date": "2027-08-01", "mayotte": "on"},
            "SMIC de Mayotte non disponible",
        ),
        ({"birth_date": "10-02-2006", "start_date": "2026-09-01", "end_date": "2027-08-01"}, "format jj/mm/aaaa"),
        ({"start_date": "2026-09-01", "end_date": "2027-08-01"}, "Saisissez la date de naissance"),
    ],
)
def test_errors_are_shown_next_to_the_field(client, params, message):
    response = client.get(URL, params)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert message in html
    assert "group--error" in html
    assert "Rémunération minimale brute par période" not in html

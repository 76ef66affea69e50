"""Posting rules of an offer (pure): one table per rule, each row a value and the expected message part."""

import datetime as dt

import pytest

from alternance.offers import rules

TODAY = dt.date(2027, 3, 1)
GOOD = "Vous apprendrez la panification, le façonnage et la cuisson au fournil avec notre équipe de 6."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD, ""),
        ("", "Décrivez le poste"),
        ("Trop court.", "au moins 30 caractères ; vous en avez saisi 11"),
        ("x" * 30, ""),
        ("x" * 5000, ""),
        ("x" * 5001, "au plus 5\u202f000 caractères"),
        (GOOD + " Voir https://boulangerie.example/offre", "adresse internet"),
        (GOOD + " Voir www.boulangerie-du-parc.fr", "adresse internet"),
        (GOOD + " Site : boulangerie-du-parc.fr", "adresse internet"),
        (GOOD + " Écrivez à patron@boulangerie.fr", "adresse internet ou électronique"),
        (GOOD + " Horaires : 5 h - 12 h. M. Dupont vous accueille.", ""),
    ],
)
def test_description(text, expected):
    message = rules.description_error(text)
    assert (expected in message) if expected else message == ""


@pytest.mark.parametrize(
    ("start", "asap", "expected"),
    [
        (TODAY, False, ""),
        (dt.date(2029, 3, 1), False, ""),
        (dt.date(2029, 3, 2), False, "au plus tard le 01/03/2029"),
        (dt.date(2027, 2, 28), False, "est passée"),
        (None, True, ""),
        (None, False, "Indiquez la date de début"),
        (TODAY, True, "pas les deux"),
    ],
)
def test_start(start, asap, expected):
    message = rules.start_error(start, asap, TODAY)
    assert (expected in message) if expected else message == ""


def test_two_years_from_a_29_february():
    assert rules.add_years(dt.date(2028, 2, 29), 2) == dt.date(2030, 2, 28)


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (6, ""),
        (36, ""),
        (24, ""),
        (5, "de 6 à 36 mois ; vous avez saisi 5\u00a0mois"),
        (37, "de 6 à 36"),
        (None, "Indiquez"),
    ],
)
def test_duration(months, expected):
    message = rules.duration_error(months)
    assert (expected in message) if expected else message == ""


@pytest.mark.parametrize(
    ("count", "expected"), [(1, ""), (50, ""), (0, "de 1 à 50"), (51, "de 1 à 50"), (None, "Indiquez")]
)
def test_openings(count, expected):
    message = rules.openings_error(count)
    assert (expected in message) if expected else message == ""


@pytest.mark.parametrize(
    ("level", "expected"), [(3, ""), (7, ""), (2, "de 3 (CAP) à 7"), (8, "de 3"), (None, "Choisissez")]
)
def test_level(level, expected):
    message = rules.level_error(level)
    assert (expected in message) if expected else message == ""


@pytest.mark.parametrize(
    ("questions", "expected"),
    [
        ([], {}),
        (["Pourquoi la boulangerie ?", "", "Avez-vous le permis ?"], {}),
        (["x" * 201], {1: "201 caractères"}),
        (["Votre site : www.exemple.fr ?"], {1: "adresse internet"}),
        (["a ?", "b ?", "c ?", "d ?"], {4: "au plus 3 questions"}),
    ],
)
def test_questions(questions, expected):
    errors = rules.question_errors(questions)
    assert set(errors) == set(expected)
    for key, part in expected.items():
        assert part in errors[key]


def test_posting_errors_lists_every_broken_rule_by_field():
    values = {"rome": "D1102", "diploma_level": 3, "start_date": None, "start_asap": True, "duration_months": 24,
              "openings": 1, "rhythm": "", "description": GOOD, "questions": ["Pourquoi nous ?"]}  # fmt: skip
    assert rules.posting_errors(values, TODAY) == {}
    broken = values | {"rome": None, "duration_months": 48, "description": "court", "questions": ["x" * 300]}
    assert set(rules.posting_errors(broken, TODAY)) == {"appellation", "duration_months", "description", "question_1"}

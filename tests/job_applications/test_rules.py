"""Pure rules: CV type read from the content, reply statistics, transition tables."""

import datetime as dt

import pytest

from alternance.job_applications import rules
from alternance.job_applications.workflow import (
    APPLICATION_TRANSITIONS,
    APPOINTMENT_TRANSITIONS,
    ApplicationStatus,
    AppointmentStatus,
    InvalidTransition,
    next_application_status,
    next_appointment_status,
)

from .files import EXECUTABLE, PNG, docx_bytes, oversized_pdf, pdf_bytes, plain_zip_bytes


@pytest.mark.parametrize(
    "data,kind",
    [
        (pdf_bytes(), "pdf"),
        (docx_bytes(), "docx"),
    ],
    ids=["real-pdf", "real-docx"],
)
def test_real_pdf_and_docx_are_accepted(data, kind):
    assert rules.check_cv(data) == kind


@pytest.mark.parametrize(
    "data",
    [EXECUTABLE, PNG, plain_zip_bytes(), b"PK\x03\x04 not a zip at all", b"Bonjour, voici mon CV"],
    ids=["renamed-executable", "image-renamed-pdf", "zip-without-word-document", "broken-zip", "text"],
)
def test_files_that_are_not_really_pdf_or_docx_are_refused(data):
    with pytest.raises(rules.CvError) as error:
        rules.check_cv(data)
    assert error.value.code == "bad_type"
    assert "PDF ou Word" in error.value.message


def test_a_cv_over_3_mb_is_refused_with_its_size():
    with pytest.raises(rules.CvError) as error:
        rules.check_cv(oversized_pdf())
    assert error.value.code == "too_large"
    assert "3,1 Mo" in error.value.message


def test_an_empty_file_is_refused():
    with pytest.raises(rules.CvError):
        rules.check_cv(b"")


NOW = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)


def days_ago(n: float) -> dt.datetime:
    return NOW - dt.timedelta(days=n)


@pytest.mark.parametrize(
    "requests,considered,answered,rate,median",
    [
        ([], 0, 0, None, None),
        # Fresh requests without answer say nothing yet.
        ([(days_ago(2), None), (days_ago(3), None), (days_ago(6), None)], 0, 0, None, None),
        # Two answered (1 and 3 days), one waiting 10 days, one fresh: 2 / 3.
        (
            [(days_ago(20), days_ago(19)), (days_ago(20), days_ago(17)), (days_ago(10), None), (days_ago(1), None)],
            3,
            2,
            2 / 3,
            2.0,
        ),
        # Below 3 requests considered: no rate.
        ([(days_ago(20), days_ago(19)), (days_ago(10), None)], 2, 1, None, None),
        ([(days_ago(30), days_ago(29.5))] * 4, 4, 4, 1.0, 0.5),
    ],
)
def test_reply_stats(requests, considered, answered, rate, median):
    stats = rules.reply_stats(requests, NOW)
    assert (stats.considered, stats.answered, stats.median_days) == (considered, answered, median)
    assert stats.rate == (pytest.approx(rate) if rate is not None else None)


def test_french_figures():
    assert rules.percent_fr(0.456) == "46\u00a0%"
    assert rules.days_fr(0.4) == "moins d'un jour"
    assert rules.days_fr(1.2) == "1 jour"
    assert rules.days_fr(3.6) == "4 jours"


N, IV, R, H, W = (
    ApplicationStatus.NEW,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.REFUSED,
    ApplicationStatus.HIRED,
    ApplicationStatus.WITHDRAWN,
)
APPLICATION_CASES = [
    (N, "proposer_entretien", IV),
    (N, "refuser", R),
    (N, "embaucher", H),
    (N, "retirer", W),
    (IV, "refuser", R),
    (IV, "embaucher", H),
    (IV, "retirer", W),
    (IV, "proposer_entretien", None),
    (R, "embaucher", None),
    (R, "retirer", None),
    (H, "refuser", None),
    (W, "proposer_entretien", None),
    (W, "embaucher", None),
]


@pytest.mark.parametrize("status,transition,expected", APPLICATION_CASES)
def test_application_transition_table(status, transition, expected):
    if expected is None:
        with pytest.raises(InvalidTransition):
            next_application_status(status, transition)
    else:
        assert next_application_status(status, transition) == expected


def test_every_application_transition_is_covered_by_the_cases():
    covered = {(s, t) for s, t, e in APPLICATION_CASES if e is not None}
    table = {(s, t.value) for t, (sources, _) in APPLICATION_TRANSITIONS.items() for s in sources}
    assert covered == table


AN, AD, AC, AR = (
    AppointmentStatus.NEW,
    AppointmentStatus.DATE_PROPOSED,
    AppointmentStatus.CALLBACK,
    AppointmentStatus.DECLINED,
)
APPOINTMENT_CASES = [
    (AN, "proposer_date", AD),
    (AN, "rappeler", AC),
    (AN, "refuser", AR),
    (AC, "proposer_date", AD),
    (AC, "refuser", AR),
    (AC, "rappeler", None),
    (AD, "refuser", None),
    (AR, "proposer_date", None),
]


@pytest.mark.parametrize("status,transition,expected", APPOINTMENT_CASES)
def test_appointment_transition_table(status, transition, expected):
    if expected is None:
        with pytest.raises(InvalidTransition):
            next_appointment_status(status, transition)
    else:
        assert next_appointment_status(status, transition) == expected


def test_every_appointment_transition_is_covered_by_the_cases():
    covered = {(s, t) for s, t, e in APPOINTMENT_CASES if e is not None}
    table = {(s, t.value) for t, (sources, _) in APPOINTMENT_TRANSITIONS.items() for s in sources}
    assert covered == table

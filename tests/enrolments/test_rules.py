"""The status rules of a learner on a date (pure: no database)."""

import datetime as dt

import pytest

from alternance.enrolments import rules
from alternance.enrolments.rules import ContractFacts, LearnerFacts, Status

# --- status -------------------------------------------------------------------------------------------

START, END = dt.date(2025, 9, 1), dt.date(2027, 6, 30)


def facts(contracts=(), **kw) -> LearnerFacts:
    return LearnerFacts(
        registered_on=kw.pop("registered_on", dt.date(2025, 7, 10)),
        course_start=START,
        course_end=END,
        contracts=tuple(ContractFacts(*c) for c in contracts),
        **kw,
    )


def status(f, day) -> Status | None:
    return rules.status_on(f, day).status


D = dt.date


@pytest.mark.parametrize(
    "learner,day,expected,rule",
    [
        (facts(), D(2025, 7, 1), None, "not_registered_yet"),
        (facts(), D(2025, 10, 1), Status.INSCRIT_SANS_CONTRAT, "no_contract"),
        (facts(), D(2025, 11, 30), Status.ABANDON, "no_contract_past_grace"),  # 90 days without a contract
        (facts([(D(2025, 9, 15), D(2027, 8, 31), None)]), D(2026, 1, 1), Status.APPRENTI, "under_contract"),
        (
            facts([(D(2025, 9, 15), D(2027, 8, 31), D(2026, 1, 10))]),
            D(2026, 1, 10),
            Status.RUPTURE,
            "broken_within_grace",
        ),
        (
            facts([(D(2025, 9, 15), D(2027, 8, 31), D(2026, 1, 10))]),
            D(2026, 7, 8),
            Status.RUPTURE,
            "broken_within_grace",
        ),
        (facts([(D(2025, 9, 15), D(2027, 8, 31), D(2026, 1, 10))]), D(2026, 7, 9), Status.ABANDON, "broken_past_grace"),
        (
            facts([(D(2025, 9, 15), None, D(2026, 1, 10)), (D(2026, 3, 1), D(2027, 8, 31), None)]),
            D(2026, 4, 1),
            Status.APPRENTI,
            "under_contract",
        ),
        (facts(dropped_out_on=D(2026, 2, 1)), D(2026, 2, 1), Status.ABANDON, "dropped_out"),
        (facts([(D(2025, 9, 1), END, None)], outcome="obtenu"), D(2027, 7, 1), Status.DIPLOME, "graduated"),
        (facts([(D(2025, 9, 1), END, None)], outcome="non_obtenu"), D(2027, 7, 1), Status.SORTI, "left"),
        (facts([(D(2025, 9, 1), END, None)]), D(2027, 7, 1), Status.SORTI, "left"),
    ],
)
def test_status_rules(learner, day, expected, rule):
    verdict = rules.status_on(learner, day)
    assert (verdict.status, verdict.rule) == (expected, rule)
    assert verdict.source


def test_every_status_rule_cites_its_source_and_the_legal_ones_an_article():
    by_code = {rule.code: rule for rule in rules.STATUS_RULES}
    assert "L6222-18-2" in by_code["broken_within_grace"].source
    assert "L6222-12-1" in by_code["no_contract"].source
    assert all(rule.source for rule in rules.STATUS_RULES)
    assert {rule.status for rule in rules.STATUS_RULES} - {None} == set(Status)

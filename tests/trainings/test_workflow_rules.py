"""The publication lifecycle (transition table) and the publication rules (data), without the database."""

import datetime as dt

import pytest

from alternance.trainings import rules, workflow
from alternance.trainings.models import Training

S = workflow.TrainingStatus


def test_statuses_are_the_model_statuses():
    assert {s.value for s in S} == set(Training.Status.values)


@pytest.mark.parametrize(
    ("status", "transition", "expected"),
    [
        ("a_verifier", "validate", "prete"),
        ("prete", "publish", "publiee"),
        ("publiee", "reject", "rejetee"),
        ("publiee", "close", "fermee"),
        ("fermee", "reopen", "a_verifier"),
        ("rejetee", "send_back", "a_verifier"),
    ],
)
def test_transitions(status, transition, expected):
    assert workflow.next_status(status, transition) == expected


@pytest.mark.parametrize(
    ("status", "transition"), [("a_verifier", "publish"), ("fermee", "publish"), ("fermee", "close")]
)
def test_transitions_not_in_the_table_raise(status, transition):
    with pytest.raises(workflow.InvalidTransition) as error:
        workflow.next_status(status, transition)
    assert "impossible" in str(error.value)


def test_paths_follow_the_table():
    assert [s for _, s in workflow.path("a_verifier", "publiee")] == ["prete", "publiee"]
    assert [s for _, s in workflow.path("fermee", "publiee")] == ["a_verifier", "prete", "publiee"]
    assert workflow.path("publiee", "publiee") == []
    for start in S:
        for goal in S:
            status = start
            for transition, reached in workflow.path(start, goal):
                assert workflow.next_status(status, transition) == reached
                status = reached
            assert status == goal


BASE = {
    "in_feed": True,
    "rncp_known": True,
    "rncp_expired": False,
    "apprenticeship": True,
    "has_certification": True,
    "sessions_over": False,
    "has_place": True,
    "organisation_verdict": "fiable",
}


@pytest.mark.parametrize(
    ("changes", "code", "status"),
    [
        ({}, "complete", "publiee"),
        ({"in_feed": False, "rncp_expired": True}, "absent_du_flux", "fermee"),
        ({"rncp_expired": True, "apprenticeship": False}, "rncp_expire", "fermee"),
        ({"sessions_over": True}, "sessions_terminees", "fermee"),
        ({"apprenticeship": False}, "hors_apprentissage", "rejetee"),
        ({"apprenticeship": None}, "complete", "publiee"),  # unknown access is not a refusal
        ({"has_certification": False}, "sans_certification", "a_verifier"),
        ({"has_place": False}, "sans_lieu", "a_verifier"),
        ({"organisation_verdict": "non_fiable"}, "organisme_non_fiable", "a_verifier"),
        ({"organisation_verdict": "a_verifier"}, "complete", "publiee"),
    ],
)
def test_first_matching_rule_wins(changes, code, status):
    rule = rules.decide(BASE | changes)
    assert (rule.code, rule.status) == (code, status)


def test_rules_are_data():
    custom = (rules.Rule("tout_ferme", "fermee", "Catalogue gelé."), *rules.RULES)
    assert rules.decide(BASE, custom).code == "tout_ferme"
    assert all(rule.status in Training.Status.values for rule in rules.RULES)
    assert rules.RULES[-1].when == {}  # a catch-all ends the table
    assert len({rule.code for rule in rules.RULES}) == len(rules.RULES)


@pytest.mark.django_db
def test_not_open_to_apprenticeship_is_rejected_on_import(reference_data, tmp_path):
    from alternance.trainings.services import import_lheo
    from tests.trainings.lheo_feeds import NOT_APPRENTICESHIP_RNCP, current, feed, write

    import_lheo(write(tmp_path, feed(current("ING", rncp=NOT_APPRENTICESHIP_RNCP))), source="ing")
    training = Training.objects.get(source="ing")
    assert training.certification.apprenticeship is False
    assert training.certification.expires_on > dt.date.today()
    assert (training.status, training.status_rule) == ("rejetee", "hors_apprentissage")


@pytest.mark.django_db
def test_apply_training_rules_after_a_change(reference_data, tmp_path, capsys):
    from django.core.management import call_command

    from alternance.trainings.services import import_lheo
    from tests.trainings.lheo_feeds import current, feed, write

    import_lheo(write(tmp_path, feed(current("R1"))), source="rules")
    training = Training.objects.get(source="rules")
    assert training.status == "publiee"
    training.certification.apprenticeship = False
    training.certification.save()
    call_command("apply_training_rules")
    assert "hors_apprentissage : 1" in capsys.readouterr().out
    training.refresh_from_db()
    assert (training.status, training.status_rule) == ("rejetee", "hors_apprentissage")
    assert training.status_history.last().from_status == "publiee"


def test_statuses_are_defined_once():
    from alternance.trainings.models import Training
    from alternance.trainings.workflow import STATUS_LABELS, TrainingStatus

    assert [value for value, _ in Training.Status.choices] == [s.value for s in TrainingStatus]
    assert dict(Training.Status.choices) == {s.value: label for s, label in STATUS_LABELS.items()}


def test_import_counts_are_typed_and_stored_under_their_report_keys():
    from alternance.trainings.counts import ImportCounts

    counts = ImportCounts(read=3, created=2, rejected=1)
    stored = counts.as_json()
    assert stored == {"lus": 3, "crees": 2, "mis_a_jour": 0, "inchanges": 0, "fermes": 0, "rejetes": 1}
    assert ImportCounts.from_json(stored) == counts
    assert ImportCounts.from_json({}) == ImportCounts()
    assert counts.labelled()[1] == ("créées", 2)

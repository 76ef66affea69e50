"""Reconciliation of the UAI of a SIRET across sources, nature and data-quality verdicts."""

import datetime as dt

import pytest

from alternance.organisations import rules
from alternance.organisations.models import Organisation
from alternance.organisations.services import record_fact, uai_candidates
from alternance.trainings.models import Training
from alternance.trainings.register import refresh_register
from tests.factories import OrganisationFactory, TrainingFactory

# Real UAIs of the CFA register (organismes/cfa_uai_siret.cp1252.csv), département 01.
UAI_A, UAI_B, UAI_C = "0010826T", "0010856A", "0010965U"


def test_the_uai_confirmed_by_most_sources_is_probable():
    result = rules.reconcile_uai([(UAI_A, "cfa"), (UAI_B, "lheo"), (UAI_B, "onisep"), (UAI_B, "lheo")])
    assert result.probable == UAI_B and result.conflict
    assert [(c.uai, c.sources) for c in result.candidates] == [(UAI_B, ("lheo", "onisep")), (UAI_A, ("cfa",))]


def test_agreeing_sources_are_no_conflict():
    result = rules.reconcile_uai([(UAI_A, "cfa"), (UAI_A.lower(), "lheo")])
    assert result.probable == UAI_A and not result.conflict and result.candidates[0].weight == 2


def test_ties_are_broken_the_same_way_every_time():
    forward = rules.reconcile_uai([(UAI_C, "x"), (UAI_A, "y")])
    backward = rules.reconcile_uai([(UAI_A, "y"), (UAI_C, "x")])
    assert forward.probable == backward.probable == UAI_A and forward.conflict


def test_an_invalid_uai_is_kept_as_candidate_but_never_probable():
    result = rules.reconcile_uai([("0010826U", "a"), ("0010826U", "b"), (UAI_C, "c")])
    assert result.probable == UAI_C and not result.conflict
    assert {c.uai for c in result.candidates} == {"0010826U", UAI_C}


def test_no_uai_at_all():
    result = rules.reconcile_uai([("", "a")])
    assert result == rules.Reconciliation((), "", False)


def test_pair_consistency_uses_the_uai_departement():
    assert rules.pair_errors("85052026300011", UAI_A, "01") == []
    assert "département 01" in rules.pair_errors("85052026300011", UAI_A, "69")[0]
    assert rules.pair_errors("85052026300012", UAI_A)[0].startswith("La clé")


@pytest.mark.parametrize(
    ("issues", "expected"),
    [([], "fiable"), (["missing_uai"], "a_verifier"), (["missing_uai", "uai_conflict"], "non_fiable")],
)
def test_verdicts(issues, expected):
    assert rules.verdict(issues) == expected


@pytest.mark.django_db
def test_sources_disagreeing_on_a_siret_are_flagged(reference_data):
    cfa = OrganisationFactory(uai=UAI_A, source="cfa_uai_siret", commune__insee="01004")
    record_fact(cfa, "uai", UAI_B, "lheo:bretagne", dt.date(2026, 1, 5))
    record_fact(cfa, "uai", UAI_B, "lheo:bretagne:courriel", dt.date(2026, 1, 5))
    refresh_register([cfa.pk])
    cfa.refresh_from_db()
    assert cfa.uai == UAI_A  # a source's UAI is never overwritten
    assert cfa.probable_uai == UAI_B and cfa.uai_conflict
    assert "uai_conflict" in cfa.quality_issues and cfa.quality_verdict == "non_fiable"
    candidates = uai_candidates(cfa).candidates
    assert [(c.uai, len(c.sources)) for c in candidates] == [(UAI_B, 2), (UAI_A, 1)]


@pytest.mark.django_db
def test_two_rows_of_one_siret_with_different_uais_conflict(reference_data):
    first = OrganisationFactory(uai=UAI_A, source="cfa_uai_siret")
    second = OrganisationFactory(siret=first.siret, uai=UAI_B, source="cfa_uai_siret")
    refresh_register([first.pk])
    for organisation in (first, second):
        organisation.refresh_from_db()
        assert organisation.uai_conflict and organisation.probable_uai == UAI_A


@pytest.mark.django_db
def test_a_missing_uai_is_filled_from_the_sources(reference_data):
    organisation = OrganisationFactory(uai="", source="lheo:x")
    record_fact(organisation, "uai", UAI_C, "lheo:x")
    refresh_register([organisation.pk])
    organisation.refresh_from_db()
    assert organisation.uai == UAI_C and not organisation.uai_conflict


@pytest.mark.django_db
def test_quality_issues_and_nature_from_the_catalogue(reference_data):
    responsible = OrganisationFactory(uai="", closed_on=dt.date(2020, 1, 1))
    trainer = OrganisationFactory()
    TrainingFactory(organisation=responsible, trainer=trainer, rncp_code="", status=Training.Status.PUBLISHED)
    refresh_register([responsible.pk, trainer.pk])
    responsible.refresh_from_db()
    trainer.refresh_from_db()
    assert responsible.nature == Organisation.Nature.RESPONSIBLE
    assert trainer.nature == Organisation.Nature.TRAINER
    assert set(responsible.quality_issues) == {"missing_uai", "closed_still_training", "courses_without_rncp"}
    assert responsible.quality_verdict == "non_fiable"
    assert trainer.quality_verdict == "fiable", trainer.quality_issues

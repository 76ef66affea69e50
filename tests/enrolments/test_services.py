"""Ingestion: valid records stored even when others fail, idempotent re-send, versions and history."""

import pytest

from alternance.enrolments.models import Enrolment, EnrolmentContract, EnrolmentVersion
from alternance.enrolments.services import BatchTooLarge, ingest
from alternance.organisations.models import TrainingSite
from tests.enrolments.records import OTHER_CFA_UAI, TODAY, record


def test_valid_records_are_stored_even_when_others_fail(cfa):
    batch = [record(), record(birth_date="2030-01-01"), record()]
    result = ingest(cfa, batch, today=TODAY)
    assert (result.accepted, result.rejected) == (2, 1)
    assert [r.status for r in result.records] == ["accepted", "rejected", "accepted"]
    assert result.records[1].errors[0]["field"] == "birth_date"
    assert set(Enrolment.objects.values_list("learner_id", flat=True)) == {
        batch[0]["learner_id"],
        batch[2]["learner_id"],
    }
    assert EnrolmentContract.objects.count() == 2 and EnrolmentVersion.objects.count() == 2


def test_resending_the_same_records_changes_nothing(cfa):
    batch = [record(), record()]
    ingest(cfa, batch, today=TODAY)
    before = list(Enrolment.objects.values_list("id", "version", "updated_at"))
    again = ingest(cfa, [dict(reversed(list(r.items()))) for r in batch], today=TODAY)
    assert again.accepted == 2 and again.count("unchanged") == 2
    assert list(Enrolment.objects.values_list("id", "version", "updated_at")) == before
    assert EnrolmentVersion.objects.count() == 2 and EnrolmentContract.objects.count() == 2


def test_a_newer_version_updates_and_keeps_the_history(cfa):
    first = record()
    ingest(cfa, [first], today=TODAY)
    broken = first | {"contracts": [first["contracts"][0] | {"break_date": "2026-01-15", "break_reason": "démission"}]}
    result = ingest(cfa, [broken], today=TODAY)
    assert result.count("updated") == 1
    enrolment = Enrolment.objects.get()
    assert enrolment.version == 2
    assert [c.break_reason for c in enrolment.contracts.all()] == ["démission"]
    history = list(enrolment.versions.values_list("version", "data"))
    assert [v for v, _ in history] == [1, 2]
    assert history[0][1]["contracts"][0]["break_date"] is None
    assert history[1][1]["contracts"][0]["break_date"] == "2026-01-15"
    assert str(enrolment.status_on(TODAY)) == "rupture"


def test_the_same_learner_twice_in_a_batch_keeps_the_last(cfa):
    first = record()
    result = ingest(cfa, [first, first | {"outcome": "obtenu"}], today=TODAY)
    assert result.accepted == 2
    assert Enrolment.objects.get().outcome == "obtenu"


def test_the_nir_is_never_stored(cfa):
    nir = "1 08 03 01 004 123 45"
    ingest(cfa, [record(nir=nir)], today=TODAY)
    enrolment = Enrolment.objects.get()
    assert enrolment.nir_present is True
    stored = str(list(Enrolment.objects.values())) + str(list(EnrolmentVersion.objects.values()))
    assert nir not in stored and nir.replace(" ", "") not in stored


def test_a_training_site_uai_is_accepted_and_gives_the_place(cfa, other_cfa):
    assert ingest(cfa, [record(uai_formateur=OTHER_CFA_UAI)], today=TODAY).rejected == 1
    TrainingSite.objects.create(organisation=cfa, key="site-peronnas", uai=OTHER_CFA_UAI, commune=other_cfa.commune)
    result = ingest(cfa, [record(uai_responsable=OTHER_CFA_UAI, uai_formateur=OTHER_CFA_UAI)], today=TODAY)
    assert result.accepted == 1
    assert Enrolment.objects.get().departement_code == other_cfa.commune.departement_code


def test_learners_are_keyed_by_organisation(cfa, other_cfa):
    same = record()
    ingest(cfa, [same], today=TODAY)
    ingest(other_cfa, [same | {"uai_responsable": OTHER_CFA_UAI, "uai_formateur": OTHER_CFA_UAI}], today=TODAY)
    assert Enrolment.objects.filter(learner_id=same["learner_id"]).count() == 2


def test_more_than_2000_records_are_refused(cfa):
    with pytest.raises(BatchTooLarge):
        ingest(cfa, [{}] * 2001, today=TODAY)


def test_a_batch_racing_another_with_the_same_new_learners_is_written_again(cfa, monkeypatch):
    """The first write hits the unique key (another batch committed the same learners): it is retried."""
    from django.db import IntegrityError

    from alternance.enrolments import services

    batch = [record(), record()]
    ingest(cfa, batch, today=TODAY)  # what "the other batch" committed
    real_existing, calls = services._existing, []

    def stale_then_real(organisation, keys):
        calls.append(1)
        if len(calls) == 1:
            real_existing(organisation, keys)
            raise IntegrityError("duplicate key value violates unique constraint")
        return real_existing(organisation, keys)

    monkeypatch.setattr(services, "_existing", stale_then_real)
    result = ingest(cfa, batch, today=TODAY)
    assert len(calls) == 2 and result.accepted == 2 and result.count("unchanged") == 2
    assert Enrolment.objects.count() == 2 and EnrolmentVersion.objects.count() == 2


def test_learners_stored_by_another_batch_after_the_read_are_written_again(cfa, monkeypatch):
    """The read of the stored learners missed a batch committed since: writing them as new breaks the unique
    key (PostgreSQL: COPY straight into the table), which must surface as IntegrityError and be retried."""
    from alternance.enrolments import services

    batch = [record(), record()]
    ingest(cfa, batch, today=TODAY)  # what "the other batch" committed
    real_existing, calls = services._existing, []

    def stale_then_real(organisation, keys):
        calls.append(1)
        return {} if len(calls) == 1 else real_existing(organisation, keys)

    monkeypatch.setattr(services, "_existing", stale_then_real)
    result = ingest(cfa, batch, today=TODAY)
    assert len(calls) == 2 and result.accepted == 2 and result.count("unchanged") == 2
    assert Enrolment.objects.count() == 2 and EnrolmentVersion.objects.count() == 2
    assert EnrolmentContract.objects.count() == 2

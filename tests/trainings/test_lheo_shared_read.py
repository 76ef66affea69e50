"""A large feed is validated and read by two processes (lheo_shared.read_shared): the same items in the same order as
the in-process reader, the same refusals, the same courses written, the known formations still skipped; a
stream, a small file or a single core are read in process."""

import io
import re

import pytest

from alternance.trainings import lheo, lheo_shared
from alternance.trainings.models import ImportReport, Training
from alternance.trainings.services import import_lheo
from tests.trainings.lheo_feeds import current, feed, write


def _mixed_feed() -> str:
    """Accepted, rejected by the schema, rejected by a check, a duplicate, and an element outside formations."""
    off_schema = re.sub(r"<intitule-formation>.*?</intitule-formation>", "", current("SCHEMA"), flags=re.DOTALL)
    assert off_schema != current("SCHEMA")
    broken_dates = re.sub(r"<fin>\d+</fin>", "<fin>20000101</fin>", current("DATES"))
    text = feed(current("A"), off_schema, current("B"), broken_dates, current("A"), current("C"), current("D"))
    return text.replace("<formation ", "<inconnu>x</inconnu><formation ", 1)


def _items(reader) -> list[str]:
    return [repr(item) for item in reader]


@pytest.mark.parametrize("parts", [2, 3])
def test_the_shared_read_yields_what_the_read_yields(tmp_path, parts):
    path = write(tmp_path, _mixed_feed())
    alone, shared = lheo.Feed(), lheo.Feed()
    expected = _items(lheo.read(path, alone, unchanged=lambda digest, actions: False, salt=b"sel"))
    assert _items(lheo_shared.read_shared(path, shared, known={}, salt=b"sel", parts=parts)) == expected
    assert len(expected) == 8 and "Rejected(identifier='SCHEMA'" in expected[2]
    assert shared.ignored == alone.ignored == 1


def test_a_malformed_file_is_refused_the_same_way(tmp_path):
    text = feed(current("OK1"), current("OK2"), current("OK3"))
    truncated = text[: text.index("<hebergement>", text.index('numero="OK3"'))]
    path = write(tmp_path, truncated)
    with pytest.raises(lheo.FeedError) as alone:
        list(lheo.read(path))
    with pytest.raises(lheo.FeedError) as shared:
        list(lheo_shared.read_shared(path))
    assert (shared.value.message, shared.value.line) == (alone.value.message, alone.value.line)
    assert "fichier tronqué" in shared.value.message


def test_a_file_that_is_not_lheo_is_refused_before_any_process_starts(tmp_path):
    path = write(tmp_path, "<?xml version='1.0'?><catalogue/>")
    with pytest.raises(lheo.FeedError, match="LHEO"):
        next(lheo_shared.read_shared(path))


def test_a_known_formation_is_skipped_unless_its_actions_appeared_before(tmp_path):
    path = write(tmp_path, feed(current("A"), current("B"), current("A")))
    digests = [
        item.feed_hash
        for item in lheo.read(path, unchanged=lambda d, a: False, salt=b"s")
        if hasattr(item, "feed_hash")
    ]
    known = {digests[0]: ["A/A"]}
    items = list(lheo_shared.read_shared(path, known=known, salt=b"s"))
    assert isinstance(items[1], lheo.Unchanged) and items[1].feed_hash == digests[0]
    # The second A is read again: its action appeared earlier in the file (the importer rejects it as a duplicate).
    assert [type(item).__name__ for item in items[2:]] == ["Record", "Record"]


def test_streams_small_files_and_a_single_core_are_read_in_process(tmp_path, settings, monkeypatch):
    path = write(tmp_path, feed(current("A")))
    settings.LHEO_PARALLEL_MIN_BYTES = 0
    monkeypatch.setattr(lheo_shared.os, "sched_getaffinity", lambda pid: {0, 1})
    assert lheo_shared.reader_processes(path) == 2
    assert lheo_shared.reader_processes(io.BytesIO(path.read_bytes())) == 1
    settings.LHEO_PARALLEL_MIN_BYTES = path.stat().st_size + 1
    assert lheo_shared.reader_processes(path) == 1
    settings.LHEO_PARALLEL_MIN_BYTES = 0
    monkeypatch.setattr(lheo_shared.os, "sched_getaffinity", lambda pid: {0})
    assert lheo_shared.reader_processes(path) == 1


COURSE_FIELDS = ("external_id", "title", "status", "status_rule", "content_hash", "feed_hash", "commune_id", "lat")


@pytest.mark.django_db
def test_an_import_read_by_two_processes_writes_what_the_in_process_import_writes(
    reference_data, tmp_path, monkeypatch
):
    path = write(tmp_path, _mixed_feed())
    alone = import_lheo(path, source="seul")
    monkeypatch.setattr(lheo_shared, "reader_processes", lambda source: 2)
    shared = import_lheo(path, source="partage")
    assert shared.state == alone.state == ImportReport.State.SUCCEEDED
    assert shared.counts == alone.counts and shared.counts["crees"] == 4 and shared.counts["rejetes"] == 3
    assert shared.errors == alone.errors and shared.warnings == alone.warnings

    def courses(source):
        return list(Training.objects.filter(source=source).order_by("external_id").values_list(*COURSE_FIELDS))

    assert courses("partage") == courses("seul")
    again = import_lheo(path, source="partage")  # known formations skipped by the reader processes
    assert again.counts == {**shared.counts, "crees": 0, "inchanges": 4}
    assert again.errors == shared.errors
    assert courses("partage") == courses("seul")


@pytest.fixture
def shared_import(monkeypatch):
    """Imports read by two processes, written in batches of 2, with the structure check awaited at the first
    batch (so that step 2 starts while the readers are still going, whatever the machine's speed)."""
    from alternance.trainings import lheo_import

    monkeypatch.setattr(lheo_shared, "reader_processes", lambda source: 2)
    monkeypatch.setattr(lheo_import, "BATCH_SIZE", 2)
    passed = lheo_shared.StructureCheck.passed
    calls = []

    def awaited(self):
        self.connection.poll(60)
        calls.append(passed(self))
        return calls[-1]

    monkeypatch.setattr(lheo_shared.StructureCheck, "passed", awaited)
    return calls


@pytest.mark.django_db
def test_a_shared_import_writes_while_reading_the_same_courses(reference_data, tmp_path, monkeypatch, shared_import):
    path = write(tmp_path, feed(*[current(f"N{n}") for n in range(9)]))
    alone = import_lheo(path, source="seul")
    shared = import_lheo(path, source="partage")
    assert True in shared_import  # step 2 started before the last record was read
    assert shared.state == ImportReport.State.SUCCEEDED and shared.counts == alone.counts
    assert shared.counts["crees"] == 9

    def courses(source):
        return list(Training.objects.filter(source=source).order_by("external_id").values_list(*COURSE_FIELDS))

    assert courses("partage") == courses("seul")


@pytest.mark.django_db
def test_a_shared_import_of_a_truncated_file_changes_nothing(reference_data, tmp_path, shared_import):
    from tests.trainings.test_lheo_import import snapshot

    import_lheo(write(tmp_path, feed(current("OLD")), "old.xml"), source="carif")
    before = snapshot()
    text = feed(*[current(f"T{n}") for n in range(9)])
    truncated = text[: text.index("<hebergement>", text.index('numero="T8"'))]
    report = import_lheo(write(tmp_path, truncated), source="carif")
    assert report.state == ImportReport.State.FAILED and "fichier tronqué" in report.fatal_error
    assert report.fatal_line >= truncated.count("\n")
    assert snapshot() == before


@pytest.mark.django_db
def test_when_the_reader_processes_cannot_start_the_file_is_read_in_process(reference_data, tmp_path, monkeypatch):
    path = write(tmp_path, _mixed_feed())
    alone = import_lheo(path, source="seul")
    monkeypatch.setattr(lheo_shared, "reader_processes", lambda source: 2)
    started = []

    def refused(self):
        started.append(self.name)
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr("multiprocessing.process.BaseProcess.start", refused)
    fallback = import_lheo(path, source="secours")
    assert started  # the readers were asked for, and could not start
    assert fallback.state == ImportReport.State.SUCCEEDED and fallback.counts == alone.counts
    assert fallback.errors == alone.errors and fallback.warnings == alone.warnings
    assert list(
        Training.objects.filter(source="secours").order_by("external_id").values_list(*COURSE_FIELDS[1:])
    ) == list(Training.objects.filter(source="seul").order_by("external_id").values_list(*COURSE_FIELDS[1:]))


def test_a_long_shared_read_of_mostly_known_formations_ends(tmp_path):
    """Formations skipped (known) and read alternate over many reader messages: the items are the read's, and the
    processes never wait for one another for ever (the splitter never waits for the readers: their formations wait
    in spool files)."""
    import threading

    from bench.lheo import generate

    path = tmp_path / "long.xml"
    generate(path, 3 * lheo_shared.SHARE_BATCH * 2 + 17, lheo.data_dir())
    records = [item for item in lheo.read(path, unchanged=lambda d, a: False, salt=b"s") if hasattr(item, "feed_hash")]
    known = {r.feed_hash: [r.external_id] for n, r in enumerate(records) if n % 7 != 3}
    expected = _items(lheo.read(path, unchanged=lambda digest, actions: digest in known, salt=b"s"))
    result = []
    reader = threading.Thread(
        target=lambda: result.append(_items(lheo_shared.read_shared(path, known=known, salt=b"s"))), daemon=True
    )
    reader.start()
    reader.join(120)
    assert not reader.is_alive(), "the shared read is stuck"
    assert result == [expected] and sum("Unchanged" in item for item in expected) > 500

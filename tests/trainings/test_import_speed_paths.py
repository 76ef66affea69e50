"""The import's fast paths keep its behaviour: formations whose bytes are known are skipped before being
validated and read (Training.feed_hash), but read again when the referentials or the feed changed, when they
warned or were rejected; and the queries of a run do not grow with its number of records."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alternance.reference.models import Certification, RomeOccupation
from alternance.trainings import lheo
from alternance.trainings.models import ImportReport, Training
from alternance.trainings.services import import_lheo
from tests.trainings.lheo_feeds import current, feed, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def read_formations(monkeypatch):
    """The number of formations validated and read since the fixture started."""
    calls = []
    original = lheo._formation_records

    def counting(formation, ns, *args):
        calls.append(formation.get("numero"))
        return original(formation, ns, *args)

    monkeypatch.setattr(lheo, "_formation_records", counting)
    return calls


def test_a_reimport_skips_known_formations_and_counts_them_unchanged(reference_data, tmp_path, read_formations):
    path = write(tmp_path, feed(*[current(f"S{n}") for n in range(3)]))
    first = import_lheo(path, source="carif")
    assert first.counts["crees"] == 3 and len(read_formations) == 3
    hashes = set(Training.objects.values_list("feed_hash", flat=True))
    assert len(hashes) == 3 and "" not in hashes
    read_formations.clear()
    again = import_lheo(path, source="carif")
    assert again.state == ImportReport.State.SUCCEEDED
    assert again.counts == {"lus": 3, "crees": 0, "mis_a_jour": 0, "inchanges": 3, "fermes": 0, "rejetes": 0}
    assert read_formations == []  # neither validated nor read


def test_a_changed_formation_is_read_again_and_the_others_are_skipped(reference_data, tmp_path, read_formations):
    import_lheo(write(tmp_path, feed(current("A"), current("B")), "a.xml"), source="carif")
    read_formations.clear()
    changed = current("B", **{"BTS négociation et relation client": "BTS NDRC"})
    report = import_lheo(write(tmp_path, feed(current("A"), changed), "b.xml"), source="carif")
    assert read_formations == ["B"]
    assert report.counts["mis_a_jour"] == 1 and report.counts["inchanges"] == 1
    assert Training.objects.get(external_id="B/B").title == "BTS NDRC"


def test_a_whitespace_change_reads_the_formation_again_without_rewriting_it(reference_data, tmp_path):
    import_lheo(write(tmp_path, feed(current("W")), "a.xml"), source="carif")
    before = Training.objects.get()
    spaced = current("W").replace("<intitule-formation>", "<intitule-formation>  ")
    report = import_lheo(write(tmp_path, feed(spaced), "b.xml"), source="carif")
    assert report.counts["inchanges"] == 1 and report.counts["mis_a_jour"] == 0
    after = Training.objects.get()
    assert after.feed_hash != before.feed_hash  # the new bytes are known: the next run skips them
    assert after.updated_at == before.updated_at and after.content_hash == before.content_hash


def test_a_referential_change_reads_every_formation_again(reference_data, tmp_path, read_formations):
    path = write(tmp_path, feed(current("R")))
    import_lheo(path, source="carif")
    Certification.objects.filter(pk="RNCP38368").update(level=6)
    read_formations.clear()
    report = import_lheo(path, source="carif")
    assert read_formations == ["R"]
    assert report.counts["mis_a_jour"] == 1 and Training.objects.get().level == 6


def test_rejected_and_warned_formations_are_read_again_and_reported_again(reference_data, tmp_path):
    rejected = re.sub(r"<fin>\d+</fin>", "<fin>20000101</fin>", current("X"))
    known = set(RomeOccupation.objects.values_list("code", flat=True))
    unknown = next(code for code in (f"N{n:04d}" for n in range(9999, 0, -1)) if code not in known)
    warned = current("Y").replace("<code-ROME>D1402</code-ROME>", f"<code-ROME>{unknown}</code-ROME>", 1)
    assert unknown in warned
    path = write(tmp_path, feed(current("OK"), rejected, warned))
    first = import_lheo(path, source="carif")
    again = import_lheo(path, source="carif")
    assert first.counts["rejetes"] == again.counts["rejetes"] == 1
    assert first.errors == again.errors
    assert [w for w in again.warnings if unknown in w] == [w for w in first.warnings if unknown in w] != []
    assert again.counts["inchanges"] == 2


def test_a_course_closed_for_leaving_the_feed_is_reopened_when_it_comes_back(reference_data, tmp_path):
    both = write(tmp_path, feed(current("A"), current("B")), "a.xml")
    import_lheo(both, source="carif")
    import_lheo(write(tmp_path, feed(current("A")), "b.xml"), source="carif")
    assert Training.objects.get(external_id="B/B").status_rule == "absent_du_flux"
    report = import_lheo(both, source="carif")
    assert report.counts["mis_a_jour"] == 1
    assert Training.objects.get(external_id="B/B").status == Training.Status.PUBLISHED


def _queries(tmp_path, source: str, count: int) -> int:
    path = write(tmp_path, feed(*[current(f"{source}{n}") for n in range(count)]), f"{source}.xml")
    with CaptureQueriesContext(connection) as captured:
        report = import_lheo(path, source=source)
    assert report.counts["crees"] == count
    return len(captured)


def test_the_queries_of_an_import_do_not_grow_with_its_records(reference_data, tmp_path):
    """Two feeds in one batch, of 5 and 40 new courses (same organisation): the same number of queries; a
    re-import of 40 known courses too."""
    small, large = _queries(tmp_path, "p", 5), _queries(tmp_path, "q", 40)
    assert large <= small + 2, (small, large)
    path = write(tmp_path, feed(*[current(f"q{n}") for n in range(40)]), "q.xml")
    with CaptureQueriesContext(connection) as captured:
        import_lheo(path, source="q")
    assert len(captured) <= small + 2, (small, len(captured))


def test_the_content_digest_is_the_one_the_previous_code_computed(reference_data, tmp_path):
    """Records, places, organisms and sessions became named tuples (lheo.py): their content digest is the one the
    dataclasses gave (computed by main 412bfd5), so an import after the upgrade rewrites no course."""
    import_lheo(write(tmp_path, feed(current("A"), current("B"))), source="carif")
    assert sorted(Training.objects.values_list("external_id", "content_hash")) == [
        ("A/A", "6fd56c4889999097cf03e2ac6cdae05ddfc895b03def6e30d6c1fd8178501d89"),
        ("B/B", "a3b18b3bf8d42017a51e24fdaf9f68bb618ded524cdce51e620450ca146c83ae"),
    ]

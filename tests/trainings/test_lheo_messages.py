"""libxml2's messages in French in LHEO reports (trainings.lheo_messages), resource limits included."""

import pytest

from alternance.trainings import lheo
from alternance.trainings.lheo_messages import french
from alternance.trainings.models import ImportReport
from alternance.trainings.services import import_lheo
from tests.trainings.lheo_feeds import current, feed


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Resource limit exceeded: Text node too long, try XML_PARSE_HUGE, line 1, column 10000008", "10 millions"),
        ("Resource limit exceeded: Buffer size limit exceeded, try XML_PARSE_HUGE\n, line 1", "10 millions"),
        ("Excessive depth in document: 256, use XML_PARSE_HUGE option, line 1, column 771", "plus de 256 niveaux"),
        ("Name too long: NCName, line 1, column 2", "trop long"),
    ],
)
def test_libxml2_resource_limits_are_in_french_alone(message, expected):
    text = french(message)
    assert expected in text and "XML_PARSE_HUGE" not in text and "exceeded" not in text and "too long" not in text


@pytest.mark.django_db
def test_a_huge_text_node_fails_the_report_in_french(tmp_path, reference_data):
    """Issue 15 audit: a text node over libxml2's 10,000,000 bytes gave « Resource limit exceeded: Text node too
    long, try XML_PARSE_HUGE » in the report's fatal_error."""
    text = feed(current("HUGE1"))
    end = text.rindex("</lheo>")
    text = text[:end] + "<note>" + "x" * 10_000_001 + "</note>" + text[end:]  # outside formations: no 4 Mo limit
    path = tmp_path / "huge.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(lheo.FeedError) as raised:
        list(lheo.read(path))
    assert "10 millions" in raised.value.message and "Resource" not in raised.value.message
    report = import_lheo(path, source="huge")
    assert report.state == ImportReport.State.FAILED
    assert "10 millions de caractères" in report.fatal_error and "XML_PARSE_HUGE" not in report.fatal_error

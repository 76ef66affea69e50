"""LHEO import: the real ONISEP sample, re-imports, later feeds, broken variants, geocoding."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from alternance.organisations.models import Organisation, OrganisationFact, TrainingSite
from alternance.trainings.models import ImportReport, StatusChange, Training, TrainingSession
from alternance.trainings.services import import_lheo
from tests.trainings.lheo_feeds import (
    CURRENT_CFD,
    SAMPLE,
    SAMPLE_ID,
    current,
    feed,
    formation,
    replace,
    sample_text,
    write,
)

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything an import writes, to compare before and after."""
    return (
        list(Training.objects.order_by("pk").values()),
        list(TrainingSession.objects.order_by("pk").values()),
        list(StatusChange.objects.order_by("pk").values()),
        list(Organisation.objects.order_by("pk").values()),
        list(OrganisationFact.objects.order_by("pk").values()),
        list(TrainingSite.objects.order_by("pk").values()),
    )


def test_the_real_sample_imports_completely(reference_data):
    report = import_lheo(SAMPLE, source="onisep")
    assert report.state == ImportReport.State.SUCCEEDED, report.fatal_error
    assert report.lheo_version == "2.2"
    assert report.counts["lus"] == 1 and report.counts["crees"] == 1 and report.counts["rejetes"] == 0
    assert report.errors == []
    training = Training.objects.get(source="onisep", external_id=f"{SAMPLE_ID}/{SAMPLE_ID}")
    assert training.title == "BTS négociation et relation client"
    assert training.description.startswith("A la fois vendeur, manager et commercial")
    assert "<p>" not in training.description
    assert training.rncp_code == "RNCP474" and training.certification_id == "RNCP474"
    assert training.level == training.certification.level == 5
    assert training.formacodes == "34582 34076"
    assert sorted(training.romes.values_list("rome_id", flat=True)) == ["D1402", "D1403", "D1408"]
    assert training.commune_id == "29233"
    assert (training.lat, training.lon) == (47.882108, -3.5526545) and not training.geocoded_by_commune
    assert (training.start_date, training.end_date) == (dt.date(2015, 9, 1), dt.date(2017, 8, 31))
    assert training.duration_months == 24
    assert training.url == "https://lyceedekerneuzec.fr"
    session = training.sessions.get()
    assert session.external_id == SAMPLE_ID and session.start_date == dt.date(2015, 9, 1)
    responsible = training.organisation
    assert responsible.siret == "19290076900014" and responsible.name == "Lycée Kerneuzec"
    assert training.trainer == responsible  # no <organisme-formateur>: the responsible trains
    assert responsible.nature == Organisation.Nature.RESPONSIBLE_AND_TRAINER
    # The academic mailbox ce.0290076a@ac-rennes.fr names the UAI; the check letter holds.
    assert responsible.uai == responsible.probable_uai == "0290076A"
    assert responsible.facts.filter(field="uai", value="0290076A", source="lheo:onisep:courriel").exists()
    site = training.site
    assert site.organisation == responsible and site.commune_id == "29233" and site.name == "Lycée Kerneuzec"
    # RNCP474 expired in 2019 (rncp_info): the course is closed by the rule, with its history.
    assert training.status == Training.Status.CLOSED and training.status_rule == "rncp_expire"
    history = list(training.status_history.values_list("from_status", "to_status", "rule"))
    assert history == [("", "a_verifier", "import"), ("a_verifier", "fermee", "rncp_expire")]
    assert not Training.objects.visible().filter(pk=training.pk).exists()


def test_lheo_2_3_imports_too(reference_data, tmp_path):
    report = import_lheo(write(tmp_path, feed(formation(), version="2.3")), source="v23")
    assert report.state == ImportReport.State.SUCCEEDED and report.lheo_version == "2.3"
    assert report.counts["crees"] == 1 and report.errors == []


def test_reimporting_the_same_feed_changes_nothing(reference_data):
    import_lheo(SAMPLE, source="onisep")
    before = snapshot()
    report = import_lheo(SAMPLE, source="onisep")
    assert report.counts == {"lus": 1, "crees": 0, "mis_a_jour": 0, "inchanges": 1, "fermes": 0, "rejetes": 0}
    assert snapshot() == before


def test_a_later_feed_updates_and_closes_what_disappeared(reference_data, tmp_path):
    first = feed(current("A1"), current("B1"))
    import_lheo(write(tmp_path, first, "v1.xml"), source="carif")
    assert Training.objects.from_source("carif").visible().count() == 2
    later = feed(current("A1", **{"BTS négociation et relation client": "BTS NDRC (nouvel intitulé)"}))
    report = import_lheo(write(tmp_path, later, "v2.xml"), source="carif")
    assert report.counts["mis_a_jour"] == 1 and report.counts["fermes"] == 1
    updated = Training.objects.get(source="carif", external_id="A1/A1")
    assert updated.title == "BTS NDRC (nouvel intitulé)" and updated.status == Training.Status.PUBLISHED
    gone = Training.objects.get(source="carif", external_id="B1/B1")  # closed, not deleted
    assert gone.status == Training.Status.CLOSED and gone.status_rule == "absent_du_flux"
    assert gone.status_history.last().rule == "absent_du_flux"
    # Other feeds are left alone.
    import_lheo(SAMPLE, source="autre")
    assert Training.objects.get(source="carif", external_id="A1/A1").status_rule != "absent_du_flux"
    # The course comes back in a later feed: it is reopened.
    report = import_lheo(write(tmp_path, first, "v3.xml"), source="carif")
    assert report.counts["mis_a_jour"] == 2
    gone.refresh_from_db()
    assert gone.status == Training.Status.PUBLISHED and gone.status_rule == "complete"
    assert gone.status_history.filter(from_status="fermee", to_status="a_verifier").exists()


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("<hebergement>", "<piscine>oui</piscine><hebergement>", "l'élément <piscine> n'est pas attendu"),
        ("<intitule-formation>BTS négociation et relation client</intitule-formation>", "", "intitule-formation"),
        ("<SIRET>19290076900014</SIRET>", "<SIRET>19290076900015</SIRET>", "SIRET de l'organisme responsable"),
        ("<fin>20170831</fin>", "<fin>20140831</fin>", "avant de commencer"),
        ("<debut>20150901</debut>", "<debut>20151301</debut>", "n'est pas une date"),
    ],
)
def test_broken_records_are_reported_and_skipped(reference_data, tmp_path, old, new, reason):
    broken = replace(formation("BAD"), old, new)
    text = feed(formation("OK1"), broken, formation("OK2"))
    report = import_lheo(write(tmp_path, text), source="mix")
    assert report.state == ImportReport.State.SUCCEEDED
    assert report.counts["crees"] == 2 and report.counts["rejetes"] == 1
    [error] = report.errors
    assert error["id"].startswith("BAD") and reason in error["reason"]
    assert _line_of(text, 'numero="BAD"') <= error["line"] <= _line_of(text, 'numero="OK2"')
    assert set(Training.objects.from_source("mix").values_list("external_id", flat=True)) == {"OK1/OK1", "OK2/OK2"}


def test_an_unknown_rncp_is_rejected(reference_data, tmp_path, data_dir):
    code = "987654"  # absent from every RNCP file of the data folder (checked below)
    for name in ("rncp_info.v1.4.csv", "Kit_apprentissage_20231218.csv"):
        assert f"RNCP{code};" not in (data_dir / "diplomes" / name).read_text(encoding="latin-1")
    text = feed(
        formation("OK"), replace(formation("BAD"), "<code-RNCP>474</code-RNCP>", f"<code-RNCP>{code}</code-RNCP>")
    )
    report = import_lheo(write(tmp_path, text), source="rncp")
    assert report.counts["crees"] == 1
    assert report.errors[0]["id"] == "BAD/BAD" and f"RNCP{code}" in report.errors[0]["reason"]


def test_a_truncated_file_stops_with_its_line_and_changes_nothing(reference_data, tmp_path):
    import_lheo(SAMPLE, source="onisep")
    before = snapshot()
    text = feed(formation("OK1"), formation("OK2"))
    truncated = text[: text.index("<hebergement>", text.index('numero="OK2"'))]
    report = import_lheo(write(tmp_path, truncated), source="onisep")
    assert report.state == ImportReport.State.FAILED
    assert report.fatal_line == truncated.count("\n") + 1 or report.fatal_line >= truncated.count("\n")
    assert "XML mal formé" in report.fatal_error and "fichier tronqué" in report.fatal_error
    assert snapshot() == before  # the first formation of the broken file was not kept either
    with pytest.raises(CommandError):
        call_command("import_lheo", str(write(tmp_path, truncated, "t.xml")), source="onisep")


def test_a_file_that_is_not_lheo_is_refused(db, tmp_path):
    report = import_lheo(write(tmp_path, "<?xml version='1.0'?><catalogue/>"), source="x")
    assert report.state == ImportReport.State.FAILED and "LHEO" in report.fatal_error


def test_places_without_coordinates_are_geocoded_by_commune(reference_data, tmp_path):
    no_coordinates = re.sub(r"<geolocalisation>.*?</geolocalisation>", "", formation("GEO1"), flags=re.DOTALL)
    by_name = re.sub(r"<code-INSEE-commune>29233</code-INSEE-commune>", "", no_coordinates.replace('"GEO1"', '"GEO2"'))
    report = import_lheo(write(tmp_path, feed(no_coordinates, by_name)), source="geo")
    assert report.counts["crees"] == 2, report.errors
    for external_id in ("GEO1/GEO1", "GEO2/GEO2"):
        training = Training.objects.get(source="geo", external_id=external_id)
        commune = training.commune
        assert commune is not None and commune.insee == "29233"  # Quimperlé, by INSEE code, then by CEDEX + name
        assert (training.lat, training.lon) == (commune.lat, commune.lon) and training.geocoded_by_commune


def test_the_command_prints_the_report(reference_data, capsys):
    call_command("import_lheo", str(SAMPLE), source="cmd")
    out = capsys.readouterr().out
    assert "1 lues, 1 créées" in out and "LHEO 2.2" in out


def test_a_current_course_is_published_with_its_diploma(reference_data, tmp_path):
    report = import_lheo(write(tmp_path, feed(current("NOW"))), source="now")
    assert report.errors == []
    training = Training.objects.get(source="now")
    assert training.status == Training.Status.PUBLISHED and training.status_rule == "complete"
    assert Training.objects.visible().filter(pk=training.pk).exists()
    assert training.certification_id == "RNCP38368" and training.diploma_id == CURRENT_CFD
    assert training.level == 5
    # The feed's ROME codes win over the certification's.
    assert sorted(training.romes.values_list("rome_id", flat=True)) == ["D1402", "D1403", "D1408"]
    path = list(training.status_history.values_list("to_status", flat=True))
    assert path == ["a_verifier", "prete", "publiee"]


def test_romes_come_from_the_rncp_when_the_feed_gives_none(reference_data, tmp_path):
    block = re.sub(r"<code-ROME>\w+</code-ROME>", "", formation("NOROME"))  # RNCP474 has ROMEs
    import_lheo(write(tmp_path, feed(block)), source="norome")
    training = Training.objects.get(source="norome")
    expected = set(training.certification.romes.values_list("code", flat=True))
    assert expected and set(training.romes.values_list("rome_id", flat=True)) == expected


def test_the_sample_text_is_the_real_file():
    assert "BTS négociation et relation client" in sample_text()


# A real CFA of the register (organismes/cfa_uai_siret.cp1252.csv): CFA CMA du Finistère, Quimper.
CMA_SIRET, CMA_UAI = "13002794900093", "0291915Z"


def test_lheo_2_3_uai_elements_and_a_distinct_trainer(reference_data, tmp_path):
    block = current("T23")
    block = replace(
        block,
        '<extras info="ETAB ONISEP">\n<extra info="ETA_ID ORG ONISEP">',
        "<code-UAI-organisme-formation><code-UAI>0290076A</code-UAI></code-UAI-organisme-formation>"
        '<extras info="ETAB ONISEP">\n<extra info="ETA_ID ORG ONISEP">',
    )
    block = replace(
        block,
        '<extras info="type-formation">',
        f"<organisme-formateur><SIRET-formateur><SIRET>{CMA_SIRET}</SIRET></SIRET-formateur>"
        "<raison-sociale-formateur>CFA CMA du Finistère</raison-sociale-formateur>"
        f"<code-UAI-formateur><code-UAI>{CMA_UAI}</code-UAI></code-UAI-formateur></organisme-formateur>"
        '<extras info="type-formation">',
    )
    report = import_lheo(write(tmp_path, feed(block, version="2.3")), source="t23")
    assert report.errors == [] and report.counts["crees"] == 1
    training = Training.objects.get(source="t23")
    responsible, trainer = training.organisation, training.trainer
    assert responsible.nature == Organisation.Nature.RESPONSIBLE
    assert trainer.siret == CMA_SIRET and trainer.uai == CMA_UAI
    assert trainer.nature == Organisation.Nature.TRAINER
    # The feed confirms the register: two sources, one UAI, no conflict.
    assert not trainer.uai_conflict and trainer.facts.filter(field="uai", value=CMA_UAI).exists()
    assert set(responsible.facts.filter(field="uai").values_list("source", flat=True)) == {
        "lheo:t23",
        "lheo:t23:courriel",
    }
    assert training.site.organisation == trainer

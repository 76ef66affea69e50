"""python manage.py load_reference: idempotence, updates, deactivation, errors, missing sources."""

import pytest
from django.core.management import CommandError

from alternance.reference.models import Appellation, Commune, NafCode, ReferenceLoad, RomeOccupation
from alternance.reference.sources import all_datasets

pytestmark = pytest.mark.django_db

FICHES = "rome/cr_gd_dp_v4_utf8.csv"
COMMUNES = "communes/communes_fr.csv"
NAF = "naf/naf_rev2_sous_classes.csv"
SECTORS = "rome_naf/secteurs_naf_rome.json"
BAKER = '"D1102","Boulanger / Boulangère"'


def _last_counts():
    return ReferenceLoad.objects.order_by("-pk").first().counts


def test_second_run_changes_nothing_and_says_so(reference_data, run_load):
    output = run_load(reference_data, force=True)  # read and compare everything
    assert "Aucun changement : les référentiels étaient déjà à jour" in output
    counts = _last_counts()
    assert counts["RomeOccupation"]["unchanged"] == 1584
    assert counts["Commune"]["unchanged"] == 34920
    changes = {name: c["created"] + c["updated"] + c["deactivated"] + c["deleted"] for name, c in counts.items()}
    assert set(changes.values()) == {0}, changes
    assert len(counts) == 12  # every table, the CFA included


def test_unchanged_sources_are_not_read_again(reference_data, run_load):
    run_load(reference_data, force=True)
    output = run_load(reference_data)
    assert "sources identiques au dernier chargement" in output
    last = ReferenceLoad.objects.order_by("-pk").first()
    assert last.sources["skipped"] is True and last.counts["Commune"]["unchanged"] == 34920
    # A table that lost rows since (here: a flushed SMIC table) makes the next run compare everything.
    from alternance.reference.models import SmicRate

    deleted, _ = SmicRate.objects.filter(effective_on__year=1970).delete()
    output = run_load(reference_data)
    assert "Référentiels mis à jour" in output
    assert deleted > 0 and _last_counts()["SmicRate"]["created"] == deleted


def test_changed_row_is_updated_and_vanished_code_deactivated(reference_data, copy_dataset, run_load):
    def edit(text):
        text = text.replace(BAKER, '"D1102","Boulanger / Boulangère artisanal"')
        return "".join(line for line in text.splitlines(keepends=True) if not line.startswith('"D1108"'))

    folder = copy_dataset(FICHES, edit=edit).parents[1]
    output = run_load(folder)
    assert "appellations ROME 4.0 : absentes" in output
    counts = _last_counts()
    assert counts == {"RomeOccupation": {"created": 0, "updated": 1, "deactivated": 1, "deleted": 0, "unchanged": 1582}}
    assert RomeOccupation.objects.get(code="D1102").label == "Boulanger / Boulangère artisanal"
    vanished = RomeOccupation.objects.get(code="D1108")  # kept: an appellation still references it
    assert vanished.is_active is False
    assert Appellation.objects.filter(rome=vanished).exists()
    assert RomeOccupation.objects.active().count() == 1583

    # The original file again: the label comes back and the fiche is active again.
    copy_dataset(FICHES)
    run_load(folder)
    assert _last_counts()["RomeOccupation"]["updated"] == 2
    assert RomeOccupation.objects.get(code="D1108").is_active is True


def test_truncated_file_that_would_deactivate_many_codes_is_refused(reference_data, copy_dataset, run_load):
    """A file cut at a line boundary reads fine: the mass deactivation gives it away."""
    path = copy_dataset(FICHES, keep_lines=100)
    with pytest.raises(CommandError) as error:
        run_load(path.parents[1])
    message = str(error.value)
    assert f"{path}, ligne 101 : le fichier semble tronqué : 1484 codes actifs sur 1584" in message
    assert "--allow-removals" in message
    assert RomeOccupation.objects.active().count() == 1584
    run_load(path.parents[1], allow_removals=True)
    assert RomeOccupation.objects.active().count() == 100


def test_new_commune_values_are_written(reference_data, copy_dataset, run_load):
    def edit(text):
        return text.replace(",Lyon,69,Rhône,", ",Lyon,69,Rhône (métropole),")

    folder = copy_dataset(COMMUNES, edit=edit).parents[1]
    run_load(folder)
    counts = _last_counts()["Commune"]
    assert (counts["updated"], counts["deactivated"], counts["unchanged"]) == (1, 0, 34919)
    assert Commune.objects.get(insee="69123").departement_name == "Rhône (métropole)"


def _truncate_mid_line(text):
    lines = text.splitlines(keepends=True)
    return "".join(lines[:50]) + lines[50][:20]


def _unclosed_quote(text):
    lines = text.splitlines(keepends=True)
    lines[10] = lines[10].replace('","', ',"', 1)  # « "A1208,"Jardinier... »: quote closed too early
    return "".join(lines)


@pytest.mark.parametrize(
    ("relative", "edit", "line", "reason"),
    [
        (COMMUNES, _truncate_mid_line, 51, "tronquée"),
        (FICHES, lambda text: text.replace('"A1102"', '"A11O2"'), 3, "code « A11O2 » invalide"),
        (FICHES, _unclosed_quote, 11, "CSV mal formé"),
        (NAF, lambda text: text.replace("code,libelle,", "kode,libelle,"), 1, "colonne(s) absente(s)"),
        (SECTORS, lambda text: text[: len(text) // 2], None, "JSON mal formé"),
    ],
)
def test_malformed_file_fails_with_file_and_line_and_changes_nothing(
    reference_data, copy_dataset, run_load, relative, edit, line, reason
):
    if relative != FICHES:  # a valid change in another file must not be written either
        copy_dataset(FICHES, edit=lambda text: text.replace(BAKER, '"D1102","Boulanger modifié"'))
    path = copy_dataset(relative, edit=edit)
    _assert_fails(run_load, path, reason, line)


def test_file_in_the_wrong_encoding_names_the_line(reference_data, copy_dataset, run_load, data_dir):
    path = copy_dataset(FICHES)
    raw = path.read_bytes()
    path.write_bytes(raw.replace("Boulangère".encode(), "Boulangère".encode("cp1252")))
    line = raw[: raw.index(BAKER.encode())].count(b"\n") + 1
    _assert_fails(run_load, path, "encodage utf-8", line)


def _assert_fails(run_load, path, reason, line):
    loads = ReferenceLoad.objects.count()
    with pytest.raises(CommandError) as error:
        run_load(path.parents[1])
    message = str(error.value)
    assert str(path) in message and reason in message and "Aucune modification" in message
    assert f"ligne {line} :" in message if line else "ligne " in message
    assert RomeOccupation.objects.get(code="D1102").label == "Boulanger / Boulangère"
    assert ReferenceLoad.objects.count() == loads


def test_failure_while_writing_rolls_everything_back(reference_data, copy_dataset, run_load, monkeypatch):
    """One transaction: tables written before the failure are restored."""
    from alternance.organisations import loaders as organisation_loaders

    def broken(*args, **kwargs):
        raise RuntimeError("panne simulée")

    copy_dataset(FICHES, edit=lambda text: text.replace(BAKER, '"D1102","Boulanger modifié"'))
    path = copy_dataset("organismes/cfa_uai_siret.cp1252.csv")
    monkeypatch.setattr(organisation_loaders, "sync_cfa", broken)
    loads = ReferenceLoad.objects.count()
    with pytest.raises(RuntimeError):
        run_load(path.parents[1])
    assert RomeOccupation.objects.get(code="D1102").label == "Boulanger / Boulangère"
    assert ReferenceLoad.objects.count() == loads


def test_missing_sources_are_reported_and_left_alone(reference_data, copy_dataset, run_load):
    folder = copy_dataset(NAF).parents[1]
    output = run_load(folder)
    assert "NAF rév. 2 : " in output
    for dataset in all_datasets():
        if dataset.path != NAF:
            assert f"{dataset.label} : {dataset.missing}" in output
    assert list(_last_counts()) == ["NafCode"]
    assert RomeOccupation.objects.active().count() == 1584  # not deactivated: its file was not read
    assert NafCode.objects.active().count() == 732


def test_unknown_source_folder(tmp_path, run_load, db):
    with pytest.raises(CommandError, match="n'existe pas"):
        run_load(tmp_path / "nowhere")


def test_cfa_loader_updates_by_uai_and_siret(reference_data, copy_dataset, run_load):
    from alternance.organisations.models import Organisation

    def edit(text):
        return text.replace("CECOF BERNARD PALISSY", "CECOF BERNARD PALISSY (site principal)")

    path = copy_dataset("organismes/cfa_uai_siret.cp1252.csv", edit=edit, encoding="cp1252")
    before = Organisation.objects.get(uai="0010826T", siret="85052026300011")
    run_load(path.parents[1])
    assert _last_counts() == {
        "Organisation (CFA)": {"created": 0, "updated": 1, "deactivated": 0, "deleted": 0, "unchanged": 932}
    }
    after = Organisation.objects.get(pk=before.pk)
    assert after.name == "CECOF BERNARD PALISSY (site principal)"
    assert after.updated_at > before.updated_at

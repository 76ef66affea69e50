"""SMIC history from openfisca-france's YAML parameters (registry fallback when smic_history_fr.csv is absent)."""

from decimal import Decimal

import pytest

from alternance.reference import loaders, registry
from alternance.reference.loaders import LoaderError
from alternance.reference.sources import Source

# Real values of openfisca-france 176.1.8 (smic_b_horaire.yaml, nb_heures_travail_mensuel.yaml), as in
# ../shared/data/smic/smic_history_fr.csv.
HOURLY = """description: Smic brut (horaire)
values:
  1970-01-01:
    value: 3.27
  2024-11-01:
    value: 11.88
  2026-01-01:
    value: 12.02
metadata:
  reference:
    1970-01-01:
      title: Loi 70-7 du 02/01/70
    2026-01-01:
    - title: Décret n° 2025-1228 du 17/12/2025 portant relèvement du salaire minimum de croissance
"""
HOURS = """values:
  1970-01-01:
    value: 173.3
  1982-02-01:
    value: 169
  2002-01-01:
    value: 151.67
"""


def _write(folder, hourly=HOURLY, hours=HOURS):
    pytest.importorskip("yaml")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "smic_b_horaire.yaml").write_text(hourly, encoding="utf-8")
    (folder / registry.SMIC_HOURS_FILE).write_text(hours, encoding="utf-8")
    return folder / "smic_b_horaire.yaml"


@pytest.mark.parametrize(
    ("openfisca", "expected"), [("173.3", "173.33"), ("169", "169.00"), ("151.67", "151.67"), ("173.33", "173.33")]
)
def test_full_time_monthly_hours_come_from_the_weekly_duration(openfisca, expected):
    assert registry.full_time_monthly_hours(Decimal(openfisca)) == Decimal(expected)


def test_parse_openfisca_smic(tmp_path):
    records = registry.parse_openfisca_smic(_write(tmp_path))
    assert [day.isoformat() for day in records] == ["1970-01-01", "2024-11-01", "2026-01-01"]
    first, last = records[min(records)], records[max(records)]
    # 1970: 40-hour week, 3.27 x 40 x 52 / 12 = 566.80 (no official monthly amount then).
    assert (first["hourly_gross"], first["monthly_hours"], first["monthly_gross"]) == (
        Decimal("3.27"),
        Decimal("173.33"),
        Decimal("566.80"),
    )
    assert first["legal_text"] == "Loi 70-7 du 02/01/70"
    assert (last["hourly_gross"], last["monthly_hours"], last["monthly_gross"]) == (
        Decimal("12.02"),
        Decimal("151.67"),
        Decimal("1823.03"),
    )
    assert last["legal_text"].startswith("Décret n° 2025-1228")
    assert records[min(records)]["legal_text"] and records[sorted(records)[1]]["legal_text"] == ""


@pytest.mark.parametrize(
    ("hourly", "hours", "reason"),
    [
        ("values:\n  2026-01-01:\n    value: douze\n", HOURS, "invalide"),
        ("description: rien\n", HOURS, "sans « values »"),
        (HOURLY, "values:\n  2002-01-01:\n    value: 151.67\n", "aucune durée mensuelle en vigueur le 1970-01-01"),
        ("values: [\n", HOURS, "illisible"),
    ],
)
def test_bad_parameter_files_are_refused(tmp_path, hourly, hours, reason):
    with pytest.raises(LoaderError, match=reason):
        registry.parse_openfisca_smic(_write(tmp_path, hourly, hours))


def _installed_smic():
    pytest.importorskip("yaml")
    found = registry.package_file(*registry.SMIC_FILE)
    if found is None:
        pytest.skip("paquet openfisca-france non installé")
    return found


def test_package_gives_the_shared_file_values(data_dir):
    """Every date both have: same hourly gross, monthly hours and monthly gross as smic_history_fr.csv."""
    path, _ = _installed_smic()
    from_package = registry.parse_openfisca_smic(path)
    from_file = loaders.parse_smic(data_dir / "smic" / "smic_history_fr.csv")
    common = sorted(set(from_package) & set(from_file))
    assert len(common) >= 120
    fields = ("hourly_gross", "monthly_hours", "monthly_gross")
    for day in common:
        assert [from_package[day][f] for f in fields] == [from_file[day][f] for f in fields], day
    texts = sum(from_package[day]["legal_text"] == from_file[day]["legal_text"] for day in common)
    assert texts >= len(common) - 2  # the shared file quotes one text (2018-01-01) and has a no-break space


def test_find_sources_offers_the_smic_and_the_data_folder_wins(data_dir, tmp_path):
    from alternance.reference.sources import resolve_sources

    path, version = _installed_smic()
    source = registry.find_sources(node_modules=tmp_path)["smic"]
    assert (source.kind, source.path) == ("registry", path)
    assert f"openfisca-france {version}" in source.origin
    assert resolve_sources(data_dir)["smic"].kind == "files"
    assert resolve_sources(tmp_path)["smic"].kind == "registry"


@pytest.mark.django_db
def test_load_reference_fills_smic_rates_from_the_package(reference_data):
    from alternance.reference.models import SmicRate
    from alternance.reference.services import load_reference

    path, _ = _installed_smic()
    SmicRate.objects.all().delete()
    report = load_reference({"smic": Source("smic", path, "registry", "openfisca-france")}, force=True)
    assert report.tables["SmicRate"].created == SmicRate.objects.count() >= 124
    rate = SmicRate.objects.get(effective_on="2026-01-01")
    assert (rate.hourly_gross, rate.monthly_hours, rate.monthly_gross) == (
        Decimal("12.02"),
        Decimal("151.67"),
        Decimal("1823.03"),
    )

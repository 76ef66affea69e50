"""The ROME v3 -> ROME 4.0 bridge (pure functions, real codes from the appellations file)."""

from collections import Counter

import pytest

from alternance.reference.loaders import (
    bridge_naf_hirings,
    bridge_rncp_romes,
    cfd_level,
    rncp_level,
    split_hirings,
    v3_to_v4_counts,
)

# Real shares: v3 D1102 -> D1102 (7 appellations), D1108 (1); v3 M1607 -> M1607 (12), M1612 (1), M1613 (2).
BAKERY = Counter({"D1102": 7, "D1108": 1})
SECRETARIAT = Counter({"M1607": 12, "M1612": 1, "M1613": 2})


@pytest.mark.parametrize(
    ("hirings", "shares", "expected"),
    [
        (8, BAKERY, {"D1102": 7, "D1108": 1}),  # exact proportions
        (9364, BAKERY, {"D1102": 8194, "D1108": 1170}),  # 8193.5 / 1170.5: the tie goes to the smaller code
        (3, BAKERY, {"D1102": 3}),  # 2.625 / 0.375 -> 3 / 0: no row for a zero share
        (15, SECRETARIAT, {"M1607": 12, "M1612": 1, "M1613": 2}),
        (10, SECRETARIAT, {"M1607": 8, "M1612": 1, "M1613": 1}),  # 8.0 / 0.67 / 1.33 -> largest remainders
        (1, SECRETARIAT, {"M1607": 1}),
        (0, SECRETARIAT, {}),
        (5, Counter(), {}),  # a v3 fiche with no appellation left
    ],
)
def test_split_hirings(hirings, shares, expected):
    result = split_hirings(hirings, shares)
    assert result == expected
    assert sum(result.values()) == (hirings if shares else 0)


def test_v3_to_v4_counts_and_naf_bridge():
    """Real appellations: A1431 inherits from v3 A1403 (OGR 10829) and from v3 A1404 (OGR 17517)."""
    appellations = {
        10811: {"rome_id": "A1403", "rome_v3_parent": "A1403"},
        10829: {"rome_id": "A1431", "rome_v3_parent": "A1403"},
        17517: {"rome_id": "A1431", "rome_v3_parent": "A1404"},
        11099: {"rome_id": "A1404", "rome_v3_parent": "A1404"},
        12511: {"rome_id": "A1404", "rome_v3_parent": "A1404"},
    }
    bridge = v3_to_v4_counts(appellations)
    assert bridge == {"A1403": Counter({"A1403": 1, "A1431": 1}), "A1404": Counter({"A1404": 2, "A1431": 1})}
    rows = [("A1403", "01.11Z", 30), ("A1404", "01.11Z", 9), ("A1404", "01.13Z", 3), ("D1102", "01.13Z", 7)]
    # A1431 gets half of A1403's hirings plus a third of A1404's; v3 D1102 is not in this bridge.
    assert bridge_naf_hirings(rows, bridge) == {
        ("A1403", "01.11Z"): 15,
        ("A1431", "01.11Z"): 15 + 3,
        ("A1404", "01.11Z"): 6,
        ("A1404", "01.13Z"): 2,
        ("A1431", "01.13Z"): 1,
    }


def test_rncp_rome_bridge_maps_to_every_descendant_and_counts_the_rest():
    bridge = {"A1101": Counter({"A1101": 14, "A1102": 12})}
    pairs, unmapped = bridge_rncp_romes([("RNCP34001", "A1101"), ("RNCP34001", "H12")], bridge)
    assert pairs == {("RNCP34001", "A1101"), ("RNCP34001", "A1102")}
    assert unmapped == 1


@pytest.mark.parametrize(
    ("code", "level"),
    [("32031313", 5), ("50023209", 3), ("40025214", 4), ("26031403", 6), ("13520999", 7), ("01022404", None)],
)
def test_cfd_level(code, level):
    assert cfd_level(code) == level


@pytest.mark.parametrize(("text", "level"), [("niveau4", 4), ("Niveau 6", 6), ("NR", None), ("", None)])
def test_rncp_level(text, level):
    assert rncp_level(text) == level


def test_loader_error_carries_file_line_and_reason(tmp_path, data_dir):
    from alternance.organisations.loaders import parse_cfa
    from alternance.reference.loaders import LoaderError

    source = (data_dir / "organismes" / "cfa_uai_siret.cp1252.csv").read_bytes().decode("cp1252")
    lines = source.splitlines(keepends=True)
    lines[3] = lines[3].replace(lines[3].split(";")[0], "0010826A", 1)  # wrong check letter (T expected)
    path = tmp_path / "cfa.csv"
    path.write_bytes("".join(lines).encode("cp1252"))
    with pytest.raises(LoaderError) as error:
        parse_cfa(path)
    assert (error.value.file, error.value.line) == (str(path), 4)
    assert "UAI « 0010826A »" in error.value.reason and "lettre de contrôle" in error.value.reason
    assert str(error.value).startswith(f"{path}, ligne 4 : ")

"""The official form (cerfa n° 10103*12) filled for the contracts of the pay tests, read back with pypdf."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from alternance.contracts.cerfa_fields import CERFA_FIELDS, cerfa_values
from alternance.contracts.cerfa_pdf import official_form_path, render_official
from alternance.contracts.pay import BASE_SMIC
from alternance.contracts.rules import check_contract
from tests.conftest import DATA_DIR
from tests.contracts.contract_data import BAKER_CFD, BAKER_RNCP, full_contract
from tests.contracts.smic import real_smic_schedule
from tests.contracts.test_pay import CASES

FORM = DATA_DIR / "cerfa" / "cerfa_10103-12.pdf"
KNOWN = {BAKER_CFD, BAKER_RNCP}.__contains__
NIR = "255081416802538"  # INSEE's example: key 38 = 97 - (2550814168025 mod 97)


def case_contract(name: str) -> dict:
    """A full contract whose apprentice, dates and conventional minimum are those of a worked pay case."""
    birth, start, end, conventional, periods = CASES[name]
    start, end, birth = date.fromisoformat(start), date.fromisoformat(end), date.fromisoformat(birth)
    age = start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day))
    return full_contract(
        apprentice_birth_date=birth,
        apprentice_left_3e=age < 16,
        contract_derogation="11" if age < 16 else "",
        contract_start_date=start,
        contract_practical_start_date=start,
        contract_signature_date=start - timedelta(days=10),
        contract_end_date=end,
        training_start_date=start,
        training_end_date=end - timedelta(days=30),
        contract_conventional_monthly=Decimal(conventional) if conventional else None,
        contract_monthly_pay=Decimal(periods[0][6]),
    )


def expected_pay_rows(name: str) -> dict[str, str]:
    """The form's pay table from the hand-worked periods: per year, one box per (percent, base) run."""
    by_year: dict[int, list[list]] = {}
    for start, end, _band, year, percent, base, _minimum in CASES[name][4]:
        label = "SMIC" if base == BASE_SMIC else "SMC"
        slots = by_year.setdefault(year, [])
        if slots and (slots[-1][2], slots[-1][3]) == (percent, label):
            slots[-1][1] = end
        else:
            slots.append([start, end, percent, label])
    rows = {}
    ordinal = {1: "1re", 2: "2e", 3: "3e", 4: "4e"}
    for year, slots in by_year.items():
        assert len(slots) <= 2
        names = [
            (
                f"Rémunération - {ordinal[year]}  année, du _af_date",
                f"Rémunération - {ordinal[year]}  année, au_af_date",
                f"{year}e année % du",
                f"{year}e année % du *",
            ),
            (
                f"{year}e année du_af_date",
                f"{year}e année au_af_date",
                f"{year}e année % du1",
                f"{year}e année % du *1",
            ),
        ]
        for (start_name, end_name, percent_name, base_name), (start, end, percent, label) in zip(
            names[: len(slots)], slots, strict=True
        ):
            rows[start_name] = date.fromisoformat(start).strftime("%d/%m/%Y")
            rows[end_name] = date.fromisoformat(end).strftime("%d/%m/%Y")
            rows[percent_name] = str(percent)
            rows[base_name] = label
    return rows


def fill(data: dict, nir: str = NIR) -> PdfReader:
    issues, periods = check_contract(data, real_smic_schedule(), KNOWN)
    assert issues == []
    pdf = render_official(data, periods, nir=nir, form_path=FORM)
    return PdfReader(io.BytesIO(pdf)), pdf


def test_the_table_maps_each_of_the_157_fields_of_the_official_form_once():
    fields = PdfReader(FORM).get_fields()
    assert len(fields) == 157
    names = [field.name for field in CERFA_FIELDS]
    assert len(names) == len(set(names)) == 157
    assert set(names) == set(fields)
    kinds = {field.name: field.kind for field in CERFA_FIELDS}
    for name, field in fields.items():
        if field.get("/FT") == "/Btn":
            assert kinds[name] in {"yes", "no", "is"}, name
        elif field.get("/FT") == "/Sig":
            assert kinds[name] == "signature", name


# The full contract's values, as the official form must show them (field name -> text).
EXPECTED_TEXT = {
    "Nom et prénom ou dénomination :": "Boulangerie Le Fournil",
    "N°": "12",
    "Voie": "rue de la République",
    "Code postal": "69002",
    "Commune": "Lyon",
    "Courriel 1": "contact",
    "Courriel 2": "fournil.example",
    "Type d’employeur": "11",
    "Employeur spécifique": "0",
    "Code activité de l’entreprise (NAF) :": "10.71C",
    "Effectif total salariés de l’entreprise :": "4",
    "Code IDCC de la convention collective applicable :": "0843",  # typed « 843 »
    "mode contractuel": "1",
    "Nom de naissance de l’apprenti(e) :": "Martin",
    "Le premier prénom de l’apprenti(e) selon l’état civil :": "Léa",
    "NIR de l’apprenti(e)": NIR,
    "Apprenti Date naissance_af_date": "20/11/2009",
    "Département naissance apprenti": "69",
    "Nationalité apprenti": "1",
    "Régime social apprenti": "2",
    "Situation avant ce contrat": "1",
    "Dernière classe / année suivie": "40",
    "Diplôme ou titre le plus élevé obtenu": "25",
    "Représentant légal Nom / Prénom": "Martin Claire",
    "Adresse du représentant légal Courriel1": "claire.martin",
    "Adresse du représentant légal Courriel2": "example.org",
    "Maître d’apprentissage n°1 Nom de naissance": "Durand",
    "Maître d’apprentissage n°1 Date naissance_af_date": "04/05/1980",
    "Maître d’apprentissage n°1 Courriel1": "paul.durand",
    "Maître d’apprentissage n°1 Courriel2": "boulangerie-le",
    "Maître d’apprentissage n°1 Courriel2suite": "-fournil.example",
    "Maître d’apprentissage n°1Diplôme ou titre le plus élevé obtenu :": "BP Boulanger",
    "Maître d’apprentissage n°1 Niveau de diplôme ou titre le plus élevé obtenu :": "4",
    "Type de contrat ou d’avenant :": "11",
    "Date de conclusion : _af_date": "20/08/2026",
    "Date de début d’exécution du contrat : _af_date": "01/09/2026",
    "Date de début de formation pratique chez l’employeur : _af_date": "01/09/2026",
    "ate de fin du contrat ou de la période d'apprentissage_af_date": "31/08/2028",
    "Durée hebdomadaire du travail  heure": "35",
    "Durée hebdomadaire du travail  minutes": "00",
    "Salaire brut mensuel à l’embauche :": "504,10 €",
    "Avantages en nature, le cas échéant : Nourriture": "3,90 €",
    "Caisse de retraite complémentaire :": "AG2R La Mondiale",
    "Dénomination du CFA responsable :": "CFA CECOF Bernard Palissy",
    "N° UAI du CFA": "0010826T",
    "N° SIRET CFA": "85052026300011",
    "Diplôme ou titre visé par l’apprenti :": "33",
    "Code du diplôme": BAKER_CFD,
    "Code RNCP": BAKER_RNCP,
    "Date de début de formation en CFA :  _af_date": "07/09/2026",
    "Date prévue de fin des épreuves ou examens :_af_date": "30/06/2028",
    "Durée de la formation :": "800",
    "Fait à": "Lyon, le 20/08/2026",
}
EXPECTED_CHECKED = {
    "employeur privé": True,
    "employeur public": False,
    "Sexe F": True,
    "Sexe M": False,
    "Déclare être inscrit sur la liste des sportifs de haut niveau OUI": False,
    "Déclare être inscrit sur la liste des sportifs de haut niveau NON": True,
    "Déclare bénéficier de la reconnaissance travailleur handicapé OUI": False,
    "Déclare bénéficier de la reconnaissance travailleur handicapé NON": True,
    "Déclare avoir un projet de création ou de reprise d’entreprise OUI": False,
    "Déclare avoir un projet de création ou de reprise d’entreprise NON": True,
    "Travail sur machines dangereuses ou exposition à des risques particuliers : OUI": False,
    "Travail sur machines dangereuses ou exposition à des risques particuliers : NON": True,
    "CFA d’entreprise OUI": False,
    "CFA d’entreprise NON": True,
    "Si le CFA responsable est le lieu de formation principal cochez la case ci-contre": True,
    "employeur atteste": True,
    "L’employeur atteste disposer de l’ensemble des pièces justificatives nécessaires au dépôt du contrat": True,
    "*Pour les employeurs du secteur public, adhésion de l’apprenti au régime spécifique d’assurance chômage :": False,
}


def _checked(field) -> bool:
    return field.get("/V") == "/Oui"


def test_full_contract_fills_the_official_form():
    reader, _pdf = fill(full_contract())
    fields = reader.get_fields()
    for name, expected in EXPECTED_TEXT.items():
        assert fields[name].get("/V") == expected, name
    for name, expected in EXPECTED_CHECKED.items():
        assert _checked(fields[name]) is expected, name
    # the employer's full name line, the other boxes of a check pair, every check box of the form is decided
    assert len(EXPECTED_CHECKED) == sum(1 for f in CERFA_FIELDS if f.kind in {"yes", "no", "is"})


@pytest.mark.parametrize("name", CASES)
def test_pay_cases_fill_the_form_and_read_back(name):
    data = case_contract(name)
    reader, pdf = fill(data)
    fields = reader.get_fields()
    issues, periods = check_contract(data, real_smic_schedule(), KNOWN)
    expected = cerfa_values(data, periods, NIR)
    filled = {key: value for key, value in expected.items() if value not in ("", False)}
    assert len(filled) > 60
    for key, value in expected.items():
        if isinstance(value, bool):
            assert _checked(fields[key]) is value, key
        elif value:
            assert fields[key].get("/V") == value, key
        else:
            assert fields[key].get("/V") in (None, ""), key
    for key, value in expected_pay_rows(name).items():
        assert fields[key].get("/V") == value, key
    pay_names = {f.name for f in CERFA_FIELDS if f.source.startswith("pay_")}
    unfilled = {key for key in pay_names if key not in expected_pay_rows(name)}
    assert all(fields[key].get("/V") in (None, "") for key in unfilled)
    assert fields["Apprenti Date naissance_af_date"].get("/V") == date.fromisoformat(CASES[name][0]).strftime(
        "%d/%m/%Y"
    )
    assert fields["Salaire brut mensuel à l’embauche :"].get("/V").endswith(" €")
    assert NIR.encode() in pdf or fields["NIR de l’apprenti(e)"].get("/V") == NIR


def test_fields_stay_editable_with_appearances_language_title_and_tags():
    reader, _pdf = fill(full_contract())
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr-FR"
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert reader.metadata.title == "Contrat d’apprentissage (cerfa n° 10103*12)"
    assert bool(root["/AcroForm"]["/NeedAppearances"])
    widgets = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    name_box = next(w for w in widgets if w.get("/T") == "Nom et prénom ou dénomination :")
    assert b"(Boulangerie Le Fournil) Tj" in name_box["/AP"]["/N"].get_object().get_data()
    assert not (int(name_box.get("/Ff", 0)) & 1)  # not read-only: the signatories can correct a typo
    sex = next(w for w in widgets if w.get("/T") == "Sexe F")
    assert sex["/AS"] == "/Oui"


def test_more_than_the_minimum_is_written_in_the_pay_table():
    reader, _pdf = fill(full_contract(pay_percent_1=30, contract_monthly_pay=Decimal("560.11")))
    fields = reader.get_fields()
    assert fields["1e année % du"].get("/V") == "30"
    assert fields["2e année % du"].get("/V") == "39"


def test_money_and_idcc_formats():
    reader, _pdf = fill(full_contract(contract_monthly_pay=Decimal("1234.5"), employer_idcc="0843"))
    fields = reader.get_fields()
    assert fields["Salaire brut mensuel à l’embauche :"].get("/V") == "1 234,50 €"
    assert fields["Code IDCC de la convention collective applicable :"].get("/V") == "0843"


def test_official_form_is_found_in_the_data_folder_or_not(settings, tmp_path):
    settings.ALTERNANCE_DATA_DIR = str(DATA_DIR)
    assert official_form_path() == FORM
    settings.ALTERNANCE_DATA_DIR = str(tmp_path)
    assert official_form_path() is None

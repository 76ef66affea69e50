"""The filled apprenticeship contract as a summary PDF (fpdf2), the fallback when the official form
(cerfa n° 10103*12, see cerfa_pdf.py) is not in the data folder; ``display`` also writes the values on pages.

It is not the official form. Core PDF fonts only cover latin-1: characters outside it are replaced
(’ -> ', œ -> oe, € -> EUR) in the PDF only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from alternance.contracts import codes
from alternance.contracts.fields import FIELD_BLOCKS, FIELD_LABELS
from alternance.contracts.pay import BASE_SMIC, PayPeriod, format_date_fr, format_money_fr

REPLACEMENTS = {
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "œ": "oe",
    "Œ": "OE",
    "€": "EUR",
    "\u202f": " ",
    "\u2009": " ",
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
}

MONEY_FIELDS = frozenset(
    {"contract_monthly_pay", "contract_conventional_monthly", "contract_food_benefit", "contract_housing_benefit"}
)
CODE_LISTS = {
    "employer_type": codes.EMPLOYER_TYPES,
    "employer_specific": codes.SPECIFIC_EMPLOYERS,
    "apprentice_sex": codes.SEXES,
    "apprentice_nationality": codes.NATIONALITIES,
    "apprentice_social_regime": codes.SOCIAL_REGIMES,
    "apprentice_situation": codes.SITUATIONS,
    "apprentice_last_diploma_type": codes.DIPLOMA_TYPES,
    "apprentice_last_class": codes.LAST_CLASSES,
    "apprentice_highest_diploma": codes.DIPLOMA_TYPES,
    "supervisor1_diploma_level": codes.DIPLOMA_LEVELS,
    "supervisor2_diploma_level": codes.DIPLOMA_LEVELS,
    "training_diploma_type": codes.DIPLOMA_TYPES,
    "contract_mode": codes.CONTRACT_MODES,
    "contract_type": codes.CONTRACT_TYPES,
    "contract_derogation": codes.DEROGATIONS,
}


def latin1(text: str) -> str:
    """Text a core PDF font can show: known replacements, then '?' for anything else outside latin-1."""
    for old, new in REPLACEMENTS.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


def display(field: str, value) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return format_date_fr(value)
    if field in MONEY_FIELDS:
        return format_money_fr(Decimal(value))
    if field in CODE_LISTS:
        return codes.label_of(CODE_LISTS[field], value)
    if field.startswith("pay_percent_"):
        return f"{value}\u00a0%"
    if field == "training_hours":
        return f"{value}\u00a0heures"
    if field == "contract_weekly_hours":
        return f"{str(value).replace('.', ',')} heures"
    return str(value)


class _Cerfa(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 5, latin1(f"Page {self.page_no()}/{{nb}}"), align="C")


def render_cerfa(data: Mapping, periods: list[PayPeriod], *, reference: str = "", compress: bool = True) -> bytes:
    """The contract as PDF bytes (A4, Helvetica), from checked values and their minimum pay periods."""
    pdf = _Cerfa(format="A4")
    pdf.set_compression(compress)
    pdf.set_title(latin1("Contrat d'apprentissage"))
    pdf.set_author(latin1(str(data.get("employer_name") or "")))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 8, latin1("Contrat d'apprentissage"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        4.5,
        latin1(
            "Champs du formulaire CERFA FA13 (n° 10103), employeur du secteur privé. Mise en page lisible, "
            "pas le formulaire officiel numérisé. Tous les contrôles du formulaire ont été passés."
            + (f" Référence : {reference}." if reference else "")
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    for _key, title, fields in FIELD_BLOCKS:
        _section(pdf, title)
        for field in fields:
            if field.startswith("supervisor2_") and not data.get("supervisor2_last_name"):
                continue
            _row(pdf, FIELD_LABELS[field], display(field, data.get(field)))
    _section(pdf, "Rémunération minimale légale (Code du travail, D6222-26 à D6222-34)")
    _periods_table(pdf, periods)
    _section(pdf, "Signatures")
    _ensure_room(pdf, 26)
    pdf.set_font("Helvetica", "", 9)
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 3
    for who in ("L'employeur", "L'apprenti(e)", "Le représentant légal"):
        pdf.cell(width, 22, latin1(who), border=1, align="L")
    pdf.ln(24)
    return bytes(pdf.output())


def _ensure_room(pdf: FPDF, height: float) -> None:
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def _section(pdf: FPDF, title: str) -> None:
    _ensure_room(pdf, 20)  # never a section title alone at the bottom of a page
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 11)
    pdf.set_fill_color(230, 230, 245)
    pdf.cell(0, 7, latin1(title), fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


LABEL_WIDTH, LINE = 85, 5


def _row(pdf: FPDF, label: str, value: str) -> None:
    label, value = latin1(label), latin1(value)
    value_width = pdf.w - pdf.r_margin - pdf.l_margin - LABEL_WIDTH
    pdf.set_font("Helvetica", "", 9)
    label_lines = len(pdf.multi_cell(LABEL_WIDTH, LINE, label, align="L", dry_run=True, output="LINES"))
    pdf.set_font("Helvetica", "B", 9)
    value_lines = len(pdf.multi_cell(value_width, LINE, value, align="L", dry_run=True, output="LINES"))
    height = LINE * max(label_lines, value_lines)
    _ensure_room(pdf, height)
    y = pdf.get_y()
    pdf.set_font("Helvetica", "", 9)
    pdf.set_xy(pdf.l_margin, y)
    pdf.multi_cell(LABEL_WIDTH, LINE, label, align="L")
    pdf.set_font("Helvetica", "B", 9)
    pdf.set_xy(pdf.l_margin + LABEL_WIDTH, y)
    pdf.multi_cell(value_width, LINE, value, align="L")
    pdf.set_xy(pdf.l_margin, y + height)


def _periods_table(pdf: FPDF, periods: list[PayPeriod]) -> None:
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(col_widths=(48, 25, 14, 14, 42, 30), text_align="LEFT") as table:
        table.row([latin1(t) for t in ("Période", "Tranche d'âge", "Année", "%", "Base mensuelle", "Minimum brut")])
        for p in periods:
            base = "SMIC" if p.base == BASE_SMIC else "minimum conventionnel"
            table.row(
                [
                    latin1(f"du {format_date_fr(p.start)} au {format_date_fr(p.end)}"),
                    latin1(p.age_band),
                    str(p.contract_year),
                    f"{p.percent} %",
                    latin1(f"{format_money_fr(p.base_monthly)} ({base})"),
                    latin1(format_money_fr(p.minimum_monthly)),
                ]
            )

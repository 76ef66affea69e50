"""The official form (cerfa n° 10103*12) filled with pypdf: fields stay editable, appearances generated.

The blank form comes from the data folder (``cerfa/cerfa_10103-12.pdf``, found like the referentials:
ALTERNANCE_DATA_DIR, else ../shared/data). Without it, ``official_form_path()`` is None and the pages fall
back to the summary PDF of ``cerfa.py``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from alternance.contracts.cerfa_fields import CERFA_FIELDS, CHECKED, UNCHECKED, cerfa_values
from alternance.contracts.pay import PayPeriod

FORM_PATH = "cerfa/cerfa_10103-12.pdf"
TITLE = "Contrat d’apprentissage (cerfa n° 10103*12)"
SMALL_FIELD_HEIGHT = 12  # points: the pay table's boxes are 9 to 10 pt high


def official_form_path() -> Path | None:
    """The blank official form in the data folder, or None (no data folder, or the file is not in it)."""
    from alternance.reference.sources import default_data_dir

    folder, _how = default_data_dir()
    if folder is None:
        return None
    path = folder / FORM_PATH
    return path if path.is_file() else None


def _font_size(widget) -> int:
    rect = [float(x) for x in widget["/Rect"]]
    return 7 if abs(rect[3] - rect[1]) < SMALL_FIELD_HEIGHT else 9


def render_official(data: Mapping, periods: list[PayPeriod], *, nir: str = "", form_path: Path) -> bytes:
    """The filled official form as PDF bytes: text values with generated appearance streams (pypdf) and
    NeedAppearances set, so that every viewer shows them and a signatory can still correct a field."""
    values = cerfa_values(data, periods, nir)
    checks = {f.name for f in CERFA_FIELDS if f.kind in {"yes", "no", "is"}}
    writer = PdfWriter(clone_from=PdfReader(form_path))
    for page in writer.pages:
        for annotation in page.get("/Annots", []):
            widget = annotation.get_object()
            name = widget.get("/T")
            if widget.get("/FT") == "/Tx" and name in values:
                # A readable size for the box (the form asks for 12 pt, too tall for most of its boxes).
                widget[NameObject("/DA")] = TextStringObject(f"/Helv {_font_size(widget)} Tf 0 g")
            if name in checks:
                state = NameObject(CHECKED if values[name] else UNCHECKED)
                widget[NameObject("/V")] = state
                widget[NameObject("/AS")] = state
        texts = {name: value for name, value in values.items() if name not in checks and value}
        writer.update_page_form_field_values(page, texts, auto_regenerate=False)
    writer.set_need_appearances_writer(True)
    writer.add_metadata({"/Title": TITLE, "/Subject": "Contrat d’apprentissage rempli", "/Lang": "fr-FR"})
    writer._root_object[NameObject("/Lang")] = TextStringObject("fr-FR")
    viewer = writer._root_object.get("/ViewerPreferences")
    if viewer is not None:
        viewer.get_object()[NameObject("/DisplayDocTitle")] = writer._root_object["/ViewerPreferences"].get(
            "/DisplayDocTitle", True
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

"""Template filters for French typography: distances, dates, numbers."""

import datetime as dt

from django import template

register = template.Library()

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
NBSP = "\u00a0"


@register.filter
def km(value) -> str:
    """4.23 -> "4,2 km" (decimal comma, non-breaking space)."""
    if value is None:
        return ""
    return f"{float(value):.1f}".replace(".", ",") + f"{NBSP}km"


@register.filter
def date_fr(value) -> str:
    """2027-03-01 -> "1er mars 2027"."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def number_fr(value) -> str:
    """12345 -> "12 345" (narrow no-break space as thousands separator)."""
    try:
        return f"{int(value):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return ""


LEVEL_LABELS = {
    3: "CAP, BEP",
    4: "Bac",
    5: "Bac+2 (BTS, DUT)",
    6: "Bac+3 (licence, bachelor)",
    7: "Bac+5 (master)",
    8: "Doctorat",
}


@register.filter
def level_fr(value) -> str:
    """Diploma level of the cadre national des certifications (décret 2019-14) in plain words."""
    if not value:
        return ""
    return f"Niveau {value} : {LEVEL_LABELS.get(int(value), '')}".rstrip(" :")

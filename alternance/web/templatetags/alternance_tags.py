"""Template filters for French typography (distances, dates, numbers, money) and the pages of search results."""

import datetime as dt
import functools
from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from alternance.contracts.pay import format_money_fr
from alternance.job_applications import rules as application_rules
from alternance.organisations import rules as organisation_rules
from alternance.search.scoring import applications_phrase

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
    label = LEVEL_LABELS.get(int(value), "")
    return f"Niveau {value}{NBSP}: {label}" if label else f"Niveau {value}"


@register.filter
def first_word(value) -> str:
    """ "69001 69002" -> "69001" (the first of a space-separated list, such as a commune's postcodes)."""
    return (str(value or "").split() or [""])[0]


@register.filter
def months_fr(value) -> str:
    """24 -> "24 mois (2 ans)", 18 -> "18 mois"."""
    if not value:
        return ""
    months = int(value)
    if months % 12 == 0:
        years = months // 12
        return f"{months}{NBSP}mois ({years}{NBSP}an{'s' if years > 1 else ''})"
    return f"{months}{NBSP}mois"


@register.filter
def money_fr(value) -> str:
    """Decimal("1234.5") -> "1 234,50 €" (narrow no-break space, comma, no-break space before €)."""
    if value is None or value == "":
        return ""
    return format_money_fr(Decimal(value))


@register.filter
def applications_fr(value) -> str:
    """0 -> "aucune candidature pour l'instant", 3 -> "déjà 3 candidatures" (the search results' wording)."""
    return applications_phrase(int(value or 0))


_DETAIL_ROUTES = {
    "offer": ("offers:detail", "id"),
    "company": ("companies:detail", "siret"),
    "training": ("trainings:detail", "id"),
}
_MARK = "987654321"  # in the reversed path, replaced by the id or siret


@functools.lru_cache(maxsize=64)
def _detail_path(kind: str, prefix: str, urlconf, root_urlconf) -> str:
    """The path of `kind`'s page with the mark, reversed once per prefix and URLconf (reverse() per result of
    a results page cost about 2 ms)."""
    name, attribute = _DETAIL_ROUTES[kind]
    return reverse(name, args=[_MARK if attribute == "siret" else int(_MARK)])


@register.filter
def detail_url(item) -> str:
    """The page of a search result: /offres/<id>/, /entreprises/<siret>/ or /formations/<id>/."""
    path = _detail_path(item.type, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    return path.replace(_MARK, str(getattr(item, _DETAIL_ROUTES[item.type][1])), 1)


def detail_urls():
    """`detail_url` for the results of one page: the script prefix and URLconf (thread-local reads) read once."""
    prefix, urlconf, root = get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF

    def url(item) -> str:
        path = _detail_path(item.type, prefix, urlconf, root)
        return path.replace(_MARK, str(getattr(item, _DETAIL_ROUTES[item.type][1])), 1)

    return url


@register.filter
def percent_fr(value) -> str:
    """A rate in [0, 1] -> « 46 % » (empty when unknown)."""
    return application_rules.percent_fr(value if value not in ("", None) else None)


@register.filter
def reply_days_fr(value) -> str:
    """A median reply delay in days -> « 3 jours », « moins d'un jour » (empty when unknown)."""
    return application_rules.days_fr(value if value not in ("", None) else None)


@register.filter
def source_label(value) -> str:
    """The French name of a register source: « déclaration de l'organisme » for rules.DECLARATION."""
    return organisation_rules.source_label(value or "")

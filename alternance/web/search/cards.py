"""The card of one search result (DSFR `fr-card fr-card--sm`), built in Python.

A results page shows up to 60 cards; rendered as a template include each, they took about 70 % of the page's
CPU time (bench.search, national scale). Every value goes through `escape`; the markup is DSFR's card with
its title link, description, badges (type, « Démonstration »), distance and the reasons of the ranking.
"""

from html import escape as _escape

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

from alternance.web.templatetags.alternance_tags import date_fr, detail_url, detail_urls, km


def escape(value) -> str:
    """Django's `escape` without its lazy-text wrapper: the same characters escaped, the same text out; a text
    with none of them (most of a page's values) is returned as it is, without html.escape's five passes (about
    110 ns instead of 280 a value, some 450 values a results page)."""
    text = str(value)
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return _escape(text)
    return text


def conditional_escape(value) -> SafeString:
    """`django.utils.html.conditional_escape` (a safe value as it is, any other escaped) without the lazy-text
    wrapper of Django's `escape`: the same text out (a lazy text is made a text first, as Django does)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return SafeString(escape(value))


BADGES = {
    "offer": ("info", "Offre"),
    "training": ("success", "Formation"),
}


def _description(item) -> str:
    place = f"{escape(item.commune_name)} ({escape(item.postcode)})"
    if item.type == "offer":
        text = f"{escape(item.company_name)} — {place}"
        if item.start_date or item.duration_months:
            parts = []
            if item.start_date:
                parts.append(f"Début le {date_fr(item.start_date)}")
            if item.duration_months:
                parts.append(f"contrat de {escape(item.duration_months)}&nbsp;mois")
            text += "<br>" + " · ".join(parts)
        return text
    if item.type == "company":
        return f"{escape(item.naf_label)} — {place}<br>{escape(item.spontaneous_notice)}"
    text = f"{escape(item.organisation_name)} — {place}"
    if item.start_date:
        text += f"<br>Début le {date_fr(item.start_date)}"
    return text


def _badge(tone: str, label: str) -> str:
    return f'<li><p class="fr-badge fr-badge--sm fr-badge--{tone} fr-badge--no-icon">{escape(label)}</p></li>'


def result_card(item, url=detail_url) -> SafeString:
    """The card of an offer, a company or a training of the search results (HTML, escaped values); `url`
    gives its page."""
    tone, label = BADGES.get(item.type) or ("new", item.spontaneous_label)
    badges = _badge(tone, label) + (_badge("warning", "Démonstration") if item.is_demo else "")
    reasons = ""
    if item.reasons:
        tags = "".join(f'<li><p class="fr-tag fr-tag--sm">{escape(reason)}</p></li>' for reason in item.reasons)
        reasons = (
            '<div class="fr-card__end"><p class="fr-sr-only">Pourquoi ce résultat :</p>'
            f'<ul class="fr-tags-group">{tags}</ul></div>'
        )
    return mark_safe(  # noqa: S308 - every value above is escaped
        '<div class="fr-card fr-card--sm"><div class="fr-card__body"><div class="fr-card__content">'
        f'<h3 class="fr-card__title"><a href="{escape(url(item))}">{escape(item.title)}</a></h3>'
        f'<p class="fr-card__desc">{_description(item)}</p>'
        f'<div class="fr-card__start"><ul class="fr-badges-group">{badges}</ul>'
        f'<p class="fr-card__detail fr-icon-map-pin-2-line">à {escape(km(item.distance_km))}</p></div>'
        f"{reasons}</div></div></div>"
    )


def result_cards(items) -> SafeString:
    """The list items of a group of results, one card each (one tag for the list: a template loop and tag per
    result cost as much as the cards)."""
    url = detail_urls()
    return mark_safe("".join(f'<li class="fr-col-12 fr-col-md-6">{result_card(item, url)}</li>' for item in items))  # noqa: S308

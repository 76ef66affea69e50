"""The sections of the results page, one per kind of result (offers, companies, trainings), built in Python.

As a template loop (about fifteen nodes a kind around the cards) they took about 0.3 ms of CPU a page
(bench.search, national scale). The markup is the one the template made: its headings, notices, cards,
« Voir les N résultats » link, pagination and « Élargir » link, every value escaped as the template language
does (tests/web/test_search_results_markup.py compares both with tests/web/legacy_templates/).
"""

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from alternance.web.search.cards import conditional_escape, result_cards
from alternance.web.templatetags.alternance_tags import number_fr

COMPANY_NOTICE = (
    "<p class=\"fr-text--sm\">Ces entreprises n'ont pas publié d'offre : leur secteur recrute souvent pour ce "
    "métier. Vous pouvez leur proposer une candidature spontanée.</p>"
)


def _group(group, radius: str, only: str, base_query: str, wider_radius, wider_query: str) -> str:
    kind = conditional_escape(group["kind"])
    total = group["total"]
    items = group["items"]
    parts = [
        f'<section class="fr-mb-6w" aria-labelledby="titre-{kind}" id="resultats-{kind}">'
        f'<h2 id="titre-{kind}" class="fr-h4">{conditional_escape(group["title"])} ({number_fr(total)})</h2>'
    ]
    if group["kind"] == "company" and total:
        parts.append(COMPANY_NOTICE)
    if group["nearest"]:
        parts.append(
            f'<p class="fr-text--sm">Aucun résultat de ce type à moins de {radius}&nbsp;km : voici les plus '
            "proches, avec leur distance.</p>"
        )
    if items:
        parts.append(f'<ul class="fr-grid-row fr-grid-row--gutters alt-results" role="list">{result_cards(items)}</ul>')
        if not only and total > len(items):
            parts.append(
                '<p class="fr-mt-2w"><a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" '
                f'href="?{conditional_escape(base_query)}&amp;type={kind}" data-focus-summary>'
                f"Voir les {number_fr(total)} résultats</a></p>"
            )
        page_obj = group.get("page_obj")
        if page_obj and page_obj.paginator.num_pages > 1:
            parts.append(
                render_to_string(
                    "search/_pagination.html", {"page_obj": page_obj, "base_query": base_query, "only": only}
                )
            )
    else:
        wider = (
            f' <a href="?{conditional_escape(wider_query)}" data-focus-summary>'
            f"Élargir à {conditional_escape(wider_radius)}&nbsp;km</a>"
            if wider_radius
            else ""
        )
        parts.append(f"<p>Aucun résultat de ce type à moins de {radius}&nbsp;km.{wider}</p>")
    parts.append("</section>")
    return "".join(parts)


def result_groups(groups, radius_km, only, base_query, wider_radius, wider_query) -> SafeString:
    """The section of each group of results (`radius_km` the search's, printed as `floatformat:0` does)."""
    radius = conditional_escape(floatformat(radius_km, 0))
    return mark_safe(  # noqa: S308 - every value above is escaped
        "\n".join(_group(group, radius, only, base_query, wider_radius, wider_query) for group in groups)
    )

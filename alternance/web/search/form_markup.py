"""The search form, its filters and the combobox fields (DSFR markup), built in Python.

Rendered as templates (`{% for field in form %}`, two combobox includes, the filters' loops), they took about
2 ms of CPU per results page (bench.search), a seventh of it. The markup is the one the templates made:
DSFR classes, the combobox's ARIA, labels and French text, every value escaped as the template language does
(tests/web/test_search_markup.py compares both on a set of forms).
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

from alternance.web.search.cards import conditional_escape

OWN_ERRORS = ("metier", "lieu", "rayon")
"""Fields whose errors are shown beside them; the errors of the others go above the form."""
OCCUPATION_HINT = "Par exemple\u00a0: boulanger, aide-soignante"
PLACE_HINT = "Commune ou code postal"


@functools.lru_cache(maxsize=64)
def _reversed(name: str, prefix: str, urlconf, root_urlconf) -> str:
    return reverse(name)


def _path(name: str) -> str:
    """`{% url name %}`, reversed once per script prefix and URLconf."""
    return _reversed(name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)


def _text(value) -> str:
    """A value printed as `{{ value }}` prints it (strings, labels, error messages)."""
    return conditional_escape(value)


def _value(bound_field) -> str:
    """`{{ field.value|default_if_none:'' }}`."""
    value = bound_field.value()
    return "" if value is None else conditional_escape(value)


def _errors(errors) -> str:
    """`{{ errors|join:" " }}`."""
    return " ".join(conditional_escape(error) for error in errors)


def _lower(label):
    """`{{ label|lower }}` (a safe label stays safe)."""
    lowered = str(label).lower()
    return mark_safe(lowered) if hasattr(label, "__html__") else lowered  # noqa: S308 - was safe


def combobox_field(field, hidden, hint, suggest_url) -> SafeString:
    """An occupation or place field: a DSFR input with server-rendered suggestions (HTMX) and a hidden code."""
    field_id = _text(field.id_for_label)
    errors = field.errors
    label = field.label
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<div class="fr-input-group{" fr-input-group--error" if errors else ""} alt-combobox">\n'
        f'  <label class="fr-label" for="{field_id}">{_text(label)}\n'
        f'    <span class="fr-hint-text">{_text(hint)}</span>\n'
        "  </label>\n"
        f'  <input class="fr-input{" fr-input--error" if errors else ""}" type="text" '
        f'name="{_text(field.html_name)}"\n'
        f'         id="{field_id}" value="{_value(field)}" autocomplete="off"\n'
        '         maxlength="100" role="combobox" aria-autocomplete="list" aria-expanded="false"\n'
        f'         aria-controls="{field_id}-list" data-combobox-target="{_text(hidden.id_for_label)}"\n'
        f"         {f'aria-describedby="{field_id}-error"' if errors else ''}\n"
        f'         hx-get="{_text(suggest_url)}" hx-trigger="input changed delay:200ms" '
        f'hx-target="#{field_id}-list"\n'
        '         hx-swap="innerHTML" hx-sync="this:replace">\n'
        f'  <ul class="alt-combobox__list" id="{field_id}-list" role="listbox" '
        f'aria-label="Suggestions pour {_text(_lower(label))}" '
        "hidden></ul>\n"
        f'  <p class="fr-sr-only" id="{field_id}-status" aria-live="polite"></p>\n'
        f"  {f'<p class="fr-error-text" id="{field_id}-error">{_errors(errors)}</p>' if errors else ''}\n"
        f'  <input type="hidden" name="{_text(hidden.html_name)}" id="{_text(hidden.id_for_label)}" '
        f'value="{_value(hidden)}">\n'
        "</div>\n"
    )


def _alert(message: str) -> str:
    return f'<div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w"><p>{message}</p></div>'


def search_form(form) -> SafeString:
    """The search form (occupation, place, distance) of the home and results pages, `id="search-form"`."""
    errors = form.errors
    alerts = ""
    if non_field := form.non_field_errors():
        alerts += _alert(_errors(non_field))
    for name in form.fields:
        if name in errors and name not in OWN_ERRORS:
            field = form[name]
            alerts += _alert(f"{_text(field.label or name)}\u00a0: {_errors(field.errors)}")
    rayon = form["rayon"]
    rayon_id = _text(rayon.id_for_label)
    chosen = "%s" % (rayon.value(),)  # noqa: UP031 - the template compared `value|stringformat:"s"`
    options = "".join(
        f'<option value="{_text(value)}"{" selected" if chosen == "%s" % (value,) else ""}>{_text(label)}</option>'  # noqa: UP031
        for value, label in form.fields["rayon"].choices
    )
    rayon_errors = f'<p class="fr-error-text">{_errors(rayon.errors)}</p>' if rayon.errors else ""
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<form method="get" action="{_text(_path("search:results"))}" class="fr-mb-4w" id="search-form" '
        "novalidate>\n"
        f"  {alerts}\n"
        '  <div class="fr-grid-row fr-grid-row--gutters">\n'
        '    <div class="fr-col-12 fr-col-md-5">\n'
        f"      {combobox_field(form['metier'], form['rome'], OCCUPATION_HINT, _path('search:suggest_occupations'))}"
        "    </div>\n"
        '    <div class="fr-col-12 fr-col-md-4">\n'
        f"      {combobox_field(form['lieu'], form['insee'], PLACE_HINT, _path('search:suggest_places'))}"
        "    </div>\n"
        '    <div class="fr-col-12 fr-col-md-3">\n'
        f'      <div class="fr-select-group{" fr-select-group--error" if rayon.errors else ""}">\n'
        f'        <label class="fr-label" for="{rayon_id}">Distance maximale</label>\n'
        f'        <select class="fr-select" id="{rayon_id}" name="rayon">\n'
        f"          {options}\n"
        "        </select>\n"
        f"        {rayon_errors}\n"
        "      </div>\n"
        "    </div>\n"
        "  </div>\n"
        '  <button class="fr-btn fr-icon-search-line fr-btn--icon-left" type="submit">Rechercher</button>\n'
        "</form>\n"
    )


def _checkbox(name: str, element_id: str, option: dict, chosen) -> str:
    value = _text(option["value"])
    checked = " checked" if option["value"] in chosen else ""
    return (
        '\n      <div class="fr-fieldset__element"><div class="fr-checkbox-group fr-checkbox-group--sm">\n'
        f'        <input type="checkbox" id="{element_id}" name="{name}" value="{value}" form="search-form"{checked}>\n'
        f'        <label class="fr-label" for="{element_id}">{_text(option["label"])} '
        f"({_text(option['count'])})</label>\n"
        "      </div></div>\n    "
    )


def _chosen(bound_field):
    """The values of `option.value in form.field.value` (a missing value chooses nothing)."""
    value = bound_field.value()
    return () if value is None else value


def search_filters(form, facets, level_facets, size_facets, active_filters: int, only: str) -> SafeString:
    """The filters and the sort of the results, folded in a DSFR accordion (results first on a phone;
    search.js opens it on wide screens; without JavaScript site.css shows it open). The inputs belong to
    the search form (form="search-form")."""
    active = ""
    if active_filters:
        active = f" ({_text(active_filters)} actif{'' if active_filters == 1 else 's'})"
    sort = form["tri"].value()
    sorts = "".join(
        f'<option value="{_text(value)}"{" selected" if sort == value else ""}>{_text(label)}</option>'
        for value, label in form.fields["tri"].choices
    )
    levels = "".join(
        _checkbox("niveau", f"niveau-{_text(option['value'])}", option, _chosen(form["niveau"]))
        for option in level_facets
    )
    sizes_chosen = _chosen(form["taille"])
    sizes = "".join(
        _checkbox("taille", f"taille-{number}", option, sizes_chosen) for number, option in enumerate(size_facets, 1)
    )
    debut = form["debut"]
    debut_errors = debut.errors
    return mark_safe(  # noqa: S308 - every value is escaped
        "\n"
        '<div class="fr-accordions-group alt-fold" data-open-wide>\n'
        '<section class="fr-accordion">\n'
        '  <h2 class="fr-accordion__title" id="titre-filtres">\n'
        '    <button type="button" class="fr-accordion__btn" aria-expanded="false" aria-controls="filtres">'
        f"Filtres et tri{active}</button>\n"
        "  </h2>\n"
        '  <div class="fr-collapse" id="filtres">\n'
        '  <div class="fr-select-group">\n'
        '    <label class="fr-label" for="id_tri">Trier par</label>\n'
        '    <select class="fr-select" id="id_tri" name="tri" form="search-form">\n'
        f"      {sorts}\n"
        "    </select>\n"
        "  </div>\n"
        '  <fieldset class="fr-fieldset" aria-labelledby="legende-niveau">\n'
        '    <legend class="fr-fieldset__legend fr-text--regular" id="legende-niveau">Niveau de diplôme '
        '<span class="fr-hint-text">Les offres et formations sans niveau restent affichées.</span></legend>\n'
        f"    {levels}\n"
        "  </fieldset>\n"
        '  <fieldset class="fr-fieldset" aria-labelledby="legende-taille">\n'
        '    <legend class="fr-fieldset__legend fr-text--regular" id="legende-taille">'
        "Taille de l'entreprise</legend>\n"
        f"    {sizes}\n"
        "  </fieldset>\n"
        '  <div class="fr-checkbox-group fr-checkbox-group--sm fr-mb-3w">\n'
        '    <input type="checkbox" id="id_accessible" name="accessible" value="on" form="search-form"'
        f"{' checked' if form['accessible'].value() else ''}>\n"
        '    <label class="fr-label" for="id_accessible">Accessible aux personnes en situation de handicap '
        f"({_text(facets.get('accessible') or 0)})</label>\n"
        "  </div>\n"
        f'  <div class="fr-input-group{" fr-input-group--error" if debut_errors else ""}">\n'
        '    <label class="fr-label" for="id_debut">Début au plus tôt le</label>\n'
        '    <input class="fr-input" type="date" id="id_debut" name="debut" form="search-form" '
        f'value="{_value(debut)}"{' aria-describedby="debut-error"' if debut_errors else ""}>\n'
        "    "
        + (f'<p class="fr-error-text" id="debut-error">{_errors(debut_errors)}</p>' if debut_errors else "")
        + "\n  </div>\n  "
        + (f'<input type="hidden" name="type" value="{_text(only)}" form="search-form">' if only else "")
        + "\n"
        '  <button class="fr-btn fr-btn--secondary" type="submit" form="search-form">Appliquer les filtres</button>\n'
        "  </div>\n"
        "</section>\n"
        "</div>\n"
    )

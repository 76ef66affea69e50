"""Tags of the search pages, built in Python (a template include each was most of the page's time):
`{% result_cards items %}` renders the list items of results, a DSFR card each
(alternance/web/search/cards.py), `{% result_groups ... %}` the section of each kind of result
(results_markup.py); `{% search_form form %}` the search form, `{% search_filters ... %}` the
filters and the sort, `{% combobox_field field hidden hint url %}` an occupation or place field with its
suggestions (alternance/web/search/form_markup.py)."""

from django import template

from alternance.web.search.cards import result_cards
from alternance.web.search.form_markup import combobox_field, search_filters, search_form
from alternance.web.search.results_markup import result_groups

register = template.Library()
register.simple_tag(result_cards, name="result_cards")
register.simple_tag(result_groups, name="result_groups")
register.simple_tag(search_form, name="search_form")
register.simple_tag(search_filters, name="search_filters")
register.simple_tag(combobox_field, name="combobox_field")

"""Tags of the search results page: `{% result_card item %}` renders one result's DSFR card
(alternance/web/search/cards.py builds it in Python: a template include per card was most of the page's time)."""

from django import template

from alternance.web.search.cards import result_card

register = template.Library()
register.simple_tag(result_card, name="result_card")

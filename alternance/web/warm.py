"""Work a web worker can do before its first visitor: `warm_pages()`, to call once per worker at start (before
`gc.freeze()` where the server freezes its start-up objects), never in a request.

Without it the first results page of each worker reads the referential caches the search form validates
from (34,920 communes, the ROME fiches: about 0.6 s at national scale) and compiles the page's templates.
"""

import logging

from django.db import DatabaseError
from django.template import loader

logger = logging.getLogger(__name__)

TEMPLATES = (
    "base.html",
    "partials/header.html",
    "partials/header_service.html",
    "partials/header_account.html",
    "partials/footer.html",
    "search/home.html",
    "search/results.html",
    "search/_pagination.html",
)


def warm_pages() -> None:
    """Load the search form's referential caches and compile the search pages' templates. A database that
    cannot answer yet is not an error here: the first page then loads the caches itself."""
    from alternance.web.search.forms import load_caches

    try:
        load_caches()
    except DatabaseError as error:
        logger.warning("warm_pages: referential caches not loaded (%s); the first page will load them", error)
    for name in TEMPLATES:
        loader.get_template(name)

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from alternance.core.serving import prepare_process  # noqa: E402  (after django.setup())
from alternance.web.warm import warm_pages  # noqa: E402

warm_pages()  # the search form's referential caches and the search templates, before the first visitor
prepare_process()  # then the collector's tuning, which freezes what warm_pages() loaded

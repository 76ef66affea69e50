import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)  # as django.core.wsgi.get_wsgi_application() does

from alternance.core.serving import Handler, prepare_process  # noqa: E402  (after django.setup())
from alternance.web.warm import warm_pages  # noqa: E402

application = Handler()  # Django's WSGIHandler, a shorter middleware chain for the search API

warm_pages()  # the search form's referential caches and the search templates, before the first visitor
prepare_process()  # then the collector's tuning, which freezes what warm_pages() loaded

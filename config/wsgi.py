import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from alternance.core.serving import prepare_process  # noqa: E402  (after django.setup())

prepare_process()

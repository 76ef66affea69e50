"""Settings for the test suite: strict templates, fast hashing, live server usable from Playwright."""

import os

# Tests run without DEBUG, like production: they bring their own key (settings refuse to start without one).
os.environ.setdefault("SECRET_KEY", "tests-only-" + "k" * 40 + "-not-a-secret")
os.environ["DEBUG"] = "0"

from .settings import *  # noqa: E402, F403
from .settings import BASE_DIR, TEMPLATES  # noqa: E402

# Playwright's sync API runs an event loop in the test thread; the live server needs this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The test client and the live server speak plain HTTP on the loopback; `testserver` is the test client's host.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False


class InvalidTemplateVariable(str):
    """Fail the test on an undefined template variable, like les-emplois does."""

    def __mod__(self, other):
        raise AssertionError(f"Variable de gabarit non définie : {other!r}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAP_TILE_URL = ""
SEARCH_INDEX_DIR = BASE_DIR / "var" / "test-search-index"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests create rows and search at once: poll for changes on every request (tests of the delay override it).
SEARCH_FRESHNESS_SECONDS = 0
# Tasks run at once in tests (enqueued after commit like in production).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# CVs and the local mailbox of the tests stay apart from a developer's var/.
PRIVATE_STORAGE_DIR = BASE_DIR / "var" / "test-private"
MAILBOX_DIR = BASE_DIR / "var" / "test-mail"
# No test reaches the internet: publishers' downloads are off; mirror tests serve files on the loopback.
ALTERNANCE_DOWNLOADS = False
ALTERNANCE_DATA_URL = ""
REFERENTIAL_CACHE_DIR = BASE_DIR / "var" / "test-referentials"
# Rate limits count in a per-process memory cache in tests: the database cache adds a handful of queries per
# counted request, which the query budgets of the pages would count (production: Redis or the database).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "alternance-tests"}}

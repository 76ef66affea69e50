"""Settings for the test suite: strict templates, fast hashing, live server usable from Playwright."""

import os

from .settings import *  # noqa: F403
from .settings import BASE_DIR, TEMPLATES

# Playwright's sync API runs an event loop in the test thread; the live server needs this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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

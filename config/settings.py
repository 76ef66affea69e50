"""Settings of alternance, driven by environment variables.

DATABASE_URL      database (default: embedded SQLite file db.sqlite3)
SECRET_KEY        secret key (default: a development key; set it in production)
DEBUG             "1" to enable debug pages
ALLOWED_HOSTS     comma-separated host names
ALTERNANCE_DATA_DIR  folder of the official referential files (default: ../shared/data when present)
ALTERNANCE_STATE_BRAND  "1" to show the « République française » block (State deployments only)
MAP_TILE_URL      tile server URL template for maps (empty: no tiles)
SEARCH_FRESHNESS_SECONDS  délai de prise en compte des offres publiées ou modifiées, en secondes (2)
REDIS_URL         shared cache for rate limits across workers (default: the database cache)
EMAIL_HOST        SMTP server (with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS); without
                  it, e-mails go to the local mailbox MAILBOX_DIR (var/mail), readable at /courriels/
DEFAULT_FROM_EMAIL  sender of the platform's e-mails
ALTERNANCE_LOCAL_MAILBOX  "1" to show /courriels/ to everyone (local trial only; `make run` sets it)
PRIVATE_STORAGE_DIR  folder of private files (CVs), never served as static or media (default: var/private)
SITE_URL          absolute address used in e-mail links (default: http://127.0.0.1:8000)
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "alternance.core",
    "alternance.reference",
    "alternance.organisations",
    "alternance.trainings",
    "alternance.companies",
    "alternance.offers",
    "alternance.search",
    "alternance.contracts",
    "alternance.job_applications",
    "alternance.accounts",
    "alternance.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "alternance" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alternance.web.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Shared cache (rate limits hold across workers): Redis where configured, else a database table.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "alternance_cache"}}

# Background work: Django's tasks framework, stored in the database (manage.py db_worker runs them).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/dsfr-chart", NODE_MODULES / "@gouvfr" / "dsfr-chart" / "dist"),
    ("vendor/axe-core", NODE_MODULES / "axe-core"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.exists()]
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/connexion/"

# Where the official referential files live (see alternance.reference.sources).
ALTERNANCE_DATA_DIR = os.environ.get("ALTERNANCE_DATA_DIR", "")
# The « République française » block and Marianne belong to State deployments only.
ALTERNANCE_STATE_BRAND = env_bool("ALTERNANCE_STATE_BRAND", False)
ALTERNANCE_SITE_TITLE = os.environ.get("ALTERNANCE_SITE_TITLE", "alternance")
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# Folder of prebuilt search index snapshots.
SEARCH_FRESHNESS_SECONDS = float(os.environ.get("SEARCH_FRESHNESS_SECONDS", "2"))
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", BASE_DIR / "var" / "search-index"))

# E-mail: SMTP when EMAIL_HOST is set, else the local mailbox (alternance.core.mailbox).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "alternance <ne-pas-repondre@example.org>")
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "alternance.core.mailbox.MailboxBackend"}}
MAILBOX_DIR = Path(os.environ.get("MAILBOX_DIR", BASE_DIR / "var" / "mail"))
ALTERNANCE_LOCAL_MAILBOX = env_bool("ALTERNANCE_LOCAL_MAILBOX", False)
# Private files (CVs): outside STATIC_ROOT and any media URL; read only through signed links.
PRIVATE_STORAGE_DIR = Path(os.environ.get("PRIVATE_STORAGE_DIR", BASE_DIR / "var" / "private"))
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""Settings of alternance, driven by environment variables.

DATABASE_URL      database (default: embedded SQLite file db.sqlite3)
SECRET_KEY        secret key: required when DEBUG is off (the platform refuses to start without it); with
                  DEBUG=1 and no SECRET_KEY, a key is generated once into var/secret_key (local trial, make run)
DEBUG             "1" to enable debug pages (local trial only: make run sets it)
ALLOWED_HOSTS     comma-separated host names (default: 127.0.0.1,localhost)
SECURE_SSL_REDIRECT  "0" when a proxy in front already redirects to HTTPS (default: on when DEBUG is off)
SECURE_PROXY_SSL_HEADER  "1" to trust X-Forwarded-Proto: https from the proxy in front
SECURE_HSTS_SECONDS  Strict-Transport-Security max-age when DEBUG is off (default: one year)
ALTERNANCE_DATA_DIR  folder of the official referential files (default: ../shared/data when present)
ALTERNANCE_DATA_URL  mirror of that folder over HTTP(S), tried for the files the folder lacks
ALTERNANCE_DOWNLOADS "0" not to download missing referentials from their publishers
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
PROCONNECT_CLIENT_ID, PROCONNECT_CLIENT_SECRET  sign-in with ProConnect (OpenID Connect) for professionals:
                  off unless both are set; PROCONNECT_SERVER_URL its issuer (default: the production one)
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)


def local_secret_key(folder: Path) -> str:
    """The key of a local trial (DEBUG=1): generated once, kept in var/secret_key, never committed."""
    path = folder / "secret_key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "La variable d'environnement SECRET_KEY est absente : la plateforme refuse de démarrer sans clé "
            "secrète en production. Donnez-lui une valeur longue et aléatoire, par exemple la sortie de "
            "« python -c 'import secrets; print(secrets.token_urlsafe(50))' », ou, pour un essai local "
            "seulement, lancez avec DEBUG=1 (make run le fait)."
        )
    SECRET_KEY = local_secret_key(BASE_DIR / "var")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

# HTTPS only outside a local trial: HSTS, secure cookies (session and CSRF), redirect to HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

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
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "alternance.core",
    "alternance.reference",
    "alternance.organisations",
    "alternance.trainings",
    "alternance.companies",
    "alternance.offers",
    "alternance.search",
    "alternance.contracts",
    "alternance.job_applications",
    "alternance.enrolments",
    "alternance.accounts",
    "alternance.demo",
    "alternance.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, precompressed, before any other work
    # pages (about 6 times smaller), zlib level 3; Django's padding against BREACH kept
    "alternance.web.middleware.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
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
                "django.template.context_processors.csp",
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
# `manage.py collectstatic` (in `make run`) writes every file under a hashed name with its gzip and brotli
# copies; whitenoise serves them with a year-long immutable cache. DEBUG keeps the plain names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# The manifest storage rewrites url() in the DSFR style sheets, so their published SRI checksums no longer
# apply; the files come from this origin.
DSFR_USE_INTEGRITY_CHECKSUMS = False

# People's accounts (django-allauth, alternance/web/templates/account/): e-mail and password, the e-mail
# verified before the first sign-in, password reset by e-mail, allauth's rate limits plus our lockout
# (config/urls.py). Pages under /comptes/.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "alternance.web.accounts.adapter.AccountAdapter"
# allauth's own limits (in the shared cache): sign-in failures, sign-ups, reset and confirmation e-mails.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # ProConnect gives verified professional addresses
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
# ProConnect, the State's identity federation for professionals (OpenID Connect): off unless configured.
PROCONNECT_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_SERVER_URL = os.environ.get("PROCONNECT_SERVER_URL", "https://auth.proconnect.gouv.fr/api/v2")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": "proconnect",
                    "name": "ProConnect",
                    "client_id": PROCONNECT_CLIENT_ID,
                    "secret": PROCONNECT_CLIENT_SECRET,
                    "settings": {
                        "server_url": PROCONNECT_SERVER_URL,
                        "token_auth_method": "client_secret_post",
                        "scope": ["openid", "email", "given_name", "usual_name", "siret"],
                        "auth_params": {"acr_values": "eidas1"},
                    },
                }
            ]
            if PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET
            else []
        ),
    }
}

# Where the official referential files live (see alternance.reference.sources).
ALTERNANCE_DATA_DIR = os.environ.get("ALTERNANCE_DATA_DIR", "")
# A mirror of the data folder over HTTP(S), same layout (an operator's own copy), tried for missing files.
ALTERNANCE_DATA_URL = os.environ.get("ALTERNANCE_DATA_URL", "")
# Download missing referentials from their publishers (alternance.reference.publishers); "0" to stay offline.
ALTERNANCE_DOWNLOADS = env_bool("ALTERNANCE_DOWNLOADS", True)
REFERENTIAL_CACHE_DIR = Path(os.environ.get("REFERENTIAL_CACHE_DIR", BASE_DIR / "var" / "referentials"))
# The « République française » block and Marianne belong to State deployments only.
ALTERNANCE_STATE_BRAND = env_bool("ALTERNANCE_STATE_BRAND", False)
ALTERNANCE_SITE_TITLE = os.environ.get("ALTERNANCE_SITE_TITLE", "alternance")
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")

# Content-Security-Policy on every answer (django.middleware.csp): scripts and style sheets from this site or
# carrying the request's nonce ({{ csp_nonce }}), no inline code, no style="" attributes, no framing; images
# also from the map tile server.
_TILES = urlsplit(MAP_TILE_URL)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"] + ([f"{_TILES.scheme}://{_TILES.netloc}"] if _TILES.netloc else []),
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
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
# LHEO imports: largest file accepted (upload API and parser), folder of uploaded files waiting for the
# worker, longest run before a report « en cours » is marked « interrompu ».
LHEO_MAX_BYTES = int(os.environ.get("LHEO_MAX_BYTES", str(2 * 1024 * 1024 * 1024)))
LHEO_UPLOAD_DIR = Path(os.environ.get("LHEO_UPLOAD_DIR", BASE_DIR / "var" / "uploads"))
LHEO_IMPORT_MAX_SECONDS = int(os.environ.get("LHEO_IMPORT_MAX_SECONDS", str(4 * 3600)))
# From this size on, an LHEO feed is validated and read by two processes (when the machine has two cores or more).
LHEO_PARALLEL_MIN_BYTES = int(os.environ.get("LHEO_PARALLEL_MIN_BYTES", str(16 * 1024 * 1024)))

# Rate limits, (events, seconds) per client address (alternance.core.ratelimit, in the shared cache):
# searches (pages and API), POSTs of forms that write, unknown API keys, failed sign-ins (then locked out).
RATE_LIMITS = {
    "search": (int(os.environ.get("RATE_LIMIT_SEARCH", "120")), 60),
    "suggest": (int(os.environ.get("RATE_LIMIT_SUGGEST", "600")), 60),  # API suggestions: one per keystroke
    "forms": (int(os.environ.get("RATE_LIMIT_FORMS", "30")), 600),
    # contracts and drafts made without an account, per address and per hour (alternance/web/contracts)
    "contract_creation": (int(os.environ.get("RATE_LIMIT_CONTRACTS", "20")), 3600),
    "api_key_failures": (int(os.environ.get("RATE_LIMIT_API_KEY_FAILURES", "20")), 600),
    "login_failures": (int(os.environ.get("RATE_LIMIT_LOGIN_FAILURES", "5")), 900),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Signed-link tokens (candidates' follow-up pages, answer and CV links) are blanked out of every record.
    "filters": {"redact_tokens": {"()": "alternance.core.logfilters.RedactSignedTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# A batch of 2,000 enrolment records with their contracts weighs up to about 4 MB of JSON.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

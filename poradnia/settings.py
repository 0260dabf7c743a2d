"""Every setting of Poradnia, read from the environment.

With no variables set the service runs on the embedded default: SQLite (WAL) and the
in-memory channel layer, with a generated secret kept under ``var/``. Setting
``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` switches to production engines; production
(``DJANGO_DEBUG`` unset and ``DATABASE_URL`` set) refuses to start without ``SECRET_KEY``.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from poradnia.origins import origins_allow_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORADNIA_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
EMBEDDED = not DATABASE_URL
# Off unless a developer opts in: nobody using the service ever sees Django's debug pages.
DEBUG = _env_bool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not EMBEDDED and not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production (DATABASE_URL is set and DJANGO_DEBUG is off)."
        )
    # Embedded default: a random secret generated once per checkout, never committed.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
]
# The port `make run` serves the embedded mode on (its origin is allowed in that mode).
PORT = _env_int("PORT", 8000)
# One origin allow-list, matched exactly (scheme, host and port), for websockets and for
# Django's CSRF check alike; how it is built is in ``poradnia.origins``.
WEBSOCKET_ALLOWED_ORIGINS = origins_allow_list(
    explicit=os.environ.get("WEBSOCKET_ALLOWED_ORIGINS", ""),
    csrf_trusted=os.environ.get("CSRF_TRUSTED_ORIGINS", ""),
    allowed_hosts=ALLOWED_HOSTS,
    dev_port=PORT if EMBEDDED else None,
)
CSRF_TRUSTED_ORIGINS = list(WEBSOCKET_ALLOWED_ORIGINS)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "channels",
    "advice",
    "cases",
    "stats",
    "chat",
    "triage",
    "knowledge_base",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "poradnia.middleware.ReferrerPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "poradnia.time_zone.StaffTimeZoneMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "frontend.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "poradnia.http_security.NoStoreMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "poradnia.urls"
ASGI_APPLICATION = "poradnia.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _databases() -> dict[str, Any]:
    if DATABASE_URL:
        # No health check: it would cost a "SELECT 1" round trip before the first query of
        # every websocket frame (connections are checked around each database call); a broken
        # connection is still discarded after the error it causes.
        db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=False)
        suffix = os.environ.get("TEST_DB_SUFFIX", "")
        db["TEST"] = {"NAME": f"test_poradnia{suffix}"}
        return {"default": db}
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # One persistent connection per thread: closing the last connection of a WAL
            # database checkpoints it, and reopening costs the PRAGMAs again, on every frame.
            "CONN_MAX_AGE": None,
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "poradnia.sqlite3")),
            # A file, not shared-cache memory, so that concurrent test threads take real
            # SQLite locks and wait for them instead of failing with "table is locked".
            "TEST": {"NAME": str(VAR_DIR / f"test{os.environ.get('TEST_DB_SUFFIX', '')}.sqlite3")},
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The abuse limits (chat/limits.py) count in this cache: Redis when configured, so every
# server process sees the same counts; otherwise this process's memory.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}


def _channel_layers() -> dict[str, Any]:
    if REDIS_URL:
        backend = os.environ.get("CHANNEL_LAYER", "pubsub")
        # redis-py's asyncio pool raises once it is exhausted instead of waiting, so its
        # size is set explicitly: a burst of connects must not turn into handshake errors.
        host = {"address": REDIS_URL, "max_connections": _env_int("REDIS_POOL_SIZE", 2000)}
        # Channel and group names live in one namespace per Redis server (pub/sub ignores
        # the database number): deployments sharing a Redis need distinct prefixes.
        prefix = os.environ.get("CHANNEL_LAYER_PREFIX", "asgi")
        if backend == "core":
            return {
                "default": {
                    "BACKEND": "channels_redis.core.RedisChannelLayer",
                    "CONFIG": {"hosts": [host], "capacity": 1000, "expiry": 30, "prefix": prefix},
                }
            }
        # ``channels_redis``' pub/sub layer with a smaller mailbox per socket and channels
        # released when their consumer ends (``chat.layers``).
        return {
            "default": {
                "BACKEND": "chat.layers.RedisPubSubLayer",
                "CONFIG": {"hosts": [host], "prefix": prefix},
            }
        }
    # Channels' default capacity (100 events per channel) drops frames silently while a
    # consumer is busy, e.g. an officer's console during a burst of arrivals.
    return {
        "default": {
            "BACKEND": "chat.layers.ThrottledInMemoryChannelLayer",
            "CONFIG": {"capacity": 1000},
        }
    }


CHANNEL_LAYERS = _channel_layers()

# The cache holds rate-limit counters (refused-handshake audit, CSP report counts, resume-code
# attempts): in Redis
# when it is configured, so that every server process shares them; in memory otherwise.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "poradnia",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out (user name, address) pair before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff login limits (django-axes): after 5 failed logins for one user name from one address
# — unknown user names alike — that pair is locked out for 15 minutes (each further attempt
# during the lockout restarts the 15 minutes). A wrong authenticator code is a failure too.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "frontend/login_locked.html"
# Addresses are stored as a keyed pseudonym, never as they are (see the callable).
AXES_CLIENT_IP_CALLABLE = "frontend.login_limits.client_address_pseudonym"
# Successful logins are not logged by axes; failed ones are kept only until they expire.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token", "csrfmiddlewaretoken"]
LOGIN_URL = "frontend:login"
# Officers and supervisors confirm an authenticator app (TOTP) and give its code at login.
# On by default in production; off in the embedded demo unless STAFF_TWO_FACTOR=1.
STAFF_TWO_FACTOR = _env_bool("STAFF_TWO_FACTOR", not EMBEDDED)
LOGIN_REDIRECT_URL = "frontend:console"
LOGOUT_REDIRECT_URL = "frontend:login"

# Only staff get cookies (the citizen page sets none). Strict: no other site can make a
# browser send them. Outside DEBUG they are Secure and carry the ``__Host-`` prefix (Secure,
# path /, no Domain: no subdomain can set or shadow them); the browser's scripts read the
# CSRF token from the page, so neither cookie is readable by JavaScript.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
# Secure (HTTPS-only, "__Host-" named) cookies in production; the embedded mode serves plain
# HTTP on a developer's machine, where a browser on another address would drop them.
SESSION_COOKIE_SECURE = not DEBUG and not EMBEDDED
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_CONTENT_TYPE_NOSNIFF = True
BEHIND_TLS_PROXY = _env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Plain HTTP is redirected to HTTPS, except the container's own health check.
    SECURE_SSL_REDIRECT = not DEBUG
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS (sent on HTTPS responses only): one year, for every subdomain too. Preloading is
# left to the owner of the domain, who must submit it to the browsers' lists themselves.
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # SECURE_HSTS_PRELOAD: see above
# Referrer-Policy: one per kind of page, set by poradnia.middleware.ReferrerPolicyMiddleware.
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "frontend.errors.csrf_failure"

# Strict CSP: only our own scripts and styles, no inline code, websockets to our own host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        # Browsers report violations here; only a count per directive is kept.
        "report-uri": ["/csp-report/"],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("pl", "Polski"),
    ("cs", "Čeština"),
    ("en", "English"),
    ("uk", "Українська"),
    ("de", "Deutsch"),
    ("sk", "Slovenčina"),
    ("lt", "Lietuvių"),
    ("nb", "Norsk bokmål"),
    ("ru", "Русский"),
]
# Languages whose interface strings are complete (citizen page, /help/, console, admin).
UI_LANGUAGES = ["pl", "cs", "en", "uk", "de", "sk", "lt", "nb", "ru"]
# Languages every guidance article is written in; the knowledge base's completeness check
# requires these. Readers of the other UI languages get an article's fallback translation.
ARTICLE_LANGUAGES = ["pl", "cs", "en", "uk", "de"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Daphne serves static files through WhiteNoise: in the embedded mode and while developing
# straight from the apps (no manifest to build), in production the hashed compressed copies.
STATIC_FROM_APPS = DEBUG or EMBEDDED
WHITENOISE_USE_FINDERS = STATIC_FROM_APPS
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if STATIC_FROM_APPS
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Bounded waits on the message path (PostgreSQL): a send that waits longer for a lock, or
# runs longer, is rolled back and refused with ``temporarily_unavailable`` (the client resends
# it). SQLite waits for its file lock up to the connection's ``timeout`` above instead.
DB_LOCK_TIMEOUT_MS = _env_int("DB_LOCK_TIMEOUT_MS", 2000)
DB_STATEMENT_TIMEOUT_MS = _env_int("DB_STATEMENT_TIMEOUT_MS", 5000)

# Conversation lifecycle.
OFFICER_GRACE_SECONDS = float(os.environ.get("OFFICER_GRACE_SECONDS", "120"))
CITIZEN_RESUME_SECONDS = float(os.environ.get("CITIZEN_RESUME_SECONDS", "900"))
# Presence is a lease (docs/cluster.md): each server process renews its heartbeat every
# PRESENCE_HEARTBEAT_SECONDS; a process silent for PRESENCE_TTL_SECONDS is taken for dead and
# its sockets for closed. Any process runs the due-time sweeper every PRESENCE_SWEEP_SECONDS.
PRESENCE_TTL_SECONDS = float(os.environ.get("PRESENCE_TTL_SECONDS", "15"))
PRESENCE_HEARTBEAT_SECONDS = float(
    os.environ.get("PRESENCE_HEARTBEAT_SECONDS", str(PRESENCE_TTL_SECONDS / 3))
)
PRESENCE_SWEEP_SECONDS = float(os.environ.get("PRESENCE_SWEEP_SECONDS", "2"))
# The heartbeat and sweeper task of a server process (off only where a test drives them).
PRESENCE_BACKGROUND = _env_bool("PRESENCE_BACKGROUND", True)
# A waiting conversation whose citizen wrote and was shown a resume code waits this long; an
# ended conversation can still be read with its code for this long after it ended.
CITIZEN_CODE_RESUME_SECONDS = float(os.environ.get("CITIZEN_CODE_RESUME_SECONDS", "86400"))
# Attempts to resume with a code, per client address and per code lookup key, per window.
RESUME_CODE_ATTEMPTS = _env_int("RESUME_CODE_ATTEMPTS", 5)
RESUME_CODE_WINDOW_SECONDS = _env_int("RESUME_CODE_WINDOW_SECONDS", 600)
MESSAGE_MAX_CHARS = 4000
# Days after a conversation ends before its messages, notes and free text are erased by
# `manage.py apply_retention` (case records keep their own frozen transcript).
RETENTION_DAYS = _env_int("RETENTION_DAYS", 30)
FRAME_MAX_BYTES = 32 * 1024
# Abuse limits per client address (docs/security.md, chat/limits.py).
LIMIT_OPEN_SOCKETS = _env_int("LIMIT_OPEN_SOCKETS", 20)
# Part of every limit's cache key: deployments sharing one Redis keep separate counts.
LIMITS_NAMESPACE = os.environ.get("LIMITS_NAMESPACE", "poradnia")
LIMIT_STARTS = _env_int("LIMIT_STARTS", 5)
LIMIT_STARTS_WINDOW_SECONDS = _env_int("LIMIT_STARTS_WINDOW_SECONDS", 600)
# Frames refused for the rate on one socket within LIMIT_RATE_STRIKES_WINDOW_SECONDS before
# it is closed with 1008 (the pages pace their frames under the limit and never get there).
LIMIT_RATE_STRIKES = _env_int("LIMIT_RATE_STRIKES", 20)
LIMIT_RATE_STRIKES_WINDOW_SECONDS = float(os.environ.get("LIMIT_RATE_STRIKES_WINDOW_SECONDS", "60"))
# A citizen socket that sends nothing for this long after connecting is closed.
CITIZEN_FIRST_FRAME_SECONDS = float(os.environ.get("CITIZEN_FIRST_FRAME_SECONDS", "10"))
# How often each server process checks that the logins behind its open staff sockets hold.
STAFF_SESSION_CHECK_SECONDS = float(os.environ.get("STAFF_SESSION_CHECK_SECONDS", "2"))
# Database threads for message writes (``chat.dbpool``); SQLite always uses one.
DB_THREADS = _env_int("DB_THREADS", 4)
# PostgreSQL: store a socket's message on the event loop with psycopg's asynchronous
# connection (at most DB_THREADS of them) instead of in a database thread
# (``chat.message_writes``); 0 keeps every write in the threads.
DB_MESSAGE_WRITES_ON_LOOP = _env_bool("DB_MESSAGE_WRITES_ON_LOOP", True)
# Database calls one process may have in flight before chat messages get ``busy``
# (``chat.admission``); the client sends them again with the same client_id.
MAX_INFLIGHT_DB_CALLS = _env_int("MAX_INFLIGHT_DB_CALLS", 64)
# The pause a ``busy`` refusal asks for before the resend (its ``retry_after``).
BUSY_RETRY_AFTER_SECONDS = float(os.environ.get("BUSY_RETRY_AFTER_SECONDS", "0.5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# Every QUEUE_AGING_SECONDS of waiting raises a conversation one urgency level (not into P1).
QUEUE_AGING_SECONDS = float(os.environ.get("QUEUE_AGING_SECONDS", "600"))
# Waiting citizens up to this position see it exactly; those behind see it rounded
# (advice.queue_shown).
QUEUE_EXACT_POSITIONS = _env_int("QUEUE_EXACT_POSITIONS", 50)

# /metrics answers a request carrying "Authorization: Bearer <METRICS_TOKEN>" or coming from
# one of these networks (by default loopback and private ranges: the Prometheus of the
# internal network, scraping each process directly); anyone else gets 404.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = [
    ipaddress.ip_network(network.strip(), strict=False)
    for network in os.environ.get(
        "METRICS_ALLOWED_NETWORKS",
        "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7",
    ).split(",")
    if network.strip()
]

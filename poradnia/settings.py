"""Every setting of Poradnia, read from the environment.

With no variables set the service runs on the embedded default: SQLite (WAL) and the
in-memory channel layer, with a generated secret kept under ``var/``. Setting
``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` switches to production engines; production
(``DJANGO_DEBUG`` unset and ``DATABASE_URL`` set) refuses to start without ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
DEBUG = _env_bool("DJANGO_DEBUG", EMBEDDED)


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
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

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
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "frontend.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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


def _channel_layers() -> dict[str, Any]:
    if REDIS_URL:
        backend = os.environ.get("CHANNEL_LAYER", "pubsub")
        # redis-py's asyncio pool raises once it is exhausted instead of waiting, so its
        # size is set explicitly: a burst of connects must not turn into handshake errors.
        host = {"address": REDIS_URL, "max_connections": _env_int("REDIS_POOL_SIZE", 2000)}
        if backend == "core":
            return {
                "default": {
                    "BACKEND": "channels_redis.core.RedisChannelLayer",
                    "CONFIG": {"hosts": [host], "capacity": 1000, "expiry": 30},
                }
            }
        return {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [host]},
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "frontend:login"
# Officers and supervisors confirm an authenticator app (TOTP) and give its code at login.
# On by default in production; off in the embedded demo unless STAFF_TWO_FACTOR=1.
STAFF_TWO_FACTOR = _env_bool("STAFF_TWO_FACTOR", not EMBEDDED)
LOGIN_REDIRECT_URL = "frontend:console"
LOGOUT_REDIRECT_URL = "frontend:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
if _env_bool("BEHIND_TLS_PROXY", False):
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# "same-origin": under "no-referrer" browsers send "Origin: null" on form POSTs and CSRF
# checks fail. The citizen and neutral pages send "no-referrer" themselves.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

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
# Languages whose interface strings and guidance articles are complete.
UI_LANGUAGES = ["pl", "cs", "en", "uk", "de"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Daphne serves static files through WhiteNoise; while developing, straight from the apps.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Conversation lifecycle.
OFFICER_GRACE_SECONDS = float(os.environ.get("OFFICER_GRACE_SECONDS", "120"))
CITIZEN_RESUME_SECONDS = float(os.environ.get("CITIZEN_RESUME_SECONDS", "900"))
MESSAGE_MAX_CHARS = 4000
# Days after a conversation ends before its messages, notes and free text are erased by
# `manage.py apply_retention` (case records keep their own frozen transcript).
RETENTION_DAYS = _env_int("RETENTION_DAYS", 180)
FRAME_MAX_BYTES = 32 * 1024
# Database threads for message writes (``chat.dbpool``); SQLite always uses one.
DB_THREADS = _env_int("DB_THREADS", 4)
# Database calls one process may have in flight before chat messages get ``busy``
# (``chat.admission``); the client sends them again with the same client_id.
MAX_INFLIGHT_DB_CALLS = _env_int("MAX_INFLIGHT_DB_CALLS", 64)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# Every QUEUE_AGING_SECONDS of waiting raises a conversation one urgency level (not into P1).
QUEUE_AGING_SECONDS = float(os.environ.get("QUEUE_AGING_SECONDS", "600"))

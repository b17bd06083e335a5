"""Tillit settings: one file, every value from an environment variable.

The defaults make `make run` work on a fresh clone (SQLite file in the project
folder). Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and friends;
each variable is documented in `.env.example` and `docs/operations.md`.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
TESTING = "PYTEST_VERSION" in os.environ

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "tillit.core",
    "tillit.planning",
    "tillit.measures",
    "tillit.followup",
    "tillit.activities",
    "tillit.dialogues",
    "tillit.calendars",
    "tillit.economy",
    "tillit.reports",
    "tillit.portal",
    "tillit.search",
    "tillit.opendata",
    "tillit.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tillit.core.middleware.OrganisationMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tillit.core.context_processors.organisation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a management command writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    # First: refuses a login attempt while its user and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# The interface speaks Swedish. English is the source language of the code.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# collectstatic (production storage): keep only the hashed copies, which pages link to,
# and do not compress source maps, which only developer tools fetch. Each halves the
# compression work (brotli at its best is slow; the API docs' bundles are large).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tillit@localhost")

# The organisation (municipality) this installation serves by default.
# One database can hold many; the middleware picks this one for a request.
TILLIT_ORGANISATION = env.str("TILLIT_ORGANISATION", default="grastorp")
# The site's address as people reach it, for links in e-mails (reminders).
TILLIT_BASE_URL = env.str("TILLIT_BASE_URL", default="http://127.0.0.1:8000")

# Public sources of data (development machines cannot reach them: tests run the
# clients against a local server).
KOLADA_BASE_URL = env.str("KOLADA_BASE_URL", default="https://api.kolada.se/v3")
SCB_BASE_URL = env.str("SCB_BASE_URL", default="https://statistikdatabasen.scb.se/api/v2")

# Where uploaded import files wait between the preview and the import (shared between
# app servers in production).
TILLIT_IMPORT_DIR = env.str("TILLIT_IMPORT_DIR", default="") or None

# Background work (the django.tasks API of Django 6, through django-tasks). "immediate" runs
# a task at once, inside the request or command that enqueues it: no worker, fine for the
# embedded SQLite demo and the tests. "database" stores tasks in the database for workers
# (`manage.py db_worker`, on any machine that shares the database) to run.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TILLIT_TASKS_BACKEND = env.str("TILLIT_TASKS_BACKEND", default="immediate")
if TILLIT_TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TILLIT_TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, "
        f"not {TILLIT_TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TILLIT_TASKS_BACKEND], "QUEUES": ["default"]}}

# A file import with at least this many rows runs as a task (in the background with the
# database backend); smaller ones run inside the request, so the common case is immediate.
TILLIT_BACKGROUND_IMPORT_ROWS = env.int("TILLIT_BACKGROUND_IMPORT_ROWS", default=5000)

# A report's rendering still waiting or running after this many minutes is failed: its
# worker stopped. A 340-page årsredovisning renders in about a minute (docs/benchmarks.md).
TILLIT_RENDER_TIMEOUT_MINUTES = env.int("TILLIT_RENDER_TIMEOUT_MINUTES", default=30)

# Where the municipality's source documents live (used by tests that compare
# the shipped preset with the seed texts).
TILLIT_SEEDS_DIR = Path(
    env.str("TILLIT_SEEDS_DIR", default=str(BASE_DIR.parent / "shared" / "seeds"))
)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# No "revert to this version" in the admin: it would save an old row past the services'
# checks (a decision behind every change, a frozen report turned back into a draft).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Security (docs/operations.md#security). The defaults suit `make run` and the tests; a
# production installation behind a TLS proxy sets the HTTPS ones (see .env.example), and
# `manage.py check --deploy` then reports no issues.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Only behind a reverse proxy that sets X-Forwarded-Proto itself (and strips the client's).
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Strict-Transport-Security, sent on HTTPS responses only; 0 sends none.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
# No Referer to other sites: addresses inside Tillit stay inside it.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# How many reverse proxies in front of gunicorn append the client's address to
# X-Forwarded-For (nginx: 1). 0 trusts no header and takes the address the connection
# comes from. Used to limit login attempts per address (tillit/core/security.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# The REST API (docs/api.md). Integrations authenticate with a token (header
# "Authorization: Token …"); a logged-in browser with its session. Lists are paginated
# and filtered by the same FilterSets as the pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "tillit.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tillit API",
    "DESCRIPTION": "A municipality's plan, measures, follow-up and activities.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, used by several fields ("status", "grade"), so that the schema
    # generation (also run by `check --deploy`) has nothing to warn about.
    "ENUM_NAME_OVERRIDES": {
        "FulfilmentEnum": "tillit.core.choices.Fulfilment",
        "ActivityStatusEnum": "tillit.activities.choices.ActivityStatus",
        "DocumentStatusEnum": "tillit.planning.choices.DocumentStatus",
    },
}

# Content-Security-Policy (django-csp): scripts and styles only from this site. Inline
# style attributes and <style> elements are allowed (bar widths, the colours of the Agenda
# 2030 goals, htmx's indicator style); inline scripts and event handlers are not.
# CSP_REPORT_URI has browsers report violations there; CSP_REPORT_ONLY=true only reports
# them, blocking nothing (to try the policy on an installation first).
_csp_directives: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if _csp_report_uri := env.str("CSP_REPORT_URI", default=""):
    _csp_directives["report-uri"] = [_csp_report_uri]
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}

# Failed logins (django-axes): after AXES_FAILURE_LIMIT failures for one user name from one
# address, that pair is locked out (answer 429, a page that says for how long) until
# AXES_COOLOFF_MINUTES have passed since the latest attempt; an attempt while locked out,
# even with the right password, starts the wait again. A successful login clears the
# count. Attempts are kept in the database, so every app server sees them; a system
# administrator lifts a lock with `manage.py axes_reset_username NAME` or in the admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
_cooloff_minutes = env.float("AXES_COOLOFF_MINUTES", default=15)
# 0: locked out until a system administrator lifts the lock.
AXES_COOLOFF_TIME = timedelta(minutes=_cooloff_minutes) if _cooloff_minutes > 0 else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tillit.core.security.lockout_response"  # the page, with the minutes
AXES_CLIENT_IP_CALLABLE = "tillit.core.security.client_ip"  # behind TRUSTED_PROXY_COUNT proxies
AXES_VERBOSE = False  # no banner at every start; failures and lockouts are still logged
# No row for every successful login (who, from where, when) kept for ever: only failures,
# and only until they expire.
AXES_DISABLE_ACCESS_LOG = True

"""Tillit settings: one file, every value from an environment variable.

The defaults make `make run` work on a fresh clone (SQLite file in the project
folder). Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and friends;
each variable is documented in `.env.example` and `docs/operations.md`.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

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
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tillit.core.middleware.OrganisationMiddleware",
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

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Only behind a reverse proxy that sets X-Forwarded-Proto itself (and strips the client's).
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

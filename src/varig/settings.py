"""Settings for Varig, read from environment variables with safe defaults.

Development defaults (SQLite under var/) apply unless the environment says otherwise;
production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and usually DATABASE_URL.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("VARIG_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY a development key is used; `check --deploy` flags it (security.W009),
# so a production deployment cannot pass its checks with it.
SECRET_KEY = (
    os.environ.get("SECRET_KEY") or "django-insecure-varig-development-key-not-for-production"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "auditlog",
    "django_tasks_db",
    "varig.core",
    "varig.customers",
    "varig.employers",
    "varig.placements",
    "varig.outcomes",
    "varig.daily",
    "varig.alerts",
    "varig.earnings",
    "varig.bench",
    "varig.callrounds",
    "varig.privacy",
    "varig.activities",
    "varig.adminhelp",
    # Last, so that an app's template (varig.core's select) overrides Django's form widgets.
    "django.forms",
]

# Form widgets render through the project's template engine, so varig.core can replace Django's
# select template: it writes each option inline instead of including two templates per option
# (the caseload filter's advisor list is hundreds of options; 28 ms a page at national scale).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "varig.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: logs out after VARIG_SESSION_IDLE_MINUTES without a request.
    "varig.core.middleware.IdleTimeoutMiddleware",
    # Everything but the second-factor pages needs a verified second factor.
    "varig.core.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "varig.core.middleware.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "varig.urls"
WSGI_APPLICATION = "varig.wsgi.application"

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
                "django.template.context_processors.csp",
                "varig.core.context_processors.navigation",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

# Database: SQLite in WAL mode under var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(parents=True, exist_ok=True)
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compiling: it cannot estimate the reports' recursive employment chains and
        # spends 0.1-0.2 s compiling queries that then run in milliseconds; Varig's queries are
        # short OLTP reads for which JIT never pays. Set per connection, so no query is spent.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("VARIG_SQLITE_PATH", str(VAR_DIR / "varig.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA mmap_size=268435456;"
                ),
            },
            # One connection per worker thread, kept between requests: a new one per request
            # read the schema again and started with an empty page cache, 20-25 ms of every page
            # at national scale (issue 9). Django closes it after an error or after 10 minutes.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2 first: new and changed passwords are hashed with it (tests check it stays first).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:today"
LOGOUT_REDIRECT_URL = "core:login"

# --- Logging in (issue 7) ------------------------------------------------------------------
# Two-factor login for all staff: a TOTP app (django-otp) set up on the first login, with
# single-use backup codes (django-otp's static device). See README.md "Logging in".
OTP_TOTP_ISSUER = os.environ.get("VARIG_ORGANISATION_NAME", "Varig")
VARIG_BACKUP_CODES = 10
# Lockout (django-axes): after this many wrong passwords for one e-mail address, or from one
# client address, logging in from there or with it is refused for the cool-off period (a
# successful login clears the count; an administrator can lift a user's lockout sooner).
AXES_FAILURE_LIMIT = int(os.environ.get("VARIG_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("VARIG_LOGIN_LOCKOUT_MINUTES", 15))
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Behind a reverse proxy every request comes from the proxy: set VARIG_TRUST_X_FORWARDED_FOR=1
# (only then) to take the client address the proxy appends to X-Forwarded-For.
VARIG_TRUST_X_FORWARDED_FOR = env_bool("VARIG_TRUST_X_FORWARDED_FOR", False)
AXES_CLIENT_IP_CALLABLE = "varig.core.twofactor.client_ip"
AXES_USERNAME_CALLABLE = "varig.core.twofactor.login_email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "varig.core.views.locked_out"
AXES_VERBOSE = False
# A session ends after this many minutes without a request (the last activity is written at
# most once a minute), and at the latest SESSION_COOKIE_AGE after it was last written.
VARIG_SESSION_IDLE_MINUTES = int(os.environ.get("VARIG_SESSION_IDLE_MINUTES", 30))
VARIG_SESSION_ACTIVITY_RESOLUTION_SECONDS = 60

# Language and time: Danish first, English complete.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["varig.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not env_bool("VARIG_PLAIN_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Security. Cookies are secure outside development; the CSP allows only our own files.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent by varig.core.middleware.PermissionsPolicyMiddleware: no camera, microphone, location.
VARIG_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "varig@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Background tasks (the interchange import from the browser): Django's tasks framework with a
# database queue, run by `varig worker` (`make run` starts one). Tests use ImmediateBackend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Audit: health fields are never copied into the change log.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
# A masked field (the diagnosis, health notes) is kept as a fixed mask, not half of its text.
AUDITLOG_MASK_CALLABLE = "varig.privacy.audit.mask_value"

# The follow-up standard (see DESIGN.md). Days and months are counted from the placement start.
VARIG_FOLLOWUP = {
    "first_talk_days": int(os.environ.get("VARIG_FOLLOWUP_FIRST_TALK_DAYS", 14)),
    "meeting_months": [3, 6, 12],
    "window_days": int(os.environ.get("VARIG_FOLLOWUP_WINDOW_DAYS", 14)),
    "praktik_check_days": int(os.environ.get("VARIG_PRAKTIK_CHECK_DAYS", 14)),
    "praktik_end_days_before": int(os.environ.get("VARIG_PRAKTIK_END_DAYS_BEFORE", 7)),
    "due_soon_days": 14,
}
VARIG_PAGE_SIZE = 25
VARIG_ORGANISATION_NAME = os.environ.get("VARIG_ORGANISATION_NAME", "Varig")
# A logo file for documents (PDF welcome packs, guides): a path on disk, empty for none.
VARIG_ORGANISATION_LOGO = os.environ.get("VARIG_ORGANISATION_LOGO", "")

# --- Daily jobs (issue 6) ------------------------------------------------------------------
# Dotted paths to idempotent callables `job(*, on: datetime.date)`, run in this order by
# `varig daily` and once a day by `varig worker` at VARIG_DAILY_AT (local time). Apps that need
# daily work append their job here.
VARIG_DAILY_JOBS: list[str] = [
    # First: the stored status of the persons whose placement or association started or
    # ended (customers/status.py), which the others may filter by.
    "varig.customers.status.status_daily",
    "varig.alerts.jobs.flags_daily",
    # After the warnings, so the digest tells of today's new ones.
    "varig.alerts.digest.digest_daily",
]
VARIG_DAILY_AT = os.environ.get("VARIG_DAILY_AT", "05:00")
# Off when production runs `varig daily` from a timer instead of the worker.
VARIG_DAILY_IN_WORKER = env_bool("VARIG_DAILY_IN_WORKER", True)

# --- employers (issue 5): the placement statistics matching ranks companies by ---
VARIG_DAILY_JOBS += ["varig.employers.matching.match_stats_daily"]
# --- outcomes (issue 3) ---
VARIG_DAILY_JOBS += [
    "varig.outcomes.interchange.jobs.import_jobs_mark_stale_daily",
]
# The Resultater page's queries run side by side on this many threads (core.db.read_concurrently;
# 1: one after another). Default: the machine's cores, at most 4.
VARIG_REPORT_THREADS = int(os.environ.get("VARIG_REPORT_THREADS", min(4, os.cpu_count() or 1)))
# --- Early warnings (issue 6) ----------------------------------------------------------------
# No contact with the person for this many days raises a warning.
VARIG_NO_CONTACT_DAYS = int(os.environ.get("VARIG_NO_CONTACT_DAYS", 60))
# A consent (for a company the person works at) expiring within this many days warns.
VARIG_CONSENT_EXPIRY_WARNING_DAYS = int(os.environ.get("VARIG_CONSENT_EXPIRY_WARNING_DAYS", 30))
# The advisors' daily e-mail digest: on these ISO weekdays (1 = Monday), with links to this URL.
VARIG_DIGEST_WEEKDAYS = os.environ.get("VARIG_DIGEST_WEEKDAYS", "1,2,3,4,5")
VARIG_BASE_URL = os.environ.get("VARIG_BASE_URL", "http://127.0.0.1:8000")
# SMTP for outgoing mail (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 30))


# --- Employers (issue 5) ------------------------------------------------------------------------
# The organisation's own contact details, printed on the documents companies get (welcome pack,
# contract drafts, accommodation guide) under "whom to call". Empty values are left out.
VARIG_ORGANISATION_PHONE = os.environ.get("VARIG_ORGANISATION_PHONE", "")
VARIG_ORGANISATION_EMAIL = os.environ.get("VARIG_ORGANISATION_EMAIL", "")
VARIG_ORGANISATION_ADDRESS = os.environ.get("VARIG_ORGANISATION_ADDRESS", "")


# --- Benchmark (issue 9) -------------------------------------------------------------------------
# `varig bench` serves the app with VARIG_BENCH=1: every response then says how many queries it
# made (X-Bench-Queries) and /bench/floor/ answers without touching the database. Never on in
# production.
VARIG_BENCH = env_bool("VARIG_BENCH", False)
if VARIG_BENCH:
    MIDDLEWARE.insert(0, "varig.bench.middleware.QueryCountMiddleware")

# --- Privacy: the audit log and GDPR rights (issue 7) ------------------------------------------
# Audit entries older than this many years are deleted by the daily job (0: kept for ever).
VARIG_AUDIT_RETENTION_YEARS = int(os.environ.get("VARIG_AUDIT_RETENTION_YEARS", 10))
VARIG_DAILY_JOBS += ["varig.privacy.audit.audit_retention_daily"]
# Persons whose association ended more than this many years ago are listed for erasure.
VARIG_ERASE_AFTER_YEARS = int(os.environ.get("VARIG_ERASE_AFTER_YEARS", 5))

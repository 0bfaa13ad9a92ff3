"""Settings for LUK-portalen, read from the environment (django-environ).

With nothing set, the portal runs as an embedded demo: SQLite, an in-memory cache and Celery tasks run
in-process. Production differs only by environment variables (see README.md, "Production").
"""

from __future__ import annotations

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "testserver"}
# The fallback key only serves the embedded demo on this machine. With DEBUG off and HTTPS or a real host name,
# the portal refuses to start without its own key rather than sign sessions with a published one.
DEMO_SECRET_KEY = "django-insecure-luk-portalen-embedded-demo-only"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and (env.bool("HTTPS", default=False) or set(ALLOWED_HOSTS) - LOCAL_HOSTS):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Outside the embedded demo the portal needs its own secret key: set SECRET_KEY "
            "to a long random value, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` (README, \"Production\")."
        )
    SECRET_KEY = DEMO_SECRET_KEY
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "django_filters",
    "simple_history",
    "axes",
    # Sign-in (django-allauth): password, a second factor (mfa), OpenID Connect (ID-porten, Ansattporten).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "accounts.eid",  # allauth's OpenID Connect provider made strict: nonce, signature, acr (ID-porten, Ansattporten)
    "luk_portal",
    "accounts",
    "programmes",
    "applications",
    "reporting",
    "demo",  # demo data (manage.py seed_demo); nothing imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # The CSP's form-action also allows the configured eID providers (the redirect after the eID button).
    "accounts.middleware.EIDFormActionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "luk_portal.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "luk_portal.middleware.SessionAbsoluteAgeMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Signed-in pages, fragments, downloads and exports: Cache-Control private, no-store.
    "luk_portal.middleware.PrivateCacheMiddleware",
    # Staff without a second factor reach nothing but setting one up (accounts.middleware).
    "accounts.middleware.SecondFactorRequiredMiddleware",
    # AxesMiddleware last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "luk_portal.urls"
WSGI_APPLICATION = "luk_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reporting.context_processors.portal",
                "accounts.context_processors.factors",
            ],
        },
    },
]

# Database: SQLite for the embedded demo, PostgreSQL (psycopg 3) when DATABASE_URL is set.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that does not answer must not hold pages up: what is kept is then made afresh.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a dashboard's figures are kept at most; they are made again at once when the data changes
# (luk_portal/data_version.py). 0 makes them on every request.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=600)

# Celery: a real broker with REDIS_URL, tasks run in-process without it (the embedded default).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message not acknowledged within the visibility timeout (its worker died) is delivered again. It must be
# longer than any task runs (the longest limit is 300 s).
# A lost message is looked for every interval × throttle seconds. Redis that does not answer fails fast.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_RESTORE_THROTTLE", default=10),
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
# Report jobs: the time a report may take (then it fails with a reason and can be asked for again), how long
# a job may wait for a worker, and how long to try reaching the broker before telling the asker it is down.
REPORT_TIME_LIMIT = env.int("REPORT_TIME_LIMIT", default=240)
REPORT_QUEUE_LIMIT = env.int("REPORT_QUEUE_LIMIT", default=30 * 60)
# A list export longer than this many rows is made as a background job (with progress), not in the request.
EXPORT_SYNC_LIMIT = env.int("EXPORT_SYNC_LIMIT", default=5000)
# How many days the file of a list made in the background is kept for the person who asked for it.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
# How many years after a project's end a progress or final report may still fall due in its schedule.
REPORT_DUE_MARGIN_YEARS = env.int("REPORT_DUE_MARGIN_YEARS", default=2)
REPORT_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_TIMEZONE = "Europe/Oslo"
# Periodic jobs, run by `celery beat` (make run starts it inside the worker with -B).
CELERY_BEAT_SCHEDULE = {
    "report-reminders": {"task": "applications.tasks.report_reminders", "schedule": 6 * 3600},
    "report-jobs-expire": {"task": "reporting.tasks.report_jobs_expire", "schedule": 5 * 60},
}

# People
AUTHENTICATION_BACKENDS = [
    # sec: the per-user limit across addresses (accounts.throttle) refuses before anything else.
    "accounts.backends.UserLimitBackend",
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2 first: new passwords are hashed with it, and an older PBKDF2 hash is rehashed at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: people are made by administrators (no sign-up); they sign in with their user name and password,
# then a second factor; ID-porten/Ansattporten through OpenID Connect (OIDC_PROVIDERS below).
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False  # a session ends with the browser (and after SESSION_IDLE_MINUTES)
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "LUK-portalen: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env.bool("HTTPS", default=False) else "http"
ACCOUNT_RATE_LIMITS = {
    # django-axes is the one lockout for wrong passwords and wrong codes (see below), not allauth's own.
    "login_failed": None,
    # Password-reset requests: per address and per e-mail address (the key).
    "reset_password": env.str("PASSWORD_RESET_RATE_LIMIT", default="10/h/ip,3/h/key"),
    "reset_password_from_key": "20/h/ip",
}
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "reauthenticate": "accounts.forms.ReauthenticatePasswordForm",
}
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "LUK-portalen"
MFA_TOTP_TOLERANCE = 1  # a code from the 30 seconds before or after is accepted too (clocks drift, people type)
MFA_RECOVERY_CODE_COUNT = 10
MFA_FORMS = {
    "authenticate": "accounts.forms.AuthenticateForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
    "activate_totp": "accounts.forms.ActivateTOTPForm",
}
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False


def _oidc_provider(provider_id: str) -> dict:
    """One electronic-ID provider from OIDC_<ID>_* variables (README, "ID-porten and Ansattporten")."""
    prefix = f"OIDC_{provider_id.upper()}_"
    key_file = env.str(prefix + "PRIVATE_KEY_FILE", default="")
    auth = "private_key_jwt" if key_file else env.str(prefix + "AUTH", default="client_secret_post")
    return {
        "provider_id": provider_id,
        "name": env.str(prefix + "NAME", default=provider_id),
        "client_id": env.str(prefix + "CLIENT_ID"),
        "secret": env.str(prefix + "CLIENT_SECRET", default=""),
        "settings": {
            "server_url": env.str(prefix + "ISSUER"),
            "scope": env.list(prefix + "SCOPES", default=["openid", "profile"]),
            "acr_values": env.str(prefix + "ACR", default="idporten-loa-substantial"),
            "uid_field": env.str(prefix + "UID_CLAIM", default="pid"),
            "token_auth_method": auth,
            "private_key": Path(key_file).read_text() if key_file else "",
            "private_key_id": env.str(prefix + "PRIVATE_KEY_ID", default=""),
            "oauth_pkce_enabled": True,
            "fetch_userinfo": False,
        },
    }


# Electronic-ID providers, e.g. OIDC_PROVIDERS=idporten,ansattporten; none: the login page has the password form only.
OIDC_PROVIDERS = env.list("OIDC_PROVIDERS", default=[])
SOCIALACCOUNT_PROVIDERS = {"eid": {"OAUTH_PKCE_ENABLED": True, "APPS": [_oidc_provider(p) for p in OIDC_PROVIDERS]}}

# Lockout (django-axes): by username and address together, with a cool-off, so that one person
# cannot lock out a whole office behind one address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# --- sec: per-user limit across all addresses (accounts.throttle) ---------------------------------------
# Besides the lock above, a user name with AXES_USER_FAILURE_LIMIT failed sign-ins from any addresses since its
# last successful sign-in or password reset (within AXES_USER_WINDOW_HOURS) is refused for
# AXES_USER_COOLOFF_MINUTES after the last failure, doubled by each further failure, at most
# AXES_USER_COOLOFF_MAX_HOURS. A completed password reset clears both locks.
AXES_USER_FAILURE_LIMIT = env.int("AXES_USER_FAILURE_LIMIT", default=20)
AXES_USER_WINDOW_HOURS = env.int("AXES_USER_WINDOW_HOURS", default=24)
AXES_USER_COOLOFF_MINUTES = env.int("AXES_USER_COOLOFF_MINUTES", default=5)
AXES_USER_COOLOFF_MAX_HOURS = env.int("AXES_USER_COOLOFF_MAX_HOURS", default=24)
# --- end sec ------------------------------------------------------------------------------------------------

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after login. Activity moves the
# idle expiry on, written at most once a minute (luk_portal.middleware.SessionAbsoluteAgeMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_AGE = env.int("SESSION_MAX_HOURS", default=10) * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# HTTPS in production: one switch for redirect, secure cookies and HSTS.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): only the portal's own files; no inline script or style, no eval, no
# plugins, no framing; forms post only to the portal. The charts are inline SVG (no script); the QR code of the
# authenticator app is a data: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): the portal uses none of the browser's powerful features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# E-mail: printed on the console unless EMAIL_URL names a server (smtp://user:password@host:587).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="LUK-portalen <ikkje-svar@luk-portalen.example>")

# Language and time: nynorsk by default, bokmål and English complete; Norwegian time and formats.
LANGUAGE_CODE = "nn"
LANGUAGES = [
    ("nn", _("Norwegian Nynorsk")),
    ("nb", _("Norwegian Bokmål")),
    ("en", _("English")),
]
LANGUAGE_COOKIE_NAME = "luk_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools", "celery.app.trace")}
    | {"kombu.connection": {"level": "ERROR"}},
}

# The portal's own address, for links in e-mails.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")

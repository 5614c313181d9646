"""One settings module for both ways to run.

With no environment set, the portal runs embedded: SQLite, Celery tasks run eagerly, mail to the
console. Production sets DATABASE_URL, CELERY_BROKER_URL, the SMTP settings, SECRET_KEY and
ALLOWED_HOSTS in the environment.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envurl(name: str, default: str) -> str:
    """An absolute http(s) address with no trailing slash: links are this plus a path."""
    value = (os.environ.get(name) or default).rstrip("/")
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host or "*" in host or host.startswith("."):
        raise ImproperlyConfigured(
            f"{name} must be an address such as https://multiply.example.org, not {value!r}"
        )
    return value


# Production is whatever sets a secret key; the embedded default is for a developer's machine.
DEBUG = envbool("DEBUG", default="SECRET_KEY" not in os.environ)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "embedded-default-insecure-key-for-local-use-only-0123456789abcdef"

# The demo's logins (published passwords) exist only on a developer's machine, never in production.
DEMO_ACCOUNTS = "SECRET_KEY" not in os.environ

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# The portal's own address, for links made without a request (e-mails, calendar files, PDFs).
# Unset, it is where the portal is served: `make run`'s HOST and PORT on a developer's machine,
# the first ALLOWED_HOSTS behind HTTPS in production.
if "SECRET_KEY" in os.environ:
    _site_default = f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else ""
else:
    _site_default = f"http://{os.environ.get('HOST') or '127.0.0.1'}:{envint('PORT', 8000)}"
SITE_URL = envurl("SITE_URL", _site_default)

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before django.contrib.admin.
    "modeltranslation",
    # django.contrib.admin with the project's site: the index grouped by task (multiply/admin.py).
    "multiply.apps.MultiplyAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files as static files of the portal's own (no CDN; issue 16).
    "drf_spectacular_sidecar",
    # Its system checks refuse the settings of django-csp 3, which 4 would silently ignore.
    "csp",
    "auditlog",
    "allauth",
    "allauth.account",
    "accounts",
    "cities",
    "exchanges",
    "meetings",
    "notifications",
    "campaigns",
    "reports",
    "calls",
    "mentorships",
    "visits",
    "access",
    "cockpit",
    "privacy",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the headers too.
    "csp.middleware.CSPMiddleware",
    "multiply.middleware.PermissionsPolicyMiddleware",
    # A NUL byte or a lone surrogate anywhere in a request: 400, before anything reads it.
    "multiply.hardening.RefuseUnreadableInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who made a change: the audit log reads the request's user (access/audit.py).
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Content-Security-Policy (django-csp 4; issue 15, item 9). Every script, stylesheet, image and
# font comes from the portal itself, and no page holds an inline <script>, event handler,
# <style> or style attribute (their rules live in static/js and static/css), so markup that
# slipped past escaping runs nothing and restyles nothing. Pages are never framed elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: an image written into a stylesheet or by a widget's script; it runs nothing.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Only the message preview frames anything: an iframe of srcdoc, which takes this page's
        # policy (MessageTemplateAdmin widens the preview's page for the e-mail's inline styles).
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features a page may use (multiply/middleware.py): the check-in scanner films QR codes
# (templates/cockpit/check_in.html); nothing asks for any of the others.
PERMISSIONS_POLICY = {
    "camera": ["self"],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "hid": [],
    "midi": [],
    "display-capture": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
    "xr-spatial-tracking": [],
}

ROOT_URLCONF = "multiply.urls"
WSGI_APPLICATION = "multiply.wsgi.application"

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
                "access.context_processors.access",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "exchanges:my_meetings"

# Accounts (django-allauth): sign in by e-mail, verified before first use; rate limits stay on,
# and count in the shared cache (Redis in production) so that every web process sees them.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Sign-up asks for the consent to the privacy notice and records its version (issue 15).
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Multiply] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_SESSION_REMEMBER = None

# Languages of the portal and of its content (django-modeltranslation adds a column per language;
# English is the fallback for content that has no translation yet).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("pl", _("Polish")),
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
    ("de", _("German")),
    ("hu", _("Hungarian")),
    ("it", _("Italian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# The admin shows each translated field as one tab per language, with jQuery UI served from our
# own static files, never a CDN: the portal works on a closed network (static/vendor/jquery-ui/).
# django-modeltranslation 0.20 reads this name (without a MODELTRANSLATION_ prefix); the tabs'
# stylesheet is its own static file, so no other setting is needed.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
USE_I18N = True
# Dates in each language's own form, with the portal's own format names (multiply/formats/).
FORMAT_MODULE_PATH = ["multiply.formats"]
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# No MEDIA_URL is routed: every uploaded file is served by a view that checks who may see it.
MEDIA_URL = "/media/"
media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Files shared by every machine (issue 18): a worker renders a document that the web serves, and
# two machines have no disk in common. With a bucket named, every upload and document lives in
# S3 or any S3-compatible server (AWS_S3_ENDPOINT_URL); without one, in MEDIA_ROOT, which works
# only while every process shares that folder. The names are the ones django-storages documents.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # Unset: AWS itself; keys unset: boto3's own chain (an instance role, ~/.aws).
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            # "path" for servers that have no wildcard DNS for virtual-hosted buckets (MinIO).
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            # Private files reach a person only through the views that check who may see them:
            # no ACL is sent (objects stay private to the bucket's owner, and buckets with ACLs
            # disabled accept the upload), any URL the storage makes is signed, and a second
            # file of the same name gets a name of its own instead of replacing the first.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded materials and documents: 20 MB is plenty for slides and reports.
MAX_UPLOAD_SIZE = envint("MAX_UPLOAD_SIZE", 20 * 1024 * 1024)

# Mail: console on a developer's machine, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Benchmarks and special set-ups may choose another backend outright.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", EMAIL_BACKEND)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Multiply <noreply@multiply.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Only workers talk to the SMTP server (requests write outbox rows): a stalled server holds a
# worker's task this long, not forever.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
# The right-hand side of every Message-ID: the portal's own host, not the worker's hostname.
MESSAGE_ID_DOMAIN = os.environ.get("MESSAGE_ID_DOMAIN") or (
    urlsplit(SITE_URL).hostname or "multiply.example"
)

# Celery: with no broker configured, tasks run eagerly in the web process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    # Celery would otherwise reach for an AMQP server on localhost; eager tasks need no broker.
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Work kept apart by queue (issue 18): e-mail on one, documents on another, the periodic
# housekeeping on the default, so that a batch of PDF renders never delays an invitation. A
# worker started without -Q consumes all three (make worker); in production each queue has
# workers of its own (README, "Running on several machines").
MAIL_QUEUE, DOCUMENTS_QUEUE, DEFAULT_QUEUE = "mail", "documents", "celery"
CELERY_TASK_DEFAULT_QUEUE = DEFAULT_QUEUE
# Each queue its own exchange and routing key, as Celery makes the queues it creates itself.
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name)
    for name in (DEFAULT_QUEUE, MAIL_QUEUE, DOCUMENTS_QUEUE)
]
CELERY_TASK_ROUTES = {
    "notifications.*": {"queue": MAIL_QUEUE},
    "reports.*": {"queue": DOCUMENTS_QUEUE},
}
# Time limits, in seconds, per kind of task. The soft limit raises inside the task, which
# records what it finished and hands the rest back (the outbox; a document is marked failed);
# the hard one kills the process. Both stay far below the broker's visibility timeout.
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 180)
DOCUMENT_SOFT_TIME_LIMIT = envint("DOCUMENT_SOFT_TIME_LIMIT", 600)
CELERY_TASK_ANNOTATIONS = {
    # A batch of at most 200 messages over one SMTP connection (EMAIL_TIMEOUT each at worst).
    "notifications.send_messages": {
        "soft_time_limit": CELERY_TASK_SOFT_TIME_LIMIT,
        "time_limit": CELERY_TASK_TIME_LIMIT,
    },
    # A plan of 1,000 meetings renders in well under a minute (make bench); ten is a ceiling.
    "reports.render_document": {
        "soft_time_limit": DOCUMENT_SOFT_TIME_LIMIT,
        "time_limit": DOCUMENT_SOFT_TIME_LIMIT + 60,
    },
    # The sweepers find rows left behind and enqueue them again: a minute is plenty.
    **{
        name: {"soft_time_limit": 60, "time_limit": 90}
        for name in ("notifications.sweep_outbox", "reports.sweep_documents")
    },
    # Everything else (reminders, campaigns, retention) has the defaults above.
}
CELERY_TIMEZONE = TIME_ZONE
# Redis re-delivers an unacknowledged task after this long; tasks are kept far shorter.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A request that enqueues must not hang when Redis is down: fail fast, the sweeper catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CELERY_BEAT_SCHEDULE = {
    "expire-seat-offers": {"task": "exchanges.expire_offers", "schedule": 300.0},
    "sweep-outbox": {"task": "notifications.sweep_outbox", "schedule": 60.0},
    "send-reminders": {"task": "exchanges.send_reminders", "schedule": 3600.0},
    "send-feedback-requests": {"task": "exchanges.send_feedback_requests", "schedule": 3600.0},
    "sweep-documents": {"task": "reports.sweep_documents", "schedule": 300.0},
    "send-due-campaigns": {"task": "campaigns.send_due", "schedule": 60.0},
    "apply-retention": {"task": "privacy.apply_retention", "schedule": 24 * 3600.0},
}
# A queued message whose Celery task has not run after this long was lost with the broker; a
# message claimed for this long belonged to a worker that died. Both are sent again.
OUTBOX_QUEUED_GRACE = envint("OUTBOX_QUEUED_GRACE", 120)
OUTBOX_SENDING_TIMEOUT = envint("OUTBOX_SENDING_TIMEOUT", 300)
# The first retry after a temporary SMTP error waits this long; each further one twice as long
# (capped at an hour). Only the integration tests shorten it.
OUTBOX_RETRY_BASE_SECONDS = envint("OUTBOX_RETRY_BASE_SECONDS", 30)
# A temporary refusal is tried again until this long after the first one (a day), then failed.
OUTBOX_GIVE_UP_AFTER = envint("OUTBOX_GIVE_UP_AFTER", 24 * 3600)
# A batch the database interrupted for longer than a reconnection is tried again this soon.
OUTBOX_DB_RETRY_SECONDS = envint("OUTBOX_DB_RETRY_SECONDS", 10)


# The API (issue 16; api/): Django REST framework, as pretix and pretalx build theirs, with
# drf-spectacular for the OpenAPI 3 schema at /api/schema/ and Swagger UI at /api/docs/ from
# drf-spectacular-sidecar's files (no CDN). No authentication is global: the public part takes
# none, the coordinator part its tokens, each on its own views; a view that names none lets
# nobody in. Anonymous requests are counted in the shared cache (skipped while Redis is away,
# multiply/cache.py); API_ANON_RATE is "<number>/<second|minute|hour|day>".
def envrate(name: str, default: str) -> str:
    value = os.environ.get(name) or default
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 120/min, not {value!r}")
    return value


API_ANON_RATE = envrate("API_ANON_RATE", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PublicPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
    # Behind the production proxy the client is the last address it adds to X-Forwarded-For;
    # on a developer's machine there is no proxy and the header is not believed.
    "NUM_PROXIES": envint("API_NUM_PROXIES", 0 if DEBUG else 1),
    # Errors are DRF's, rendered by the one JSON renderer: {"detail": ...} or, for a refused
    # value, the reasons by parameter.
    "EXCEPTION_HANDLER": "rest_framework.views.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Multiply API",
    "DESCRIPTION": (
        "The portal's open data: programmes, national networks and their cities, themes, "
        "target groups, meetings, calls for applications and public documents, as the public "
        "pages show them, in the language asked for (`lang` or Accept-Language; English for "
        "what is not translated). Lists are paginated (`page`, `page_size` up to 100). A "
        "parameter an address does not read, or a value it cannot read, is a 400 with the "
        "reason; anonymous requests are rate-limited (429). The coordinator part needs a "
        "personal token, made on the profile page."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, whichever serializer (public or coordinator) shows it.
    "ENUM_NAME_OVERRIDES": {
        "MeetingKindEnum": "exchanges.models.MeetingKind",
        "MeetingStatusEnum": "exchanges.models.MeetingStatus",
        "MeetingFormatEnum": "exchanges.models.MeetingFormat",
        "RegistrationStatusEnum": "exchanges.models.RegistrationStatus",
    },
    # No badge from validator.swagger.io: the docs page loads nothing from elsewhere.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# One account's forms (registering, applying, cancelling) may cause this many e-mails an hour;
# the next is refused with the time to wait. Campaigns are sent by coordinators and not counted.
MAIL_LIMIT_PER_ACCOUNT = envint("MAIL_LIMIT_PER_ACCOUNT", 20)
MAIL_LIMIT_WINDOW = envint("MAIL_LIMIT_WINDOW", 3600)

# Retention (issue 15, item 4; privacy.retention, run daily by beat): an account whose e-mail
# address was never confirmed is removed after this many days; the body of a message sent (or
# failed) this many days ago is removed, its envelope kept.
UNVERIFIED_ACCOUNT_DAYS = envint("UNVERIFIED_ACCOUNT_DAYS", 30)
MESSAGE_BODY_RETENTION_DAYS = envint("MESSAGE_BODY_RETENTION_DAYS", 365)

# A cache shared by every web process in production (rate limits, sessions stay in the database).
# While Redis is away it keeps nothing: the calendar is served uncached and allauth's rate limits
# are skipped (multiply/cache.py). A Redis that does not answer costs a request one second, at
# most once in five.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "multiply.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every step of every render at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

PAGINATE_BY = 20

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

"""Settings for PIL Tracker, read from the environment (see `.env.example`)."""

from __future__ import annotations

import datetime
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from pil_tracker.env import (
    env_bool,
    env_database,
    env_header,
    env_int,
    env_list,
    env_proxy_ssl_header,
    env_redis_url,
    env_secret_key,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PIL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Unset: a key generated once into the var folder (file mode 0600), so every manage.py command works
# on a fresh clone; production sets it (docker compose requires it). Set but empty stops the start.
SECRET_KEY = env_secret_key("SECRET_KEY", VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "agencies",
    "storage",
    "submissions",
    "cases",
    "deadlines",
    "notifications",
    "feedback",
    "litigation",
    "typical_cases",
    "supervision",
    "interference",
    "referrals",
    "meetings",
    "inspections",
    "assistance",
    "api",
    "dashboard",
    "reports",
    "demo",
    "axes",
    # TOTP two-factor login for supervisors and administrators (accounts.twofactor).
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise (static files keep their long cache): CSP, Permissions-Policy, no-store.
    "pil_tracker.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the TOTP step (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Before anything reads the body (the CSRF check in process_view): 413 on a declared
    # Content-Length above REQUEST_MAX_BYTES, after the language and the user are known (the page).
    "pil_tracker.request_limit.RequestSizeLimitMiddleware",
    # Records exports and file downloads in the security log (accounts.security_log).
    "accounts.security_log.DownloadLogMiddleware",
    "accounts.security_log.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A signed-in user who owes the TOTP step reaches nothing but that step (accounts.twofactor).
    "accounts.twofactor.TwoFactorMiddleware",
    # After messages and the TOTP step: a user whose password an administrator reset must choose a new one first.
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: refuses a locked-out login (accounts.views.login_locked_out).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pil_tracker.urls"
WSGI_APPLICATION = "pil_tracker.wsgi.application"

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
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Database: SQLite under var/ is the embedded default for a first run; production and CI use
# PostgreSQL through DATABASE_URL.
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'pil_tracker.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Serialise writers instead of failing with "database is locked" when the web process and the
    # worker write at the same moment.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    # A first `manage.py migrate` on a fresh clone must not fail because var/ does not exist yet.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("DATABASE_JIT", False):
    # PostgreSQL's JIT compiles any plan estimated above jit_above_cost; for the dashboard's
    # aggregates over a year of rows the compiling costs more than it saves (bench/dashboard.py:
    # 6.8 s with it, 4.2 s without, at 1,000,000 cases). DATABASE_JIT=1 leaves the server's setting.
    # (Behind PgBouncer, add "options" to its ignore_startup_parameters or set DATABASE_JIT=1.)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Login attempts are rate-limited by django-axes (failures kept in the database, so the count is
# shared by every web worker without Redis).
AUTHENTICATION_BACKENDS = ["accounts.backends.RateLimitedLogin", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
# Attempts refused during a lock or a slow-down are not failures: the wait runs from the last real one.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
# Behind reverse proxies: how many (the client's address is the count-th entry from the right of
# the header, each proxy appending the address it saw); 0 reads REMOTE_ADDR, the direct peer.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
CLIENT_ADDRESS_HEADER = env_header("CLIENT_ADDRESS_HEADER", "X-Forwarded-For")
# Per username from any address: slowed down (429 + Retry-After), never locked (accounts/lockout.py).
LOGIN_USERNAME_SLOWDOWN_AFTER = env_int("LOGIN_USERNAME_SLOWDOWN_AFTER", 10)
LOGIN_SLOWDOWN_SECONDS = env_int("LOGIN_SLOWDOWN_SECONDS", 30)
LOGIN_SLOWDOWN_MAX_SECONDS = env_int("LOGIN_SLOWDOWN_MAX_SECONDS", 900)
if TRUSTED_PROXY_COUNT < 0 or LOGIN_USERNAME_SLOWDOWN_AFTER < 1 or LOGIN_SLOWDOWN_SECONDS < 1:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT must be 0 or more, LOGIN_USERNAME_SLOWDOWN_AFTER and LOGIN_SLOWDOWN_SECONDS positive."
    )
# TOTP (django-otp): the issuer shown in the authenticator app; a wrong code doubles the wait
# before the next try (1 s, 2 s, 4 s, …), as failed logins slow a username down.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "PIL Tracker")
OTP_TOTP_THROTTLE_FACTOR = 1
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
FEEDBACK_MAX_FILES = env_int("FEEDBACK_MAX_FILES", 20)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's rule with a message its Chinese catalog lacks (accounts/validators.py).
    {"NAME": "accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Chinese by default, English kept complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files: front-end libraries come from npm (package-lock.json) into node_modules at install
# time and are served from there; nothing third-party is committed and nothing loads from a CDN.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules" / "tom-select" / "dist"),
]
# Whitenoise serves STATIC_ROOT (collectstatic; production) and, when this is on, the source folders
# through the finders: with DEBUG, and for `make run` (scripts/run.py sets it: DEBUG off, no copy).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": env_str("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")},
}

# Uploaded files live outside the web root and are only ever served by a permission-checked view.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = None
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest request body accepted at all, refused (413) from its Content-Length before it is read
# (pil_tracker.request_limit): one file at the limit and the rest of its form. The reverse proxy's
# limit (nginx client_max_body_size) should be the same (docs/operations.md).
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", UPLOAD_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE)
if REQUEST_MAX_BYTES < UPLOAD_MAX_BYTES or UPLOAD_MAX_BYTES < 1:
    raise ImproperlyConfigured("UPLOAD_MAX_BYTES must be positive and REQUEST_MAX_BYTES at least UPLOAD_MAX_BYTES.")

# Redis: broker and cache when REDIS_URL is set; otherwise kombu's filesystem transport under var/
# so that the embedded default needs no server.
REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    # On disk under var/, so the worker's precomputed dashboards reach the web process.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": VAR_DIR / "cache"}
    }
    CELERY_BROKER_URL = "filesystem://"
    _queue_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        # Broadcast (worker control) messages; kombu's default is ./control in the working folder.
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{_queue_dir / 'results'}"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Two queues, so that the deadline scan and notification delivery (the `default` queue) never wait
# behind a report build or a dashboard warming (the `bulk` queue). A worker started without -Q
# consumes both (the embedded default's single worker, the tests); a deployment runs one worker per
# queue (`celery worker -Q default`, `celery worker -Q bulk`), see docs/scaling.md.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = (Queue("default"), Queue("bulk"))
CELERY_TASK_ROUTES = {
    "reports.tasks.build_report": {"queue": "bulk"},
    "dashboard.tasks.warm_dashboards": {"queue": "bulk"},
    "dashboard.tasks.warm_dashboard": {"queue": "bulk"},
    "dashboard.tasks.aggregate_dashboard": {"queue": "bulk"},
}

# Email
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "pil-tracker@localhost")

SESSION_COOKIE_HTTPONLY = True
# A session ends after SESSION_IDLE_MINUTES without a request (default a working day): a request
# pushes its expiry forward, written at most once a minute (accounts.security_log.SessionIdleMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 8 * 60) * 60
if SESSION_COOKIE_AGE < 60:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES must be positive.")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
X_FRAME_OPTIONS = "DENY"
# HTTPS (README, Production): all off by default so `make run` works on plain HTTP; production
# behind an HTTPS reverse proxy turns them on. SECURE_PROXY_SSL_HEADER names the header the proxy
# sets (`X-Forwarded-Proto`, or `Header=value`); only set it when the proxy always overwrites it.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe may come over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
# Submitting a domain to the browsers' HSTS preload list is the domain owner's decision, not the
# application's; check --deploy should not insist on it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

PAGE_SIZE = env_int("PAGE_SIZE", 25)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Deadlines (deadlines app, docs/domain.md, Deadlines). The periods themselves are data (admin: 期限规则); these
# are the alert levels of the scan. Reminders N days before the due date, escalation after E days
# overdue; the scan runs every DEADLINE_SCAN_MINUTES and once when a worker starts.
try:
    DEADLINE_REMINDER_DAYS = tuple(int(n) for n in env_list("DEADLINE_REMINDER_DAYS", ["7", "3", "1"]))
except ValueError:
    raise ImproperlyConfigured("DEADLINE_REMINDER_DAYS must be a comma-separated list of days, e.g. 7,3,1.") from None
DEADLINE_ESCALATION_DAYS = env_int("DEADLINE_ESCALATION_DAYS", 15)
DEADLINE_SCAN_MINUTES = env_int("DEADLINE_SCAN_MINUTES", 15)
if DEADLINE_ESCALATION_DAYS < 1 or DEADLINE_SCAN_MINUTES < 1 or any(n < 1 for n in DEADLINE_REMINDER_DAYS):
    raise ImproperlyConfigured(
        "DEADLINE_REMINDER_DAYS, DEADLINE_ESCALATION_DAYS and DEADLINE_SCAN_MINUTES must be positive."
    )
CELERY_BEAT_SCHEDULE = {
    "scan-deadlines": {
        "task": "deadlines.tasks.scan_deadlines",
        "schedule": DEADLINE_SCAN_MINUTES * 60,
        "options": {"expires": DEADLINE_SCAN_MINUTES * 60},
    },
}

# The worker heartbeat read by /healthz (pil_tracker.health).
CELERY_BEAT_SCHEDULE |= {
    "heartbeat": {"task": "pil_tracker.heartbeat", "schedule": 60.0, "options": {"expires": 60}},
}

# Notifications (notifications app): email delivery is swept every 5 minutes so a broker outage at
# commit time never loses a mail; agency staff get one digest a day (docs/domain.md, Deadlines, issue 3).
NOTIFICATIONS_AGENCY_DIGEST = env_bool("NOTIFICATIONS_AGENCY_DIGEST", True)
NOTIFICATIONS_EMAIL_MAX_ATTEMPTS = env_int("NOTIFICATIONS_EMAIL_MAX_ATTEMPTS", 50)
SITE_URL = env_str("SITE_URL", "")  # put in front of internal links in emails
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
CELERY_BEAT_SCHEDULE |= {
    "notifications-deliver-pending": {
        "task": "notifications.tasks.deliver_pending_notifications",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    "notifications-agency-digests": {
        "task": "notifications.tasks.send_agency_digests",
        "schedule": crontab(hour=8, minute=0),  # CELERY_TIMEZONE is Asia/Shanghai
    },
}

# Dashboard (dashboard app, issue 7): a computed dashboard is kept DASHBOARD_CACHE_MINUTES (0: never
# kept, always computed); beat recomputes every procuratorate's default view every
# DASHBOARD_WARM_MINUTES so supervisors land on a ready page (dashboard/snapshots.py).
DASHBOARD_CACHE_MINUTES = env_int("DASHBOARD_CACHE_MINUTES", 15)
DASHBOARD_WARM_MINUTES = env_int("DASHBOARD_WARM_MINUTES", 10)
if DASHBOARD_CACHE_MINUTES < 0 or DASHBOARD_WARM_MINUTES < 1:
    raise ImproperlyConfigured("DASHBOARD_CACHE_MINUTES must be 0 or more and DASHBOARD_WARM_MINUTES positive.")
# The dashboard's pre-aggregated counts (dashboard/aggregates.py) are rebuilt every
# DASHBOARD_AGGREGATE_MINUTES (0: never; the dashboard then computes every view live).
DASHBOARD_AGGREGATE_MINUTES = env_int("DASHBOARD_AGGREGATE_MINUTES", 10)
if DASHBOARD_AGGREGATE_MINUTES < 0:
    raise ImproperlyConfigured("DASHBOARD_AGGREGATE_MINUTES must be 0 or more.")
if DASHBOARD_AGGREGATE_MINUTES:
    CELERY_BEAT_SCHEDULE |= {
        "dashboard-aggregate": {
            "task": "dashboard.tasks.aggregate_dashboard",
            "schedule": DASHBOARD_AGGREGATE_MINUTES * 60,
            "options": {"expires": DASHBOARD_AGGREGATE_MINUTES * 60},
        },
    }
if DASHBOARD_CACHE_MINUTES:
    CELERY_BEAT_SCHEDULE |= {
        "dashboard-warm": {
            "task": "dashboard.tasks.warm_dashboards",
            "schedule": DASHBOARD_WARM_MINUTES * 60,
            "options": {"expires": DASHBOARD_WARM_MINUTES * 60},
        },
    }

# REST API (api app, issue 6): DRF under /api/v1/, the OpenAPI schema by drf-spectacular, its
# Swagger UI served from drf-spectacular-sidecar's static files (no CDN).
# Session (the browser, with CSRF) and token authentication; everything needs a login; errors are
# JSON with a stable `code` (api.errors); lists are paged (API_PAGE_SIZE, ?page_size= up to
# API_MAX_PAGE_SIZE).
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request then answers 401 with `WWW-Authenticate: Token`.
        "api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend", "api.filters.Ordering"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATE_INPUT_FORMATS": ["iso-8601"],
}
# An API token expires this many days after it was issued (accounts.tokens).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
if API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be positive.")
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 25)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 100)
if not 1 <= API_PAGE_SIZE <= API_MAX_PAGE_SIZE:
    raise ImproperlyConfigured("API_PAGE_SIZE must be between 1 and API_MAX_PAGE_SIZE.")
SPECTACULAR_SETTINGS = {
    "TITLE": "PIL Tracker API",
    "DESCRIPTION": (
        "检察公益诉讼案件管理接口 / Public-interest litigation case tracking. "
        "Get a token with POST /api/v1/auth/token/ and send `Authorization: Token <key>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One name per choice set: several models have a `status` or `kind`.
    "ENUM_NAME_OVERRIDES": {
        "LeadStatusEnum": "cases.models.Lead.Status",
        "CaseStatusEnum": "cases.models.Case.Status",
        "ClosureGroundEnum": "cases.models.Case.ClosureGround",
        "RecommendationStatusEnum": "cases.models.Recommendation.Status",
        "InvestigationKindEnum": "cases.models.Investigation.Kind",
        "FeedbackStatusEnum": "feedback.models.FeedbackReport.Status",
        "FeedbackKindEnum": "feedback.models.FeedbackReport.Kind",
        "AnswerStatusEnum": "feedback.models.ItemAnswer.Status",
        "DeadlineStatusEnum": "deadlines.models.Deadline.Status",
        "NotificationKindEnum": "notifications.models.Notification.Kind",
        "OrganisationKindEnum": "agencies.models.Organisation.Kind",
        "EvaluationEnum": "cases.models.RecommendationItem.Evaluation",
        "LawsuitStatusEnum": "litigation.models.Lawsuit.Status",
        "RulingKindEnum": "litigation.models.Ruling.Kind",
        "RulingOutcomeEnum": "litigation.models.Ruling.Outcome",
        "CongressRequestKindEnum": "typical_cases.models.CongressRequest.Kind",
        "SupervisionActionKindEnum": "supervision.models.SupervisionAction.Kind",
        "AppearanceEnum": "litigation.models.Hearing.Appearance",
        "ProposalStatusEnum": "feedback.models.CompletionDateProposal.Status",
        "LawsuitProposalStatusEnum": "litigation.models.LawsuitProposal.Status",
        "MaterialEnum": "litigation.models.Material",
        "ReferralStatusEnum": "referrals.models.Referral.Status",
        "ReferralDirectionEnum": "referrals.models.Referral.Direction",
        "ReferralConcernEnum": "referrals.models.Referral.Concern",
        "ReferralOutcomeEnum": "referrals.models.Referral.Outcome",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "MeetingDecisionStatusEnum": "meetings.models.Decision.Status",
        "InspectionKindEnum": "inspections.models.Inspection.Kind",
        "InspectionStatusEnum": "inspections.models.Inspection.Status",
        "AssistanceKindEnum": "assistance.models.AssistanceRequest.Kind",
        "AssistanceStatusEnum": "assistance.models.AssistanceRequest.Status",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Reports (reports app, issue 7): generated report files, kept outside the web root and served
# only through a permission-checked view.
# A job's builder gets REPORTS_TIME_LIMIT seconds (Celery soft limit; the hard limit is a minute
# more); a job still queued after REPORTS_QUEUE_TIMEOUT_MINUTES, or still running after the hard
# limit, is failed by the sweep, so the job page never polls forever. The congress report lists at
# most REPORTS_TYPICAL_CASES typical cases. Jobs and their files are deleted REPORTS_KEEP_DAYS after
# they were requested (0 keeps them).
REPORTS_TIME_LIMIT = env_int("REPORTS_TIME_LIMIT", 600)
REPORTS_QUEUE_TIMEOUT_MINUTES = env_int("REPORTS_QUEUE_TIMEOUT_MINUTES", 60)
REPORTS_TYPICAL_CASES = env_int("REPORTS_TYPICAL_CASES", 5)
REPORTS_KEEP_DAYS = env_int("REPORTS_KEEP_DAYS", 30)
# Submitting once (submissions app, issue 14): a create form's one-time token is kept
# SUBMISSION_TOKEN_DAYS (a resubmission after that creates again); an API Idempotency-Key is
# honoured for API_IDEMPOTENCY_HOURS. Beat purges older ones daily (also `manage.py purge_submissions`).
SUBMISSION_TOKEN_DAYS = env_int("SUBMISSION_TOKEN_DAYS", 30)
API_IDEMPOTENCY_HOURS = env_int("API_IDEMPOTENCY_HOURS", 24)
if SUBMISSION_TOKEN_DAYS < 1 or API_IDEMPOTENCY_HOURS < 1:
    raise ImproperlyConfigured("SUBMISSION_TOKEN_DAYS and API_IDEMPOTENCY_HOURS must be positive.")
CELERY_BEAT_SCHEDULE |= {
    "submissions-purge": {
        "task": "submissions.tasks.purge_submissions",
        "schedule": crontab(hour=3, minute=30),
    },
}

CELERY_BEAT_SCHEDULE |= {
    "reports-sweep-stale-jobs": {
        "task": "reports.tasks.sweep_report_jobs",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
}

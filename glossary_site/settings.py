"""Settings for the glossary site: one module, configured from the environment.

Every variable is listed in `.env.example`. A `.env` file at the repository root
(or the file ENV_FILE names) is read when present; the real environment wins over it.
The defaults are safe for a laptop: DEBUG is off, the database is a SQLite file under
`var/`, the cache is local memory. Importing this module writes nothing.
`ENVIRONMENT=production` turns on HTTPS-only cookies, HSTS and the SSL
redirect, and refuses to start without a real SECRET_KEY.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()
BASE_DIR = Path(__file__).resolve().parent.parent
# Only variables the real environment does not set are taken from the file; a missing file is no error.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
# Known to everyone, so never accepted in production (below); `make run` and `make dev` write a real key into .env.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-this-key-in-production"


def local_secret_key() -> str:
    """Return the key an earlier release kept in var/secret_key, else the development-only key."""
    # Read, never written: installs that have the file keep their sessions.
    path = VAR_DIR / "secret_key"
    return path.read_text().strip() if path.exists() else DEVELOPMENT_SECRET_KEY


ENVIRONMENTS = ("local", "production")
ENVIRONMENT = env.str("ENVIRONMENT", default="local")
# A misspelt "Production" or "prod" must not quietly run a live site with local settings.
if ENVIRONMENT not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"ENVIRONMENT={ENVIRONMENT!r} is not known: set it to {' or '.join(map(repr, ENVIRONMENTS))}."
    )
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure-") or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "ENVIRONMENT=production needs a real SECRET_KEY: at least 50 random characters. "
        'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
SECRET_KEY = SECRET_KEY or local_secret_key()

# The site's public address, e.g. https://glossary.example.org: canonical links are built from it,
# never from the request's Host header, which a client chooses (and a cached page would keep).
SITE_URL = env.str("SITE_URL", default="")
if PRODUCTION and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "ENVIRONMENT=production needs SITE_URL, the site's public https address, e.g. https://glossary.example.org"
    )
SITE_URL = (SITE_URL or f"http://{env.str('HOST', default='127.0.0.1')}:{env.int('PORT', default=8000)}").rstrip("/")
if not re.fullmatch(r"https?://[^/?#\s]+", SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL must be a scheme and a host, e.g. https://glossary.example.org, not {SITE_URL!r}"
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Where the admin lives, e.g. "editorial/" to keep it off the well-known path.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
# A deploy's version, so pages cached in a shared cache never outlive the release they link to.
RELEASE = env.str("RELEASE", default="")

INSTALLED_APPS = [
    # Django's admin with the workspace's home page and header (terms/admin_site.py).
    "terms.apps.GlossaryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Its sitemap templates: terms/sitemaps.py.
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "csp",
    "taggit",
    "markdownx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "terms",
]
# Benchmarks, the audit and generated data are developers' tools: a live site does not install them.
if not PRODUCTION:
    INSTALLED_APPS.append("tooling")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above the page cache, so cached API answers get their CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    # Answers cached reader pages (with the headers the rest of the stack added) before it runs.
    "terms.caching.PageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "glossary_site.urls"
WSGI_APPLICATION = "glossary_site.wsgi.application"

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
                "terms.context_processors.navigation",
            ],
        },
    },
]

# Widgets render with the project's templates, so templates/markdownx/widget.html replaces markdownx's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default="sqlite:///" + env.str("SQLITE_PATH", default=str(VAR_DIR / "db.sqlite3")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and a writer work at once, as they do under several app-server workers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
# Reuse connections across requests: opening one costs more than most of our pages.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://glossary")}
# How long reader pages stay in the page cache; 0 turns the page cache off.
# Any publish or unpublish makes every cached page obsolete at once.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)

# How many days after a publish a term is due for review again (its "review by" date), unless one later is set.
REVIEW_INTERVAL_DAYS = env.str("REVIEW_INTERVAL_DAYS", default="365")
if not re.fullmatch(r"[1-9][0-9]{0,4}", REVIEW_INTERVAL_DAYS.strip()):
    raise ImproperlyConfigured(
        f"REVIEW_INTERVAL_DAYS must be a whole number of days from 1 to 99999, e.g. 365, not {REVIEW_INTERVAL_DAYS!r}"
    )
REVIEW_INTERVAL_DAYS = int(REVIEW_INTERVAL_DAYS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default="") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# favicon.ico and the touch icon, served at the site root (robots.txt is a view: it names the sitemap).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Images editors upload (terms/images.py). The site serves them itself at MEDIA_URL + "images/<name>"
# (terms.views.image), from whichever storage holds them, so a bucket can stay private.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# "filesystem" (under MEDIA_ROOT) or "s3": any S3-compatible bucket, through django-storages.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            # Unset: AWS itself; set for another S3-compatible service, e.g. https://s3.eu-central-003.example.com
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # Unset: boto3 finds credentials itself (an instance role, ~/.aws).
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            # Readers get images from the site, never from the bucket: nothing in it is public.
            "default_acl": None,
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE={MEDIA_STORAGE!r} is not known: set it to 'filesystem' or 's3'.")
# Django's defaults, stated because uploads depend on them: form fields hold at most 2.5 MB, and a file
# over 2.5 MB waits in a temporary file. An image upload over 5 MB is refused before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Notification emails. EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587; by default
# they are printed to the console, so `make run` shows them.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Glossary <glossary@localhost>")
# dumpdata writes the revisions of deleted terms too (see terms/serializers.py).
SERIALIZATION_MODULES = {"json": "terms.serializers"}

# Tags: "LLM" and "llm" are one tag.
TAGGIT_CASE_INSENSITIVE = True
# Commas alone separate tags: "Generative AI" is one tag, not two.
TAGGIT_TAGS_FROM_STRING = "terms.tagging.tags_from_string"
TAGGIT_STRING_FROM_TAGS = "terms.tagging.string_from_tags"

# markdownx's own endpoints are not mounted (glossary_site/urls.py replaces them); should one
# ever be, it still renders through the publishing pipeline.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "terms.rendering.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"

# Security headers and cookies. HTTPS-only settings follow ENVIRONMENT=production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
# Load balancers check health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: everything comes from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = {
    feature: [] for feature in ("accelerometer", "camera", "geolocation", "gyroscope", "microphone", "payment", "usb")
}

# The read API under /api/ (terms/api.py, docs/api.md): anonymous, read-only, JSON only (DRF's
# browsable API needs inline scripts). API_THROTTLE_RATE: requests one client address may make, e.g. "1000/hour".
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_THROTTLE_RATE", default="1000/hour")},
    # The client's address is the proxy's last X-Forwarded-For entry behind one, else the socket's:
    # a client cannot escape its limit by sending a made-up X-Forwarded-For.
    "NUM_PROXIES": 1 if env.bool("BEHIND_HTTPS_PROXY", default=False) else 0,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Glossary API",
    "DESCRIPTION": "The published glossary, read-only: terms, their sections as HTML and markdown, and tags.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files, started by a script file rather than inline (our CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No calls to swagger.io's validator, and no "Try it out" for methods the API refuses.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None, "supportedSubmitMethods": ["get", "head"]},
    # The schema names SITE_URL as the API's server, and its enums as drf-spectacular does by default.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "terms.api.name_the_server"],
}
# Any site may read the API and the exports from a browser: GET, HEAD and OPTIONS, never with credentials.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api|export)/"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-modified-since", "if-none-match")
CORS_EXPOSE_HEADERS = ("ETag", "Retry-After")
CORS_ALLOW_CREDENTIALS = False

# Admin login throttling: five failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "filters": {"one_line_client_errors": {"()": "glossary_site.log_filters.OneLineClientErrors"}},
    # An expected refusal (a 403, or django.security's 400 for a host outside ALLOWED_HOSTS) is one line;
    # server errors (5xx) keep their traceback. On the handler, so it sees every logger's records.
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["one_line_client_errors"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

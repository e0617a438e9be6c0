"""Settings for one SCIM package, chosen by ACCURACY_PACKAGE; the rest from ACCURACY_* too."""

import os

PACKAGE = os.environ["ACCURACY_PACKAGE"]  # "django-scim2" or "django-scim2-server"
PORT = os.environ["ACCURACY_PORT"]
MOUNT = os.environ["ACCURACY_MOUNT"].strip("/") + "/"  # e.g. "a/b/scim/v2/"
TOKEN = os.environ["ACCURACY_TOKEN"]

DEBUG = False
SECRET_KEY = "accuracy-corpus-only"  # loopback server for one benchmark run
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "djangosite.urls"
USE_TZ = True
# The checker runs 4 workers against a threaded server: SQLite waits for its lock instead of
# answering "database is locked" (a 500 that is the glue's, not the package's).
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["ACCURACY_DB"],
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
MIDDLEWARE = ["djangosite.auth.BearerTokenMiddleware"]
LOGGING = {"version": 1, "disable_existing_loggers": True}

if PACKAGE == "django-scim2":
    # django-scim2 needs models carrying its SCIM mixins (its README's set-up).
    INSTALLED_APPS += ["django_scim", "djangosite"]
    AUTH_USER_MODEL = "djangosite.User"
    MIDDLEWARE += ["django_scim.middleware.SCIMAuthCheckMiddleware"]
    SCIM_SERVICE_PROVIDER = {
        "SCHEME": "http",
        "NETLOC": f"127.0.0.1:{PORT}",
        "GROUP_MODEL": "djangosite.models.Group",
        "AUTHENTICATION_SCHEMES": [
            {
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "Authentication scheme using the OAuth Bearer Token Standard",
            }
        ],
    }
else:
    INSTALLED_APPS += ["django_scim2_server"]

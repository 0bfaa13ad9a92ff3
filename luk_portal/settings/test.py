"""Test settings: the base settings, with fast hashing, plain static files and private files in a temp folder.

DATABASE_URL and REDIS_URL still choose PostgreSQL and Redis, so CI runs the suite on the real stack.
"""

import tempfile

from .base import *  # noqa: F403
from .base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="luk-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests call services in-process; the worker tests start a real Celery worker themselves.
CELERY_TASK_ALWAYS_EAGER = True
AXES_ENABLED = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

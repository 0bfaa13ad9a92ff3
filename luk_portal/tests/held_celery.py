"""The portal's Celery app for worker tests, with each report held for LUK_TEST_HOLD seconds while running.

Started by the worker tests as `celery -A luk_portal.tests.held_celery worker`, so that a job is still
running when the test kills the worker or its time limit runs out.
"""

import os
import time

import django

django.setup()

from luk_portal.celery import app  # noqa: E402
from reporting import documents  # noqa: E402

_gather = documents.gather


def _held_gather(*args, **kwargs):
    time.sleep(float(os.environ.get("LUK_TEST_HOLD", "0")))
    return _gather(*args, **kwargs)


documents.gather = _held_gather

__all__ = ["app"]

"""Report jobs on the real stack: a Celery worker process on Redis and PostgreSQL (run under CI; skipped
elsewhere without them). A report is made and holds its figures; a worker killed mid-job and started again
still finishes the job; a job past its time limit fails with a reason and can be asked for again."""

from __future__ import annotations

import io
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.tests.conftest import reference_data_put_back  # noqa: F401 (fixture)
from reporting.models import ReportJob

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data_put_back", "refdata"),
]

State, Reason = ReportJob.State, ReportJob.Reason
HELD = "luk_portal.tests.held_celery"  # the same app, each report held while running (LUK_TEST_HOLD seconds)


def wait_for(job: ReportJob, *states: str, seconds: float = 90) -> ReportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in states:
            return job
        time.sleep(0.2)
    pytest.fail(f"job {job.pk} still {job.state} after {seconds} s, not {states}")


def ask(client, user, kind, target) -> ReportJob:
    client.force_login(user)
    client.cookies["luk_language"] = "en"
    response = client.post(reverse("reporting:ask"), {"kind": kind, "target": target, "language": "nb"})
    assert response.status_code == 302, response
    return ReportJob.objects.order_by("-pk").first()


def text_of(client, job: ReportJob) -> str:
    response = client.get(reverse("reporting:job_file", args=[job.pk]))
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    return " ".join(page.extract_text() for page in pages).replace("\xa0", " ").replace("\u202f", " ")


def test_a_worker_makes_a_county_report_with_its_figures(client, project, officer, celery_workers):
    celery_workers()
    job = wait_for(ask(client, officer, "county", project.county_id), State.DONE, State.FAILED)
    assert job.state == State.DONE, job.get_failure_reason_display()
    text = text_of(client, job)
    assert project.county.name in text and project.title in text
    assert "250 000" in text  # the project's grant
    assert (job.attempts, job.progress) == (1, 100)


def test_a_worker_killed_mid_job_and_started_again_still_finishes_it(client, project, officer, celery_workers):
    # A lost message is delivered again after 3 s; the new worker looks for lost messages every second.
    recovery = {"CELERY_VISIBILITY_TIMEOUT": "3", "CELERY_RESTORE_INTERVAL": "1", "CELERY_RESTORE_THROTTLE": "1"}
    first = celery_workers(HELD, LUK_TEST_HOLD="60", **recovery)
    job = wait_for(ask(client, officer, "county", project.county_id), State.RUNNING)
    first.kill()
    celery_workers(**recovery)
    job = wait_for(job, State.DONE, State.FAILED)
    assert job.state == State.DONE, job.get_failure_reason_display()
    assert job.attempts == 2
    assert [event.reason for event in job.events.all()] == [
        Reason.ASKED,
        Reason.STARTED,
        Reason.RESTARTED,
        Reason.FINISHED,
    ]
    assert project.title in text_of(client, job)


def test_a_job_past_its_time_limit_fails_with_a_reason_and_can_be_asked_for_again(
    client, project, officer, celery_workers, settings
):
    settings.REPORT_TIME_LIMIT = 2
    celery_workers(HELD, LUK_TEST_HOLD="60")
    job = wait_for(ask(client, officer, "county", project.county_id), State.DONE, State.FAILED, seconds=60)
    assert (job.state, job.failure_reason) == (State.FAILED, Reason.TIMEOUT)
    page = client.get(reverse("reporting:job", args=[job.pk])).content.decode()
    assert "took too long" in page and "Ask again" in page
    again = ask(client, officer, "county", project.county_id)
    assert again.pk != job.pk and again.state in (State.QUEUED, State.RUNNING, State.FAILED)

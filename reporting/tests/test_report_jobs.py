"""Report jobs in-process: asking, serving the finished file again, access, failures with reasons, the
expiry of jobs that can no longer finish, and a broker that cannot be reached."""

from __future__ import annotations

import datetime
import io

import pytest
import weasyprint
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.models import CaseEvent
from luk_portal import jobs
from luk_portal.errors import InvalidTransition, LukError
from programmes.selectors import programme_current
from reporting import services
from reporting.models import ReportJob

pytestmark = pytest.mark.django_db

State, Reason = ReportJob.State, ReportJob.Reason


def ask(client, user, kind, target=None, language="en", **extra):
    client.force_login(user)
    client.cookies["luk_language"] = "en"  # the pages in English, as a person who chose it sees them
    data = {"kind": kind, "language": language, **extra}
    if target is not None:
        data["target"] = target
    return client.post(reverse("reporting:ask"), data)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def failing_render(monkeypatch, error):
    """WeasyPrint's rendering raises `error` (a Celery soft time limit arrives during it, or a bug): the job
    runs for real up to there."""

    def render(*args, **kwargs):
        raise error

    monkeypatch.setattr(weasyprint.HTML, "render", render)


def download(client, job) -> bytes:
    response = client.get(reverse("reporting:job_file", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def test_a_project_report_is_made_and_opens_as_a_pdf(client, project, coordinator_a):
    response = ask(client, coordinator_a, "project", project.pk)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reporting:job", args=[job.pk])
    assert (job.state, job.progress, job.requested_by, job.language) == (State.DONE, 100, coordinator_a, "en")
    assert job.pages and job.gather_ms is not None and job.render_ms is not None
    assert project.title in pdf_text(download(client, job))
    page = client.get(reverse("reporting:job", args=[job.pk])).content.decode()
    assert reverse("reporting:job_file", args=[job.pk]) in page
    assert 'hx-trigger="every 1s"' not in page  # finished: no more polling
    assert [(e.from_state, e.to_state, e.reason) for e in job.events.all()] == [
        ("", State.QUEUED, Reason.ASKED),
        (State.QUEUED, State.RUNNING, Reason.STARTED),
        (State.RUNNING, State.DONE, Reason.FINISHED),
    ]


def test_asking_again_over_unchanged_data_serves_the_finished_file_at_once(
    client, project, coordinator_a, coordinator_b, monkeypatch
):
    ask(client, coordinator_a, "project", project.pk)
    first = ReportJob.objects.get()

    failing_render(monkeypatch, AssertionError("the report was made again"))
    ask(client, coordinator_b, "project", project.pk)  # the partner kommune's coordinator
    again = ReportJob.objects.exclude(pk=first.pk).get()
    assert (again.state, again.reused_from, again.file.name) == (State.DONE, first, first.file.name)
    assert again.requested_by == coordinator_b
    assert again.events.get().reason == Reason.REUSED
    assert download(client, again) == first.file.open("rb").read()


def test_another_language_or_changed_data_makes_the_report_anew(client, project, coordinator_a, officer):
    ask(client, coordinator_a, "project", project.pk)
    ask(client, coordinator_a, "project", project.pk, language="nb")
    assert ReportJob.objects.filter(reused_from__isnull=True).count() == 2
    # A change to the case (a timeline entry, as every service writes) makes the data differ.
    CaseEvent.objects.create(project=project, actor=officer, at=timezone.now(), action="comment", comment="Ny")
    ask(client, coordinator_a, "project", project.pk)
    newest = ReportJob.objects.first()
    assert newest.reused_from is None and newest.language == "en" and newest.state == State.DONE


def test_a_report_being_made_is_not_made_twice(project, coordinator_a, monkeypatch):
    monkeypatch.setattr(jobs, "send", lambda *task, **options: None)  # the worker has not taken it yet
    programme = programme_current()
    first = services.report_request(
        user=coordinator_a, kind="project", programme=programme, project=project, language="nn"
    )
    second = services.report_request(
        user=coordinator_a, kind="project", programme=programme, project=project, language="nn"
    )
    assert first == second and first.state == State.QUEUED


def test_the_page_polls_while_the_job_runs(client, project, coordinator_a, monkeypatch):
    monkeypatch.setattr(jobs, "send", lambda *task, **options: None)
    ask(client, coordinator_a, "project", project.pk)
    job = ReportJob.objects.get()
    url = reverse("reporting:job", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="0"' in page
    ReportJob.objects.filter(pk=job.pk).update(state=State.RUNNING, progress=40)
    response = client.get(url, headers={"HX-Request": "true"})
    part = response.content.decode()
    assert part.lstrip().startswith('<div id="job-status"') and "<html" not in part
    assert 'aria-valuenow="40"' in part and "40 % done" in part
    assert 'data-progress="40"' in part and "style=" not in part  # the width is set by portal.js, not inline
    assert response.headers["Cache-Control"] == "private, no-store"  # an htmx fragment is private too


@pytest.mark.parametrize(
    ("person", "kind", "target", "expected"),
    [
        ("coordinator_a", "county", "nt", 404),
        ("coordinator_a", "national", None, 403),
        ("coordinator_other_county", "project", "project", 404),
        ("officer_other_county", "project", "project", 404),
        ("officer_other_county", "county", "nt", 404),
        ("officer", "county", "nt", 302),
        ("officer", "national", None, 403),
        ("decider", "project", "project", 302),
        ("ministry", "county", "nt", 302),
        ("ministry", "national", None, 302),
        ("ministry", "project", "project", 302),
        ("nobody", "project", "project", 404),
    ],
)
def test_only_those_who_may_see_the_data_may_ask(client, request, project, person, kind, target, expected):
    user = request.getfixturevalue(person)
    target_id = {"nt": project.county_id, "project": project.pk, None: None}[target]
    response = ask(client, user, kind, target_id)
    assert response.status_code == expected
    assert ReportJob.objects.count() == (1 if expected == 302 else 0)


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("officer", 200),
        ("decider", 200),
        ("ministry", 200),
        ("coordinator_a", 404),
        ("officer_other_county", 404),
        ("coordinator_other_county", 404),
        ("nobody", 404),
    ],
)
def test_a_county_report_is_seen_and_downloaded_only_by_those_who_may_see_the_county(
    client, request, project, officer, person, expected
):
    ask(client, officer, "county", project.county_id)
    job = ReportJob.objects.get()
    assert job.state == State.DONE
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("reporting:job", args=[job.pk])).status_code == expected
    assert client.get(reverse("reporting:job_file", args=[job.pk])).status_code == expected
    listed = client.get(reverse("reporting:jobs")).content.decode()
    assert reverse("reporting:job", args=[job.pk]) not in listed or person == "officer"


def test_a_failed_job_tells_why_and_can_be_asked_for_again(client, project, coordinator_a, monkeypatch):
    failing_render(monkeypatch, SoftTimeLimitExceeded())
    ask(client, coordinator_a, "project", project.pk)
    job = ReportJob.objects.get()
    assert (job.state, job.failure_reason) == (State.FAILED, Reason.TIMEOUT)
    page = client.get(reverse("reporting:job", args=[job.pk])).content.decode()
    assert "took too long" in page and "Ask again" in page
    monkeypatch.undo()
    ask(client, coordinator_a, "project", project.pk)
    assert ReportJob.objects.first().state == State.DONE


def test_an_error_while_making_fails_the_job_with_a_reason_and_is_logged(
    client, project, coordinator_a, monkeypatch, caplog
):
    failing_render(monkeypatch, ValueError("a bug"))
    ask(client, coordinator_a, "project", project.pk)
    job = ReportJob.objects.get()
    assert (job.state, job.failure_reason) == (State.FAILED, Reason.ERROR)
    assert "a bug" in caplog.text
    assert client.get(reverse("reporting:job_file", args=[job.pk])).status_code == 404


def test_a_job_cannot_stay_running_or_queued_for_ever(project, coordinator_a, settings, monkeypatch):
    monkeypatch.setattr(jobs, "send", lambda *task, **options: None)
    programme = programme_current()
    running = services.report_request(
        user=coordinator_a, kind="project", programme=programme, project=project, language="nn"
    )
    queued = services.report_request(
        user=coordinator_a, kind="project", programme=programme, project=project, language="nb"
    )
    services.job_step(running, Reason.STARTED, started_at=timezone.now())
    limit = settings.REPORT_TIME_LIMIT + settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + 60
    assert services.report_jobs_expire(now=timezone.now() + datetime.timedelta(seconds=limit - 5)) == 0
    later = timezone.now() + datetime.timedelta(seconds=max(limit, settings.REPORT_QUEUE_LIMIT) + 5)
    assert services.report_jobs_expire(now=later) == 2
    running.refresh_from_db()
    queued.refresh_from_db()
    assert (running.state, running.failure_reason) == (State.FAILED, Reason.TIMEOUT)
    assert (queued.state, queued.failure_reason) == (State.FAILED, Reason.NOT_STARTED)
    # A late delivery of the message does nothing to a failed job.
    assert services.report_make(job_id=running.pk).state == State.FAILED
    again = services.report_request(
        user=coordinator_a, kind="project", programme=programme, project=project, language="nn"
    )
    assert again.pk not in (running.pk, queued.pk) and again.state == State.QUEUED


def test_a_finished_job_never_moves_again(project, coordinator_a):
    programme = programme_current()
    job = services.report_request(
        user=coordinator_a, kind="project", programme=programme, project=project, language="nn"
    )
    assert job.state == State.DONE
    with pytest.raises(InvalidTransition):
        services.job_step(job, Reason.RESTARTED)
    assert services.report_make(job_id=job.pk).state == State.DONE
    assert job.events.count() == 3


def test_with_the_broker_down_asking_gives_a_clear_message_and_no_page_breaks(
    client, project, coordinator_a, unreachable_broker
):
    client.force_login(coordinator_a)
    client.cookies["luk_language"] = "en"
    page = reverse("applications:project_detail", args=[project.pk])
    response = ask(client, coordinator_a, "project", project.pk, next=page)
    assert response.status_code == 302 and response["Location"] == page
    shown = client.get(page)
    assert shown.status_code == 200
    assert "The report service cannot be reached just now" in shown.content.decode()
    job = ReportJob.objects.get()
    assert (job.state, job.failure_reason) == (State.FAILED, Reason.UNAVAILABLE)
    assert client.get(reverse("reporting:job", args=[job.pk])).status_code == 200
    assert client.get(reverse("reporting:jobs")).status_code == 200


def test_the_service_refuses_what_the_view_would_not_offer(project, coordinator_other_county):
    with pytest.raises(LukError):
        services.report_request(
            user=coordinator_other_county,
            kind="project",
            programme=programme_current(),
            project=project,
            language="nn",
        )


def test_bad_input_gets_a_message_not_an_error(client, coordinator_a, project):
    client.cookies["luk_language"] = "en"
    for data in ({"kind": "nonsense"}, {"kind": "project", "target": "x"}, {"kind": "project", "language": "xx"}):
        client.force_login(coordinator_a)
        response = client.post(reverse("reporting:ask"), data)
        assert response.status_code in (302, 404)
    assert ReportJob.objects.count() == 0


def test_each_page_offers_its_own_report(client, project, ministry, officer, coordinator_a):
    client.force_login(ministry)
    national = client.get(reverse("reporting:national")).content.decode()
    assert 'name="kind" value="national"' in national and 'id="report-county"' not in national
    jobs = client.get(reverse("reporting:jobs")).content.decode()
    assert 'name="kind" value="national"' in jobs and 'id="report-county"' in jobs
    client.force_login(officer)
    county = client.get(reverse("reporting:county", args=[project.county_id])).content.decode()
    assert 'name="kind" value="county"' in county and f'name="target" value="{project.county_id}"' in county
    jobs = client.get(reverse("reporting:jobs")).content.decode()
    assert 'name="kind" value="national"' not in jobs
    client.force_login(coordinator_a)
    page = client.get(reverse("applications:project_detail", args=[project.pk])).content.decode()
    assert 'name="kind" value="project"' in page and f'name="target" value="{project.pk}"' in page
    jobs = client.get(reverse("reporting:jobs")).content.decode()
    assert 'name="kind" value="county"' not in jobs and 'name="kind" value="national"' not in jobs

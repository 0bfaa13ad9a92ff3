"""Exports of lists longer than EXPORT_SYNC_LIMIT: not streamed in the request, but made as a job (in-process
here, as the embedded default runs Celery), with progress and a timeline, holding the same rows as the list's own
download, made with the asker's access rules, and seen by the asker alone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.tests import lists_data as data
from conftest import Role, county, person
from reporting import services
from reporting.models import ReportJob

pytestmark = pytest.mark.django_db

State, Reason = ReportJob.State, ReportJob.Reason
LIST_URLS = {
    "applications": "applications:list",
    "projects": "applications:project_list",
    "payments": "applications:payment_register",
    "reports": "applications:report_list",
}


def english(client, user):
    client.force_login(user)
    client.cookies["luk_language"] = "en"
    return client


def ask(client, list_name="applications", file_format="csv", query=""):
    return client.post(
        reverse("reporting:export_ask"), {"list_name": list_name, "file_format": file_format, "query": query}
    )


def job_file(client, job):
    return client.get(reverse("reporting:export_file", args=[job.pk]))


def read(response, file_format):
    return data.csv_rows(response) if file_format == "csv" else data.xlsx_rows(response)


def sync_rows(client, settings, list_name, file_format, query):
    """The rows of the list's own download with the same filters, as when the list is short enough."""
    saved, settings.EXPORT_SYNC_LIMIT = settings.EXPORT_SYNC_LIMIT, 1_000_000
    try:
        response = client.get(f"{reverse(LIST_URLS[list_name])}?{query}&format={file_format}")
        assert response.status_code == 200
        return read(response, file_format)
    finally:
        settings.EXPORT_SYNC_LIMIT = saved


@pytest.fixture
def small_limit(settings):
    settings.EXPORT_SYNC_LIMIT = 5
    return settings


@pytest.fixture
def cases(coordinator_a, coordinator_other_county):
    """30 applications from Steinkjer (Nord-Trøndelag) and 2 from Ålesund (Møre og Romsdal)."""
    steinkjer = data.applications(
        30, by=coordinator_a, municipality=data.steinkjer(), funding_round=data.round_for("17")
    )
    data.applications(
        2,
        by=coordinator_other_county,
        municipality=data.alesund(),
        funding_round=data.round_for("15"),
        prefix="Ålesund",
    )
    return steinkjer


@pytest.fixture
def nt_projects(coordinator_a, officer, decider):
    """Seven projects in Steinkjer, each with a draft report, and seven payments asked for on the first."""
    made = data.projects(
        7,
        coordinator=coordinator_a,
        officer=officer,
        decider=decider,
        municipality=data.steinkjer(),
        funding_round=data.round_for("17"),
    )
    data.draft_reports(made[1:], coordinator=coordinator_a)
    data.payments(made[0], 7, coordinator=coordinator_a)
    return made


# Over the limit: no stream, but a button that makes a job


def test_a_download_over_the_limit_is_not_streamed_but_sends_back_to_the_list(client, small_limit, cases, officer):
    english(client, officer)
    response = client.get(reverse("applications:list"), {"status": "submitted", "sorter": "-amount", "format": "csv"})
    assert response.status_code == 302
    assert response.url == reverse("applications:list") + "?status=submitted&sorter=-amount"
    assert not hasattr(response, "streaming_content")
    assert "30 rows, too many to download at once" in str(next(iter(get_messages(response.wsgi_request))))
    assert not ReportJob.objects.exists()


def test_the_list_over_the_limit_offers_to_make_the_file_in_the_background(client, small_limit, cases, officer):
    english(client, officer)
    html = client.get(reverse("applications:list"), {"status": "submitted"}).content.decode()
    assert f'action="{reverse("reporting:export_ask")}"' in html and 'name="csrfmiddlewaretoken"' in html
    assert 'name="list_name" value="applications"' in html and 'name="query" value="status=submitted"' in html
    assert "Make CSV file" in html and "Make Excel file (XLSX)" in html
    assert "The list has 30 rows, too many to download at once" in html
    assert "format=csv" not in html  # no download link that would only send the person back


def test_under_the_limit_the_list_keeps_its_download_links(client, cases, officer, settings):
    settings.EXPORT_SYNC_LIMIT = 30
    english(client, officer)
    html = client.get(reverse("applications:list")).content.decode()
    assert "format=csv" in html and reverse("reporting:export_ask") not in html
    assert client.get(reverse("applications:list"), {"format": "csv"}).status_code == 200


# The job


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_job_makes_the_file_of_the_lists_own_rows(client, small_limit, cases, officer, file_format):
    english(client, officer)
    query = "status=submitted&sorter=-amount"
    response = ask(client, "applications", file_format, query)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("reporting:job", args=[job.pk])
    assert (job.kind, job.state, job.progress, job.rows) == (ReportJob.Kind.EXPORT, State.DONE, 100, 30)
    assert (job.list_name, job.query, job.file_format, job.language) == ("applications", query, file_format, "en")
    assert [(e.from_state, e.to_state, e.reason, e.by) for e in job.events.all()] == [
        ("", State.QUEUED, Reason.ASKED, officer),
        (State.QUEUED, State.RUNNING, Reason.STARTED, None),
        (State.RUNNING, State.DONE, Reason.FINISHED, None),
    ]
    download = job_file(client, job)
    assert download.status_code == 200
    expected_type = "text/csv; charset=utf-8" if file_format == "csv" else data_xlsx_type()
    assert download["Content-Type"] == expected_type
    assert download["Cache-Control"] == "private, no-store"
    assert re.fullmatch(
        rf'attachment; filename="LUK-soknader-\d{{4}}-\d{{2}}-\d{{2}}\.{file_format}"', download["Content-Disposition"]
    )
    rows = read(download, file_format)
    assert len(rows) == 31 and rows[0][:2] == ["Case number", "Title"]
    assert rows == sync_rows(client, small_limit, "applications", file_format, query)


def data_xlsx_type():
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("list_name", ["projects", "payments", "reports"])
def test_the_other_lists_export_as_jobs_with_their_own_rows(client, small_limit, nt_projects, officer, list_name):
    english(client, officer)
    for file_format in ("csv", "xlsx"):
        ask(client, list_name, file_format, "sorter=-title" if list_name == "projects" else "")
        job = ReportJob.objects.filter(list_name=list_name, file_format=file_format).get()
        assert job.state == State.DONE and job.rows == 7
        rows = read(job_file(client, job), file_format)
        assert len(rows) == 8
        assert rows == sync_rows(client, small_limit, list_name, file_format, job.query)


def test_progress_is_written_while_the_file_is_made(client, small_limit, cases, officer):
    english(client, officer)
    with CaptureQueriesContext(connection) as queries:
        ask(client)
    # Each progress write is an UPDATE of the job's progress alone, as the page that polls reads it.
    written = [re.search(r'SET "progress" = (\d+)', query["sql"]) for query in queries.captured_queries]
    seen = [int(found.group(1)) for found in written if found]
    assert len(seen) >= 10 and seen == sorted(seen) and seen[0] > 5 and seen[-1] < 100
    job = ReportJob.objects.get()
    assert job.progress == 100


def test_the_job_page_shows_the_list_the_format_the_rows_and_the_download(client, small_limit, cases, officer):
    english(client, officer)
    ask(client, "applications", "xlsx", "status=submitted")
    job = ReportJob.objects.get()
    html = client.get(reverse("reporting:job", args=[job.pk])).content.decode()
    assert "Export of a list" in html and "Excel (XLSX)" in html and "30 rows" in html
    assert f'href="{reverse("applications:list")}?status=submitted"' in html
    assert f'href="{reverse("reporting:export_file", args=[job.pk])}"' in html
    assert 'aria-valuenow="100"' in html
    jobs = client.get(reverse("reporting:jobs")).content.decode()
    assert f'href="{reverse("reporting:job", args=[job.pk])}"' in jobs and "Applications (Excel (XLSX))" in jobs


def test_a_failed_export_says_why_and_leads_back_to_the_list(client, small_limit, cases, officer, monkeypatch):
    from reporting import exports

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "xlsx_write", broken)
    english(client, officer)
    ask(client, "applications", "xlsx", "q=x")
    job = ReportJob.objects.get()
    assert (job.state, job.failure_reason) == (State.FAILED, Reason.ERROR)
    assert job_file(client, job).status_code == 404
    html = client.get(reverse("reporting:job", args=[job.pk])).content.decode()
    assert f'href="{reverse("applications:list")}?q=x"' in html


def test_making_a_finished_export_again_changes_nothing(client, small_limit, cases, officer):
    english(client, officer)
    ask(client)
    job = ReportJob.objects.get()
    name, events = job.file.name, job.events.count()
    assert services.export_make(job_id=job.pk).file.name == name
    assert job.events.count() == events


# Access: the asker's rows, and the asker's eyes only


def test_the_job_and_its_file_are_the_askers_alone(client, small_limit, cases, officer, ministry):
    english(client, officer)
    ask(client)
    job = ReportJob.objects.get()
    colleague = person("officer2.nt", Role.CASE_OFFICER, county("17"))  # the same role in the same county
    for user in (colleague, ministry):
        client.force_login(user)
        assert client.get(reverse("reporting:job", args=[job.pk])).status_code == 404
        assert job_file(client, job).status_code == 404
        assert (
            f'href="{reverse("reporting:job", args=[job.pk])}"'
            not in client.get(reverse("reporting:jobs")).content.decode()
        )
    client.force_login(officer)
    assert job_file(client, job).status_code == 200


def test_a_county_officers_export_holds_only_the_countys_rows(
    client, small_limit, cases, officer, ministry, officer_other_county
):
    english(client, officer)
    ask(client, query=f"county={county('15').pk}")  # asking for another county widens nothing
    kommunar = data.column(read(job_file(client, ReportJob.objects.get()), "csv"), "Kommune")
    assert set(kommunar) == {"Steinkjer"} and len(kommunar) == 30
    english(client, ministry)
    ask(client)
    job = ReportJob.objects.get(requested_by=ministry)
    assert (
        set(data.column(read(job_file(client, job), "csv"), "Kommune")) == {"Steinkjer", "Ålesund"} and job.rows == 32
    )
    english(client, officer_other_county)
    ask(client, file_format="xlsx")
    job = ReportJob.objects.get(requested_by=officer_other_county)
    assert set(data.column(read(job_file(client, job), "xlsx"), "Kommune")) == {"Ålesund"} and job.rows == 2


# Bad input


def test_a_bad_list_is_404_and_a_bad_format_or_filter_a_message(client, small_limit, cases, officer):
    english(client, officer)
    assert ask(client, list_name="nope").status_code == 404
    response = ask(client, file_format="pdf")
    assert response.status_code == 302 and response.url == reverse("applications:list")
    assert "could not be asked for" in str(next(iter(get_messages(response.wsgi_request))))
    response = ask(client, query="q=" + "x" * 2000)
    assert response.status_code == 302 and response.url == reverse("applications:list")
    assert not ReportJob.objects.exists()


def test_asking_wants_post_and_a_login(client, cases, officer):
    response = client.post(reverse("reporting:export_ask"), {"list_name": "applications", "file_format": "csv"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(officer)
    assert client.get(reverse("reporting:export_ask")).status_code == 405
    assert not ReportJob.objects.exists()


def test_a_report_job_is_never_served_as_an_export(client, ministry):
    from programmes.selectors import programme_current

    client.force_login(ministry)
    job = ReportJob.objects.create(
        kind=ReportJob.Kind.NATIONAL,
        programme=programme_current(),
        language="en",
        requested_by=ministry,
        state=State.DONE,
        file="reports/x.pdf",
    )
    assert job_file(client, job).status_code == 404


def test_an_export_is_never_served_as_a_pdf_report(client, small_limit, cases, officer):
    english(client, officer)
    ask(client)
    job = ReportJob.objects.get()
    assert client.get(reverse("reporting:job_file", args=[job.pk])).status_code == 404
    assert job_file(client, job).status_code == 200


def test_a_file_is_kept_for_its_days_then_deleted(client, small_limit, cases, officer, settings):
    english(client, officer)
    ask(client)
    job = ReportJob.objects.get()
    name, storage = job.file.name, job.file.storage
    services.report_jobs_expire(now=job.finished_at + timedelta(days=settings.EXPORT_KEEP_DAYS - 1))
    assert storage.exists(name) and job_file(client, job).status_code == 200
    services.report_jobs_expire(now=job.finished_at + timedelta(days=settings.EXPORT_KEEP_DAYS, seconds=1))
    job.refresh_from_db()
    assert not job.file and not storage.exists(name) and job.state == ReportJob.State.DONE
    assert job_file(client, job).status_code == 404
    page = client.get(reverse("reporting:job", args=[job.pk])).content.decode()
    assert f"files of lists are kept for {settings.EXPORT_KEEP_DAYS} days" in page

"""Input that can neither lose data nor cost the server: truncated and tampered lists, amounts in other
digits, texts beyond their limit, report dues far off, and repeated or junk posts of "new report"."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from applications import services
from applications.models import BudgetLine, Milestone, Partner, ProgressReport
from applications.tests import factories
from applications.tests.factories import english
from conftest import kommune
from luk_portal import limits
from luk_portal.errors import LukError
from luk_portal.forms import KronerField, StrictBooleanField

# The application edit page and its two lists


def application_post(application, *, budget, partners, budget_management=None, partner_management=None, **fields):
    """What the edit page posts: the form as saved, and the two lists with the rows given.

    A row is a dict of the row's fields; a saved row has "id". The management forms count the rows given and
    the saved ones among them, unless overridden.
    """
    application.refresh_from_db()
    data = {
        "title": application.title,
        "summary": application.summary,
        "background": application.background,
        "goals": application.goals,
        "activities": application.activities,
        "period_start": application.period_start.isoformat(),
        "period_end": application.period_end.isoformat(),
        "themes": [theme.pk for theme in application.themes.all()],
        "result_goals": [goal.pk for goal in application.result_goals.all()],
        "partner_municipalities": [m.pk for m in application.partner_municipalities.all()],
        "requested_amount": str(application.requested_amount),
        "own_contribution": str(application.own_contribution),
        "other_public": str(application.other_public),
        "private": str(application.private),
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "contact_phone": application.contact_phone,
        "save": "1",
    }
    for prefix, rows, management in (
        ("budget", budget, budget_management),
        ("partners", partners, partner_management),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(sum(1 for row in rows if "id" in row))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        data.update({f"{prefix}-{key}": value for key, value in (management or {}).items()})
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    data.update(fields)
    return data


def line_row(line: BudgetLine, **changes) -> dict:
    return {"id": line.pk, "category": line.category, "description": line.description, "amount": str(line.amount)}


def partner_row(partner: Partner) -> dict:
    return {"id": partner.pk, "name": partner.name, "kind": partner.kind}


@pytest.fixture
def two_lines(draft, coordinator_a):
    """The complete draft with a second budget line and its one partner."""
    services.application_save_draft(
        application=draft,
        by=coordinator_a,
        fields={},
        budget_lines=[{"category": "events", "description": "Verkstader", "amount": 50_000}],
    )
    return draft


def rows_of(application):
    lines = [(line.pk, line.description, line.amount) for line in application.budget_lines.order_by("pk")]
    partners = [(partner.pk, partner.name) for partner in application.partners.order_by("pk")]
    return lines, partners


def test_a_truncated_post_changes_the_rows_it_names_and_keeps_the_others(client, two_lines, coordinator_a):
    first, second = two_lines.budget_lines.order_by("pk")
    partner = two_lines.partners.get()
    changed = {**line_row(first), "amount": "360 000"}

    response = english(client, coordinator_a).post(
        reverse("applications:edit", args=[two_lines.pk]), application_post(two_lines, budget=[changed], partners=[])
    )

    assert response.status_code == 302
    lines, partners = rows_of(two_lines)
    assert lines == [(first.pk, "Prosjektleiar", 360_000), (second.pk, "Verkstader", 50_000)]
    assert partners == [(partner.pk, partner.name)]


def test_saving_a_draft_keeps_each_rows_id_and_adds_history_only_for_what_changed(client, two_lines, coordinator_a):
    first, second = two_lines.budget_lines.order_by("pk")
    partner = two_lines.partners.get()
    history_before = (first.history.count(), second.history.count())
    rows = [
        {**line_row(first), "amount": "360 000"},
        line_row(second),
        {"category": "travel", "description": "Reise", "amount": "1 000"},
    ]

    english(client, coordinator_a).post(
        reverse("applications:edit", args=[two_lines.pk]),
        application_post(two_lines, budget=rows, partners=[partner_row(partner)]),
    )

    lines, partners = rows_of(two_lines)
    assert [pk for pk, _name, _amount in lines][:2] == [first.pk, second.pk]
    assert lines[2][1:] == ("Reise", 1_000)
    assert partners == [(partner.pk, partner.name)]
    history_after = (first.history.count(), second.history.count())
    assert history_after == (history_before[0] + 1, history_before[1])


def test_a_row_is_deleted_only_when_the_form_asks_for_it(client, two_lines, coordinator_a):
    first, second = two_lines.budget_lines.order_by("pk")
    partner = two_lines.partners.get()

    english(client, coordinator_a).post(
        reverse("applications:edit", args=[two_lines.pk]),
        application_post(
            two_lines, budget=[line_row(first), {**line_row(second), "DELETE": "on"}], partners=[partner_row(partner)]
        ),
    )

    lines, partners = rows_of(two_lines)
    assert [pk for pk, _name, _amount in lines] == [first.pk]
    assert partners == [(partner.pk, partner.name)]


@pytest.mark.parametrize(
    ("management", "message"),
    [
        ({"TOTAL_FORMS": "-1"}, "not sent whole"),
        ({"TOTAL_FORMS": "-5", "INITIAL_FORMS": "-5"}, "not sent whole"),
        ({"TOTAL_FORMS": "abc"}, "not sent whole"),
        ({"TOTAL_FORMS": ""}, "not sent whole"),
        ({"INITIAL_FORMS": "3"}, "not sent whole"),
        ({"TOTAL_FORMS": "1", "INITIAL_FORMS": "2"}, "not sent whole"),
        ({"TOTAL_FORMS": str(limits.ROWS + 1)}, f"at most {limits.ROWS} rows"),
        ({"TOTAL_FORMS": "100000"}, f"at most {limits.ROWS} rows"),
    ],
)
def test_a_tampered_list_is_refused_whole_with_a_message_and_nothing_saved_is_lost(
    client, two_lines, coordinator_a, management, message
):
    before = rows_of(two_lines)
    first, second = two_lines.budget_lines.order_by("pk")
    data = application_post(
        two_lines,
        budget=[line_row(first), line_row(second)],
        partners=[],
        budget_management=management,
        title="Ein ny tittel eg skreiv",
    )

    response = english(client, coordinator_a).post(reverse("applications:edit", args=[two_lines.pk]), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Ein ny tittel eg skreiv" in page  # what the user typed is shown again
    assert rows_of(two_lines) == before
    two_lines.refresh_from_db()
    assert two_lines.title != "Ein ny tittel eg skreiv"
    # The list is shown as saved, with a management form that counts the saved rows.
    assert 'name="budget-INITIAL_FORMS" value="2"' in page
    assert 'value="Verkstader"' in page


def test_a_new_row_that_carries_an_id_is_refused(client, two_lines, coordinator_a):
    first, second = two_lines.budget_lines.order_by("pk")
    before = rows_of(two_lines)
    data = application_post(
        two_lines, budget=[line_row(first), line_row(second)], partners=[], budget_management={"INITIAL_FORMS": "1"}
    )

    response = english(client, coordinator_a).post(reverse("applications:edit", args=[two_lines.pk]), data)

    assert "not sent whole" in response.content.decode()
    assert rows_of(two_lines) == before


def test_an_inflated_total_is_refused_before_any_form_is_built(client, two_lines, coordinator_a):
    first, second = two_lines.budget_lines.order_by("pk")
    data = application_post(
        two_lines, budget=[line_row(first), line_row(second)], partners=[], budget_management={"TOTAL_FORMS": "100000"}
    )

    response = english(client, coordinator_a).post(reverse("applications:edit", args=[two_lines.pk]), data)

    assert f"at most {limits.ROWS} rows" in response.content.decode()
    # Only the forms of the page shown again: the saved rows and the empty ones, never one per posted count.
    budget, partners = response.context["budget"], response.context["partners"]
    assert not budget.is_bound
    built = len(budget.forms) + len(partners.forms)
    assert built < 2 * (BudgetLine.objects.count() + Partner.objects.count() + 4)


def test_a_row_of_another_application_is_refused_and_changes_nothing(client, two_lines, coordinator_a, nt_round):
    other = factories.make_draft(by=coordinator_a, municipality=kommune("1702"), funding_round=nt_round)
    stranger = other.budget_lines.get()
    first = two_lines.budget_lines.order_by("pk").first()
    before = rows_of(two_lines), rows_of(other)
    data = application_post(two_lines, budget=[line_row(first), {**line_row(stranger), "amount": "1"}], partners=[])

    response = english(client, coordinator_a).post(reverse("applications:edit", args=[two_lines.pk]), data)

    assert response.status_code == 200
    assert "The list has changed since you opened it" in response.content.decode()
    assert (rows_of(two_lines), rows_of(other)) == before


def test_the_service_deletes_a_row_only_on_an_explicit_delete(two_lines, coordinator_a):
    first, second = two_lines.budget_lines.order_by("pk")

    services.application_save_draft(application=two_lines, by=coordinator_a, fields={}, budget_lines=[], partners=[])
    assert len(rows_of(two_lines)[0]) == 2

    services.application_save_draft(
        application=two_lines, by=coordinator_a, fields={}, budget_lines=[{"pk": second.pk, "delete": True}]
    )
    assert [pk for pk, _name, _amount in rows_of(two_lines)[0]] == [first.pk]


def test_the_service_refuses_a_row_that_is_not_the_applications(two_lines, coordinator_a, nt_round):
    other = factories.make_draft(by=coordinator_a, municipality=kommune("1702"), funding_round=nt_round)
    stranger = other.budget_lines.get()

    with pytest.raises(LukError):
        services.application_save_draft(
            application=two_lines,
            by=coordinator_a,
            fields={},
            budget_lines=[{"pk": stranger.pk, "category": "other", "description": "Tatt", "amount": 1}],
        )
    stranger.refresh_from_db()
    assert (stranger.application_id, stranger.amount) == (other.pk, 400_000)


# The project plan


def test_a_truncated_plan_post_keeps_the_milestones_it_does_not_name(client, approved, coordinator_a):
    project = factories.project_of(approved)
    goal = project.application.result_goals.get()
    services.project_plan_save(
        project=project,
        by=coordinator_a,
        milestones=[
            {"name": "Stadanalyse", "due_date": project.period_start, "status": "planned"},
            {"name": "Folkemøte", "due_date": project.period_start, "status": "planned"},
        ],
        indicators=[{"result_goal": goal, "name": "Deltakarar", "unit": "personar", "baseline": 0, "target": 9}],
    )
    kept = list(project.milestones.order_by("pk").values_list("pk", "name"))
    first = Milestone.objects.get(pk=kept[0][0])
    data = {
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "1",
        "milestones-0-id": str(first.pk),
        "milestones-0-name": "Stadanalyse ferdig",
        "milestones-0-due_date": first.due_date.isoformat(),
        "milestones-0-status": "done",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
    }

    response = english(client, coordinator_a).post(reverse("applications:project_plan", args=[project.pk]), data)

    assert response.status_code == 302
    assert list(project.milestones.order_by("pk").values_list("pk", "name")) == [
        (kept[0][0], "Stadanalyse ferdig"),
        kept[1],
    ]
    assert project.indicators.count() == 1

    data["milestones-TOTAL_FORMS"] = "-3"
    response = english(client, coordinator_a).post(reverse("applications:project_plan", args=[project.pk]), data)
    assert response.status_code == 200
    assert "not sent whole" in response.content.decode()
    assert project.milestones.count() == 2


# Amounts


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("250000", 250_000),
        ("250 000", 250_000),
        ("250\u00a0000", 250_000),
        ("250\u202f000", 250_000),
        ("1.000.000", 1_000_000),
        ("250 000 kr", 250_000),
        ("250 000,-", 250_000),
        ("250 000,00", 250_000),
        (" 250 000 ", 250_000),
    ],
)
def test_an_amount_takes_ascii_digits_and_the_norwegian_separators(typed, amount):
    assert KronerField().clean(typed) == amount


@pytest.mark.parametrize(
    "typed",
    [
        "\uff12\uff15\uff10",  # full-width digits
        "\u0662\u0665\u0660",  # Arabic-Indic digits
        "\u06f2\u06f5\u06f0",  # extended Arabic-Indic (Persian) digits
        "\u0968\u096b\u0966",  # Devanagari digits
        "250\u2003000",  # an em space
        "250\t000",
        "250_000",
        "2.5e5",
        "+250000",
    ],
)
def test_an_amount_in_other_digits_or_separators_is_refused_with_a_message(typed):
    with pytest.raises(ValidationError) as refused:
        KronerField().clean(typed)
    assert "whole kroner" in refused.value.messages[0]


def test_an_amount_in_full_width_digits_is_shown_beside_the_field_on_the_page(client, two_lines, coordinator_a):
    first, second = two_lines.budget_lines.order_by("pk")
    data = application_post(
        two_lines, budget=[line_row(first), line_row(second)], partners=[], requested_amount="\uff13\uff10\uff10"
    )

    response = english(client, coordinator_a).post(reverse("applications:edit", args=[two_lines.pk]), data)

    assert response.status_code == 200
    assert "Write the amount in whole kroner" in response.content.decode()
    assert response.context["form"].errors["requested_amount"]


# Text limits


def test_every_long_text_of_the_cases_has_a_limit_the_model_checks():
    from django.apps import apps

    unlimited = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("applications").get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if field.get_internal_type() == "TextField" and not field.max_length
    ]
    assert unlimited == []


def test_a_summary_beyond_its_limit_is_refused_beside_the_field_and_the_rest_is_kept(client, two_lines, coordinator_a):
    first, second = two_lines.budget_lines.order_by("pk")
    saved_summary = two_lines.summary
    data = application_post(
        two_lines,
        budget=[line_row(first), line_row(second)],
        partners=[],
        summary="x" * 2_000_000,
        goals="Dei nye måla mine.",
    )

    response = english(client, coordinator_a).post(reverse("applications:edit", args=[two_lines.pk]), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value has at most 2000 characters (it has 2000000)." in page
    assert response.context["form"].errors["summary"]
    assert "Dei nye måla mine." in page
    two_lines.refresh_from_db()
    assert two_lines.summary == saved_summary


def test_the_service_refuses_a_text_beyond_its_limit(two_lines, coordinator_a):
    with pytest.raises(ValidationError) as refused:
        services.application_save_draft(
            application=two_lines, by=coordinator_a, fields={"background": "x" * (limits.SECTION + 1)}
        )
    assert "background" in refused.value.message_dict


def test_each_text_area_of_the_edit_page_says_its_limit_and_has_maxlength(client, two_lines, coordinator_a):
    response = english(client, coordinator_a).get(reverse("applications:edit", args=[two_lines.pk]))

    page = response.content.decode()
    assert page.count("<textarea") == 4
    assert page.count('maxlength="') >= 4
    assert f'maxlength="{limits.SUMMARY}"' in page
    assert "At most 2\u00a0000 characters." in page
    assert "At most 10\u00a0000 characters." in page


# The report schedule


def test_a_final_report_due_far_after_the_project_is_refused_beside_the_field(client, approved, officer):
    project = factories.project_of(approved)
    url = reverse("applications:project_schedule", args=[project.pk])

    response = english(client, officer).post(url, {"mode": "every", "every_months": "6", "final_due": "9999-12-31"})

    assert response.status_code == 200
    assert "The final report must be due by" in response.context["form"].errors["final_due"][0]
    project.refresh_from_db()
    assert project.final_report_due.year != 9999


def test_fixed_dates_outside_the_project_and_its_margin_are_named(approved, officer, settings):
    project = factories.project_of(approved)
    latest = services.latest_due_date(project)
    assert latest == project.period_end.replace(year=project.period_end.year + settings.REPORT_DUE_MARGIN_YEARS)
    early = project.period_start - datetime.timedelta(days=1)
    late = latest + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        services.schedule_set(
            project=project, by=officer, fixed_dates=[early, project.period_end, late], final_due=project.period_end
        )

    message = refused.value.message_dict["fixed_dates"][0]
    assert early.strftime("%d.%m.%Y") in message
    assert late.strftime("%d.%m.%Y") in message
    assert project.period_end.strftime("%d.%m.%Y") not in message.split(":")[0]

    services.schedule_set(project=project, by=officer, fixed_dates=[project.period_end], final_due=latest)
    assert project.deadlines.filter(final=True).get().due_on == latest


def test_the_margin_is_a_setting(approved, officer, settings):
    project = factories.project_of(approved)
    settings.REPORT_DUE_MARGIN_YEARS = 0
    with pytest.raises(ValidationError):
        services.schedule_set(
            project=project, by=officer, every_months=6, final_due=project.period_end + datetime.timedelta(days=1)
        )


# New reports


@pytest.fixture
def scheduled(approved, officer):
    project = factories.project_of(approved)
    services.schedule_set(project=project, by=officer, every_months=6, final_due=project.period_end)
    return project


@pytest.mark.parametrize("junk", ["2", "yes please", "ja", "True1", "[]"])
def test_a_new_report_with_a_junk_final_value_is_refused_and_makes_nothing(client, scheduled, coordinator_a, junk):
    response = english(client, coordinator_a).post(
        reverse("applications:report_new", args=[scheduled.pk]), {"final": junk}, follow=True
    )

    assert "Choose yes or no." in response.content.decode()
    assert scheduled.reports.count() == 0


def test_repeated_posts_of_a_new_progress_report_give_one_draft_for_the_deadline(client, scheduled, coordinator_a):
    client = english(client, coordinator_a)
    url = reverse("applications:report_new", args=[scheduled.pk])

    answers = [client.post(url, {"final": value}) for value in ("", "0", "false", "0")]

    report = scheduled.reports.get()
    assert {answer.url for answer in answers} == {reverse("applications:report_edit", args=[report.pk])}
    assert (report.final, report.status, report.deadline.due_on) == (
        False,
        ProgressReport.Status.DRAFT,
        scheduled.deadlines.filter(final=False).order_by("due_on").first().due_on,
    )
    assert scheduled.events.filter(action="report_created").count() == 1


def test_the_final_report_is_started_with_a_true_value(client, scheduled, coordinator_a):
    english(client, coordinator_a).post(reverse("applications:report_new", args=[scheduled.pk]), {"final": "1"})

    assert scheduled.reports.get().final is True


def test_the_database_holds_one_open_report_a_deadline(scheduled, coordinator_a):
    report = services.report_create(project=scheduled, by=coordinator_a)

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(project=scheduled, deadline=report.deadline, created_by=coordinator_a)


@pytest.mark.parametrize(
    ("sent", "value"),
    [
        (None, False),
        ("", False),
        ("0", False),
        ("false", False),
        ("off", False),
        ("1", True),
        ("true", True),
        ("on", True),
        ("TRUE", True),
    ],
)
def test_a_strict_boolean_reads_what_a_checkbox_or_button_sends(sent, value):
    field = StrictBooleanField()
    assert field.clean(field.widget.value_from_datadict({} if sent is None else {"x": sent}, {}, "x")) is value


def test_a_strict_boolean_refuses_anything_else():
    with pytest.raises(ValidationError):
        StrictBooleanField().clean("2")

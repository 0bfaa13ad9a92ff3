"""The national demo data: the whole country of 2010, LUK's five years, made in bulk but as the services would.

One seeding at scale 1 (a few seconds), shared by the tests of TestNationalData and rolled back after them,
carries most of the checks; determinism is checked on one county's rows made in memory and never written.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from applications.models import (
    Application,
    BudgetLine,
    CaseEvent,
    Decision,
    IndicatorValue,
    Payment,
    ProgressReport,
    Project,
    ReportCost,
)
from applications.services import application_create
from applications.workflow import APPLICATION_TRANSITIONS, PLAN_TRANSITIONS, REPORT_TRANSITIONS
from demo.national import demo_national, national_data_exists
from demo.national.applications import CountyCases
from demo.national.context import SAVE_ORDER, Context, Rows
from demo.national.texts import TITLES
from demo.seed import demo_seed
from programmes.models import County, CountyAccount, CountyFrame, FundingRound, Municipality, Programme
from programmes.selectors import structure_day
from programmes.services import frame_grant, round_open

pytestmark = pytest.mark.django_db

FIRST, LAST = datetime.date(2010, 1, 1), datetime.date(2014, 12, 31)


def national() -> Q:
    """The national rounds: those of 2010-2014 (the hand-made demo cases' round is open today)."""
    return Q(opens_at__year__lte=2014)


@pytest.fixture(scope="class")
def seeded_once(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The whole demo at scale 1 (people, the hand-made cases, the national data), once for the class.

    Made in a transaction that is rolled back after the class; each test runs in a savepoint within it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        demo_seed(scale=1, seed=2010)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db) -> Programme:
    return Programme.objects.get(slug="luk")


def title_pattern(pattern: str) -> re.Pattern:
    """A title made from `pattern`: any place, and perhaps a later phase or the year to tell it apart."""
    place = re.escape("{place}")
    return re.compile(re.escape(pattern).replace(place, ".+") + r"( – fase \d| \(\d{4}(, \d{4})?\))?$")


def pairs(table: dict) -> set[tuple[str, str]]:
    return {(source, transition.target) for transition in table.values() for source in transition.sources}


def fingerprint(rows: Rows) -> list[tuple]:
    return [
        (model.__name__, *(getattr(row, f.attname) for f in model._meta.concrete_fields))
        for model in SAVE_ORDER
        for row in rows.by_model.get(model, [])
    ]


def one_county(programme: Programme, *, seed: int) -> list[tuple]:
    """Nord-Trøndelag's rows, made in memory and not written."""
    context = Context.load(programme=programme, scale=1, seed=seed)
    county, municipalities, count = next(c for c in context.allocation() if c[0].number == "17")
    rows = Rows()
    CountyCases(context, rows, county, municipalities).make(count)
    return fingerprint(rows)


def test_the_same_seed_makes_the_same_data_and_another_seed_other_data():
    demo_seed(scale=2, cases=False)  # the people only, with staff in every county authority
    programme = Programme.objects.get(slug="luk")
    first = one_county(programme, seed=7)
    assert len(first) > 1000
    assert first == one_county(programme, seed=7)
    assert first != one_county(programme, seed=8)
    assert not national_data_exists(programme=programme)


def test_scale_grows_the_data_and_people_only_seeding_makes_none():
    demo_seed(scale=2, cases=False)
    programme = Programme.objects.get(slug="luk")
    assert not national_data_exists(programme=programme)
    assert not Application.objects.exists()
    for scale in (1, 2, 10):
        context = Context.load(programme=programme, scale=scale, seed=1)
        shares = list(context.allocation())
        assert len(shares) == 18
        assert all(count >= len(municipalities) for _county, municipalities, count in shares)
        assert 500 * scale <= sum(count for *_rest, count in shares) <= 500 * scale + 18


class TestNationalData:
    """Checks on one national seeding at scale 1."""

    def test_every_kommune_and_county_authority_of_2010_takes_part(self, seeded):
        day = structure_day(seeded)
        kommunar = set(Municipality.objects.valid_on(day).values_list("pk", flat=True))
        assert len(kommunar) == 430
        taking_part = set(Application.objects.values_list("lead_municipality", flat=True)) | set(
            Application.partner_municipalities.through.objects.values_list("municipality", flat=True)
        )
        assert kommunar <= taking_part
        counties = County.objects.valid_on(day).filter(is_county_authority=True)
        assert counties.count() == 18
        rounds = FundingRound.objects.filter(national(), kind="municipal")
        for county in counties:
            years = sorted(rounds.filter(county=county).values_list("opens_at__year", flat=True))
            assert years == [2010, 2011, 2012, 2013, 2014], county
            assert CountyFrame.objects.filter(county=county, granted_on__year__in=years).count() == 5, county
            assert Project.objects.filter(county=county, application__funding_round__in=rounds).exists(), county

    def test_scale_one_has_the_sizes_asked_for_spread_over_the_five_years(self, seeded):
        applications = Application.objects.filter(funding_round__in=FundingRound.objects.filter(national()))
        projects = Project.objects.filter(application__in=applications)
        assert 480 <= applications.count() <= 540
        assert 270 <= projects.count() <= 330
        assert 1350 <= ProgressReport.objects.filter(project__in=projects).count() <= 1650
        assert 700 <= Payment.objects.filter(project__in=projects).count() <= 900
        by_year = {year: applications.filter(funding_round__opens_at__year=year).count() for year in range(2010, 2015)}
        assert all(count >= 40 for count in by_year.values()), by_year

        # A programme that ended in 2014, seen today: every case decided and every project finished.
        assert set(applications.values_list("status", flat=True)) == {"approved", "rejected", "returned", "draft"}
        assert applications.filter(status="approved").count() > 0.5 * applications.count()
        assert set(projects.values_list("status", flat=True)) == {"closed", "cancelled"}
        assert projects.filter(status="cancelled").count() < 0.1 * projects.count()
        assert not ProgressReport.objects.filter(project__in=projects).exclude(status="approved").exists()
        assert set(Payment.objects.filter(project__in=projects).values_list("status", flat=True)) <= {
            "approved",
            "refused",
        }
        closed = projects.filter(status="closed")
        assert closed.count() == ProgressReport.objects.filter(project__in=closed, final=True).count()

        # Amounts in whole kroner within the programme's range; budgets balance their financing.
        granted = list(projects.values_list("granted_amount", flat=True))
        assert min(granted) >= 50_000
        assert max(granted) <= 1_500_000
        for application in applications.exclude(status="draft").annotate(budget=Sum("budget_lines__amount"))[:100]:
            assert application.budget == application.financing_total, application

    def test_money_is_consistent_from_payments_to_projects_to_county_accounts(self, seeded):
        projects = Project.objects.annotate(
            paid_sum=Sum("payments__amount", filter=Q(payments__status="approved"), default=0)
        ).select_related("application__decision")
        for project in projects:
            assert project.paid_amount == project.paid_sum, project
            assert project.paid_amount <= project.granted_amount
            assert project.granted_amount == project.application.decision.amount
            if project.status != "active":
                assert project.released_amount == project.granted_amount - project.paid_amount, project

        # The last 25 % only after the final report is approved.
        for project in Project.objects.filter(status="closed", application__funding_round__opens_at__year__lte=2014):
            final = project.reports.get(final=True)
            before = project.payments.filter(status="approved", decided_at__lt=final.decided_at).aggregate(
                total=Sum("amount", default=0)
            )["total"]
            assert before <= project.granted_amount * 75 // 100, project

        for account in CountyAccount.objects.filter(programme__slug="luk"):
            sums = Project.objects.filter(county=account.county).aggregate(
                granted=Sum(F("granted_amount") - F("released_amount"), default=0), paid=Sum("paid_amount", default=0)
            )
            frames = CountyFrame.objects.filter(county=account.county).aggregate(total=Sum("amount", default=0))
            assert (account.framed, account.granted, account.paid) == (frames["total"], sums["granted"], sums["paid"])
            assert account.free >= 0

    def test_every_step_is_one_the_workflow_allows_and_is_on_the_timeline(self, seeded):
        rounds = FundingRound.objects.filter(national())
        events = CaseEvent.objects.filter(
            Q(application__funding_round__in=rounds) | Q(project__application__funding_round__in=rounds)
        )
        steps = set(
            events.filter(application__isnull=False).exclude(from_status="").values_list("from_status", "to_status")
        )
        assert steps <= pairs(APPLICATION_TRANSITIONS)
        report_steps = set(
            events.filter(action__startswith="report_").exclude(from_status="").values_list("from_status", "to_status")
        )
        assert report_steps <= pairs(REPORT_TRANSITIONS)
        plan_steps = set(
            CaseEvent.objects.filter(county_plan__isnull=False)
            .exclude(from_status="")
            .values_list("from_status", "to_status")
        )
        assert plan_steps <= pairs(PLAN_TRANSITIONS)
        assert set(events.values_list("action", flat=True)) >= {
            "created", "submit", "take", "return", "recommend", "approve", "reject", "project_created", "plan",
            "report_submit", "report_approve", "payment_request", "payment_approve", "project_close", "project_cancel",
        }  # fmt: skip

        # Each case's timeline ends in the state the case is in.
        for application in Application.objects.filter(funding_round__in=rounds).prefetch_related("events")[:200]:
            moves = [e for e in application.events.all() if e.to_status]
            assert moves, application
            assert moves[-1].to_status == application.status, application
            assert [e.at for e in moves] == sorted(e.at for e in moves)
        for project in Project.objects.filter(application__funding_round__in=rounds).prefetch_related("events")[:200]:
            last = [e for e in project.events.all() if e.action in ("project_close", "project_cancel")]
            assert [e.to_status for e in last] == [project.status], project
            assert project.closed_at == last[0].at

        # Everything happened within the programme's years.
        first = events.order_by("at").first().at.date()
        last = events.order_by("-at").first().at.date()
        assert first >= FIRST and last <= LAST
        projects = Project.objects.filter(application__funding_round__in=rounds)
        assert not projects.filter(Q(period_start__lt=FIRST) | Q(final_report_due__gt=LAST)).exists()
        assert not Payment.objects.filter(project__in=projects, decided_at__date__gt=LAST).exists()

    def test_projects_have_plans_indicators_reports_and_costs(self, seeded):
        rounds = FundingRound.objects.filter(national())
        project = Project.objects.filter(application__funding_round__in=rounds, status="closed").order_by("pk").first()
        goals = set(project.application.result_goals.values_list("pk", flat=True))
        assert project.milestones.count() >= 3
        assert set(project.indicators.values_list("result_goal", flat=True)) == goals
        final = project.reports.get(final=True)
        assert final.results and final.lessons
        values = IndicatorValue.objects.filter(report=final)
        assert values.count() == project.indicators.count()
        lines = BudgetLine.objects.filter(application=project.application)
        assert ReportCost.objects.filter(report=final).count() == lines.count()
        assert project.deadlines.filter(final=True).get().reports.get() == final
        assert project.reports.count() == project.deadlines.count()
        assert set(project.milestones.values_list("status", flat=True)) == {"done"}

    def test_titles_and_summaries_are_norwegian_and_searchable(self, seeded):
        applications = list(
            Application.objects.filter(funding_round__in=FundingRound.objects.filter(national()))
            .select_related("lead_municipality")
            .prefetch_related("themes")
        )
        titles = [a.title for a in applications]
        assert len(set(titles)) == len(titles)
        for application in applications:
            # Made from the patterns of the application's own themes, with its kommune's name.
            patterns = [p for theme in application.themes.all() for pair in TITLES[theme.code] for p in pair]
            assert any(title_pattern(p).match(application.title) for p in patterns), application.title
            assert application.lead_municipality.name in application.title, application.title
            sentences = [s for s in re.split(r"(?<=\.)\s+", application.summary) if s]
            assert 1 <= len(sentences) <= 3, application.summary
            assert application.lead_municipality.name in application.summary
        assert any("bulyst" in t or "møteplassar" in t or "Næringsvennleg" in t for t in titles)  # nynorsk
        assert any("bolyst" in t or "møteplasser" in t or "Næringsvennlig" in t for t in titles)  # bokmål

    def test_seeding_again_adds_nothing_and_the_services_carry_on_after_it(self, seeded):
        counts = [model.objects.count() for model in SAVE_ORDER]
        call_command("seed_demo", "--quiet")
        assert [model.objects.count() for model in SAVE_ORDER] == counts
        assert demo_national(programme=seeded) is False

        # The ids were given by the seeding: new rows made by the services get fresh ones (PostgreSQL's sequences).
        county = County.objects.get(number="17")
        ministry = get_user_model().objects.get(username="departementet")
        frame = frame_grant(
            by=ministry, county=county, programme=seeded, amount=100_000, granted_on=datetime.date.today()
        )
        assert frame.pk > CountyFrame.objects.exclude(pk=frame.pk).order_by("-pk").first().pk
        officer = get_user_model().objects.get(username="nt.saksbehandlar")
        coordinator = get_user_model().objects.get(username="k1702.koordinator")
        now = timezone.now()
        funding_round = round_open(
            by=officer,
            county=county,
            programme=seeded,
            name="Ny runde",
            budget=1_000_000,
            opens_at=now,
            deadline=now + datetime.timedelta(days=30),
        )
        application = application_create(
            by=coordinator,
            funding_round=funding_round,
            lead_municipality=Municipality.objects.get(number="1702", valid_from__isnull=True),
            title="Ny søknad",
        )
        assert application.pk > Application.objects.exclude(pk=application.pk).order_by("-pk").first().pk
        assert Decision.objects.count() > 0

"""A project in the national demo data: its plan, schedule, reports and payments, and how it ended."""

from __future__ import annotations

import datetime
import random
from typing import Any, Protocol

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext

from applications.models import (
    Application,
    BudgetLine,
    Indicator,
    IndicatorValue,
    Milestone,
    MilestoneUpdate,
    Payment,
    ProgressReport,
    Project,
    ReportCost,
    ReportDeadline,
)
from luk_portal.formats import format_kroner
from programmes.models import County

from .context import (
    CANCELLED_PERCENT,
    LAST_MOMENT,
    UNDERSPENT_PERCENT,
    ApplicationSpec,
    Context,
    Rows,
    at,
    later,
    months_between,
    text,
    thousands,
)
from .texts import (
    CANCEL_REASONS,
    CLOSE_COMMENTS,
    INDICATORS,
    MILESTONES,
    REFUSE_REASONS,
    REPORT_RETURN_MESSAGES,
    REPORT_TEXTS,
)


class CountyCases(Protocol):
    """What a project takes from its county's cases (applications.CountyCases), named here so that the two
    modules do not import each other."""

    rng: random.Random
    rows: Rows
    context: Context
    county: County
    officer: Any
    leader: Any

    def event(self, moment: datetime.datetime, actor: Any, action: str, **values: Any) -> None: ...


class ProjectCases:
    """The project an approved application became: plan, schedule, reports, payments, and how it ended."""

    def __init__(
        self,
        county: CountyCases,
        spec: ApplicationSpec,
        application: Application,
        lines: list[BudgetLine],
        decided: datetime.datetime,
    ) -> None:
        self.cases, self.spec, self.application, self.lines, self.decided = county, spec, application, lines, decided
        self.rng, self.rows, self.context = county.rng, county.rows, county.context
        self.coordinator = self.context.coordinator[spec.lead.pk]
        self.officer, self.leader = county.officer, county.leader
        self.id = self.context.next_id(Project)
        self.granted, self.paid = spec.granted, 0
        self.nn = spec.nynorsk

    def event(self, moment: datetime.datetime, actor: Any, action: str, **values: Any) -> None:
        self.cases.event(moment, actor, action, project_id=self.id, **values)

    def make(self) -> None:
        application = self.application
        start, end = application.period_start, application.period_end
        months = months_between(start, end)
        every = 6 if months >= 30 else 4 if months >= 18 else 3 if months >= 9 else 2
        final_due = end + relativedelta(months=3)
        project = Project(
            id=self.id,
            application_id=application.pk,
            county_id=self.cases.county.pk,
            lead_municipality_id=self.spec.lead.pk,
            title=application.title,
            status=Project.Status.ACTIVE,
            period_start=start,
            period_end=end,
            granted_amount=self.granted,
            report_every_months=every,
            final_report_due=final_due,
            created_at=self.decided,
        )
        self.event(self.decided, self.leader, "project_created", comment=format_kroner(self.granted))
        deadlines = [self.deadline(day, final=False) for day in _dues(start, end, every)]
        final_deadline = self.deadline(final_due, final=True)
        planned, milestones, indicators = self.planned(every, [*deadlines, final_deadline])
        self.reports(project, deadlines, final_deadline, milestones, indicators, after=planned)
        self.rows.add(project)
        for milestone in milestones:
            self.rows.add(milestone)

    def planned(
        self, every: int, deadlines: list[ReportDeadline]
    ) -> tuple[datetime.datetime, list[Milestone], list[Indicator]]:
        """The schedule set (if not the usual half-yearly one) and the plan made: when, and its milestones and
        indicators."""
        rng = self.rng
        moment = later(self.decided, rng, 1, 10)
        if every != 6:
            self.event(
                moment, self.officer, "schedule", comment=", ".join(d.due_on.strftime("%d.%m.%Y") for d in deadlines)
            )
        moment = later(moment, rng, 2, 14)
        milestones, indicators = self.plan(self.application.period_start, self.application.period_end)
        self.event(moment, self.coordinator, "plan")
        return moment, milestones, indicators

    def reports(
        self,
        project: Project,
        deadlines: list[ReportDeadline],
        final_deadline: ReportDeadline,
        milestones: list[Milestone],
        indicators: list[Indicator],
        *,
        after: datetime.datetime,
    ) -> None:
        """The progress reports and the payments resting on them; then the project cancelled, or finished."""
        rng = self.rng
        cancel_after = None
        if rng.random() < CANCELLED_PERCENT / 100:
            cancel_after = rng.randint(0, min(2, len(deadlines)))
        schedule = self.payment_schedule(len(deadlines))
        previous_to = self.application.period_start - datetime.timedelta(days=1)
        last = after
        for index, deadline in enumerate(deadlines, start=1):
            if cancel_after is not None and index > cancel_after:
                break
            report, last = self.report(
                deadline, index, len(deadlines), previous_to, milestones, indicators, after=last, final=False
            )
            previous_to = report.period_to
            for share in schedule.get(index, ()):
                last = self.payment(report, self.granted * share // 100, after=last)
        if cancel_after is not None:
            self.cancel(project, after=last)
        else:
            self.finish(project, final_deadline, len(deadlines), previous_to, milestones, indicators, after=last)

    def finish(
        self,
        project: Project,
        final_deadline: ReportDeadline,
        count: int,
        previous_to: datetime.date,
        milestones: list[Milestone],
        indicators: list[Indicator],
        *,
        after: datetime.datetime,
    ) -> None:
        """The final report, the rest of the grant paid (less what was not spent), and the project closed."""
        rng = self.rng
        underspent = rng.random() < UNDERSPENT_PERCENT / 100
        report, last = self.report(
            final_deadline,
            count + 1,
            count,
            previous_to,
            milestones,
            indicators,
            after=after,
            final=True,
            spent=rng.uniform(0.78, 0.93) if underspent else rng.uniform(0.97, 1.0),
        )
        rest = self.granted - self.paid
        if underspent:
            rest -= thousands(self.granted * rng.uniform(0.05, 0.2))
        if rest > 0:
            last = self.payment(report, rest, after=last, final=True)
        self.close(project, after=last, by_county=self.paid < self.granted)

    def deadline(self, day: datetime.date, *, final: bool) -> ReportDeadline:
        deadline = ReportDeadline(id=self.context.next_id(ReportDeadline), project_id=self.id, due_on=day, final=final)
        self.rows.add(deadline)
        return deadline

    def plan(self, start: datetime.date, end: datetime.date) -> tuple[list[Milestone], list[Indicator]]:
        rng, nn = self.rng, self.nn
        names = [
            ("Oppstartsmøte", "Oppstartsmøte"),
            *sorted(rng.sample(MILESTONES, rng.randint(1, 3)), key=MILESTONES.index),
            ("Sluttseminar", "Sluttseminar"),
        ]
        span = (end - start).days
        milestones = []
        for index, name in enumerate(names):
            day = (
                start + datetime.timedelta(days=30)
                if index == 0
                else start + datetime.timedelta(days=span * index // (len(names) - 1))
            )
            milestones.append(
                Milestone(
                    id=self.context.next_id(Milestone),
                    project_id=self.id,
                    name=name[0 if nn else 1],
                    due_date=min(day, end),
                    status="planned",
                )
            )
        indicators = []
        for goal in sorted(self.spec.goals, key=lambda g: g.number):
            name, unit, (low, high) = rng.choice(INDICATORS[goal.number])
            target = rng.randint(low, high)
            indicator = Indicator(
                id=self.context.next_id(Indicator),
                project_id=self.id,
                result_goal_id=goal.pk,
                name=name[0 if nn else 1],
                unit=unit[0 if nn else 1],
                baseline=rng.randint(0, target // 4),
                target=target,
            )
            indicators.append(indicator)
            self.rows.add(indicator)
        return milestones, indicators

    def payment_schedule(self, reports: int) -> dict[int, tuple[int, ...]]:
        """After which progress report which shares of the grant are asked for (at most 75 % before the final)."""
        kind = self.rng.choices(("three", "two", "four"), weights=(50, 38, 12))[0]
        if reports >= 3 and kind == "four":
            return {1: (25,), 2: (25,), 3: (25,)}
        if reports >= 2 and kind == "three":
            return {1: (40,), max(2, reports // 2 + 1): (35,)}
        return {min(reports, 2): (75,)} if reports else {}

    def report(
        self,
        deadline: ReportDeadline,
        index: int,
        count: int,
        previous_to: datetime.date,
        milestones: list[Milestone],
        indicators: list[Indicator],
        *,
        after: datetime.datetime,
        final: bool,
        spent: float = 1.0,
    ) -> tuple[ProgressReport, datetime.datetime]:
        """A report answering its deadline, submitted (sometimes returned once) and approved."""
        rng, nn = self.rng, self.nn
        period_to = self.application.period_end if final else deadline.due_on
        created, submitted = self.report_moments(deadline, period_to, after=after, final=final)
        report = ProgressReport(
            id=self.context.next_id(ProgressReport),
            project_id=self.id,
            deadline_id=deadline.pk,
            final=final,
            status=ProgressReport.Status.APPROVED,
            period_from=previous_to + datetime.timedelta(days=1),
            period_to=period_to,
            activities=text(rng, REPORT_TEXTS["activities"], nn),
            went_well=text(rng, REPORT_TEXTS["went_well"], nn),
            challenges=text(rng, REPORT_TEXTS["challenges"], nn),
            next_steps="" if final else text(rng, REPORT_TEXTS["next_steps"], nn),
            results=text(rng, REPORT_TEXTS["results"], nn) if final else "",
            lessons=text(rng, REPORT_TEXTS["lessons"], nn) if final else "",
            created_by_id=self.coordinator.pk,
            created_at=created,
        )
        self.report_figures(report, indicators, progress=1.0 if final else index / (count + 1), spent=spent)
        self.report_milestones(report, milestones)
        submitted, decided = self.report_events(report, created=created, submitted=submitted)
        report.submitted_at, report.decided_at = submitted, decided
        self.rows.add(report)
        return report, decided

    def report_moments(
        self, deadline: ReportDeadline, period_to: datetime.date, *, after: datetime.datetime, final: bool
    ) -> tuple[datetime.datetime, datetime.datetime]:
        """When the report was begun and first submitted: around its deadline, after what came before."""
        rng = self.rng
        if final:
            submitted = max(
                at(period_to + datetime.timedelta(days=rng.randint(10, 55)), rng), after + datetime.timedelta(hours=2)
            )
        else:
            submitted = max(
                at(deadline.due_on + datetime.timedelta(days=rng.randint(-10, 12)), rng),
                after + datetime.timedelta(hours=2),
            )
        created = max(after + datetime.timedelta(hours=1), submitted - datetime.timedelta(days=rng.randint(5, 20)))
        if created >= submitted:
            created = submitted - datetime.timedelta(minutes=30)
        return created, submitted

    def report_figures(
        self, report: ProgressReport, indicators: list[Indicator], *, progress: float, spent: float
    ) -> None:
        """What the report says was spent on each budget line, and how far each indicator has come."""
        rng, final = self.rng, report.final
        for line in self.lines:
            share = spent * rng.uniform(0.97, 1.0) if final else progress * rng.uniform(0.8, 1.1)
            self.rows.add(
                ReportCost(report_id=report.pk, budget_line_id=line.pk, amount=int(line.amount * min(share, 1.0)))
            )
        for indicator in indicators:
            if final:
                value = int(indicator.target * rng.uniform(0.8, 1.25))
            else:
                value = indicator.baseline + int(
                    (indicator.target - indicator.baseline) * progress * rng.uniform(0.7, 1.15)
                )
            self.rows.add(IndicatorValue(report_id=report.pk, indicator_id=indicator.pk, value=value))

    def report_milestones(self, report: ProgressReport, milestones: list[Milestone]) -> None:
        """Where each milestone stands: done (now and then delayed) up to the report's end, the next one started."""
        final, period_to = report.final, report.period_to
        next_started = False
        for milestone in milestones:
            if final or milestone.due_date <= period_to:
                status = "delayed" if not final and milestone.status != "done" and self.rng.random() < 0.08 else "done"
            elif not next_started:
                status, next_started = "started", True
            else:
                status = "planned"
            milestone.status = status  # submitting a report sets its milestones' statuses
            self.rows.add(MilestoneUpdate(report_id=report.pk, milestone_id=milestone.pk, status=status))

    def report_events(
        self, report: ProgressReport, *, created: datetime.datetime, submitted: datetime.datetime
    ) -> tuple[datetime.datetime, datetime.datetime]:
        """The report's timeline: begun, submitted, now and then returned and submitted again, approved.

        Returns when it was last submitted and when approved."""
        rng, final = self.rng, report.final
        kind = gettext("Final report") if final else gettext("Progress report")
        name = f"{kind} {report.period_from:%d.%m.%Y}–{report.period_to:%d.%m.%Y}"  # as the services name it
        self.event(created, self.coordinator, "report_created", comment=kind)
        self.event(
            submitted, self.coordinator, "report_submit", from_status="draft", to_status="submitted", comment=name
        )
        if rng.random() < 0.06:
            returned = later(submitted, rng, 2, 10)
            self.event(
                returned,
                self.officer,
                "report_return",
                from_status="submitted",
                to_status="returned",
                comment=REPORT_RETURN_MESSAGES[0],
            )
            submitted = later(returned, rng, 2, 8)
            self.event(
                submitted,
                self.coordinator,
                "report_submit",
                from_status="returned",
                to_status="submitted",
                comment=name,
            )
        decided = later(submitted, rng, 2, 10 if final else 20)
        self.event(decided, self.officer, "report_approve", from_status="submitted", to_status="approved", comment=name)
        return submitted, decided

    def decided_payment(
        self,
        report: ProgressReport,
        amount: int,
        status: str,
        requested: datetime.datetime,
        decided: datetime.datetime,
        *,
        reasons: str = "",
    ) -> None:
        """A payment the coordinator asked for and the officer decided: its row, and the request's event."""
        self.rows.add(
            Payment(
                id=self.context.next_id(Payment),
                project_id=self.id,
                report_id=report.pk,
                amount=amount,
                status=status,
                requested_by_id=self.coordinator.pk,
                requested_at=requested,
                decided_by_id=self.officer.pk,
                decided_at=decided,
                reasons=reasons,
            )
        )
        self.event(requested, self.coordinator, "payment_request", comment=format_kroner(amount))

    def payment(
        self, report: ProgressReport, amount: int, *, after: datetime.datetime, final: bool = False
    ) -> datetime.datetime:
        """Asked for resting on the report, and paid; now and then refused first and asked for again."""
        rng = self.rng
        requested = later(after, rng, 0, 3 if final else 10)
        if rng.random() < 0.03:
            refused = later(requested, rng, 1, 4)
            reasons = REFUSE_REASONS[0]
            self.decided_payment(report, amount, Payment.Status.REFUSED, requested, refused, reasons=reasons)
            self.event(refused, self.officer, "payment_refuse", comment=f"{format_kroner(amount)}: {reasons}")
            requested = later(refused, rng, 0, 3)
        approved = later(requested, rng, 1, 4 if final else 14)
        self.decided_payment(report, amount, Payment.Status.APPROVED, requested, approved)
        self.event(approved, self.officer, "payment_approve", comment=format_kroner(amount))
        self.paid += amount
        return approved

    def release(
        self, project: Project, moment: datetime.datetime, by: Any, status: str, action: str, comment: str
    ) -> None:
        """As the services' _release: what is not paid goes back to the county's free frame."""
        project.paid_amount = self.paid
        project.released_amount = self.granted - self.paid
        project.status, project.closed_at = status, moment
        released = gettext("%(amount)s released to the county's free frame.") % {
            "amount": format_kroner(project.released_amount)
        }
        self.event(moment, by, action, from_status="active", to_status=status, comment=f"{comment}\n{released}".strip())
        self.rows.money[1] += self.paid  # granted less released
        self.rows.money[2] += self.paid

    def close(self, project: Project, *, after: datetime.datetime, by_county: bool) -> None:
        if by_county:  # the county closes it after the final report; the unspent rest is released
            moment = later(after, self.rng, 1, 3)
            self.release(project, moment, self.officer, "closed", "project_close", self.rng.choice(CLOSE_COMMENTS))
        else:  # the last payment closes it by itself
            comment = gettext("The final report is approved and the whole grant is paid.")
            self.release(project, after, self.officer, "closed", "project_close", comment)

    def cancel(self, project: Project, *, after: datetime.datetime) -> None:
        moment = max(min(later(after, self.rng, 20, 60), LAST_MOMENT), after + datetime.timedelta(hours=1))
        self.release(project, moment, self.leader, "cancelled", "project_cancel", self.rng.choice(CANCEL_REASONS))


def _dues(start: datetime.date, end: datetime.date, every: int) -> list[datetime.date]:
    """The progress reports' due days: every N months from the start, before the project's end."""
    dues = []
    due = start + relativedelta(months=every)
    while due < end:
        dues.append(due)
        due += relativedelta(months=every)
    return dues

"""One county authority's five years in the national demo data: its plans and frames, rounds and applications."""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass
from functools import partial
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext

from applications.models import (
    Application,
    ApplicationVersion,
    BudgetLine,
    CaseEvent,
    CountyPlan,
    Decision,
    Partner,
    Recommendation,
)
from applications.services.cases import DRAFT_FIELDS
from luk_portal.formats import format_kroner
from programmes.models import County, CountyFrame, FundingRound, Municipality

from .context import (
    FOCUS,
    GOAL_WEIGHTS,
    LAST_PROJECT_END,
    NYNORSK_SHARE,
    OUTCOMES,
    ROUND_NAME,
    TZ,
    YEAR_WEIGHTS,
    YEARS,
    ApplicationSpec,
    Context,
    Rows,
    at,
    later,
    months_between,
    text,
    thousands,
)
from .projects import ProjectCases
from .texts import (
    ACTIVITIES,
    AIMS,
    APPROVE_REASONS,
    BACKGROUNDS,
    BUDGET,
    CONDITIONS,
    GOALS,
    METHODS,
    PARTNER_NAMES,
    REJECT_REASONS,
    RETURN_MESSAGES,
    TITLES,
)


@dataclass
class Moments:
    """When each step of an application was taken (None: never)."""

    created: datetime.datetime
    submitted: datetime.datetime
    taken: datetime.datetime | None = None
    returned: datetime.datetime | None = None
    resubmitted: datetime.datetime | None = None
    retaken: datetime.datetime | None = None
    recommended: datetime.datetime | None = None
    decided: datetime.datetime | None = None


class CountyCases:
    """Five years of one county authority: rounds, plans, frames, applications and their projects."""

    def __init__(self, context: Context, rows: Rows, county: County, municipalities: list[Municipality]) -> None:
        self.context, self.rows, self.county = context, rows, county
        self.municipalities = municipalities
        self.rng = random.Random(f"luk-national:{context.seed}:{county.number}")
        self.officer, self.leader = context.officer[county.pk], context.leader[county.pk]
        codes = FOCUS.get(county.number) or sorted(self.rng.sample(sorted(context.themes), self.rng.randint(3, 6)))
        self.themes = [context.themes[code] for code in codes]
        share = NYNORSK_SHARE.get(county.number, 0.1)
        self.nynorsk = {
            m.pk: m.language_form == "nynorsk" or (m.language_form != "bokmal" and self.rng.random() < share)
            for m in municipalities
        }

    def event(self, moment: datetime.datetime, actor: Any, action: str, **values: Any) -> None:
        self.rows.add(CaseEvent(at=moment, actor_id=actor.pk, action=action, **values))

    def make(self, count: int) -> None:
        rng = self.rng
        leads = rng.sample(self.municipalities, len(self.municipalities))  # every kommune leads one at least
        leads += rng.choices(self.municipalities, k=count - len(leads))
        years = rng.choices(YEARS, weights=YEAR_WEIGHTS, k=len(leads))
        oslo_done = False
        for year in YEARS:
            specs = []
            for lead in (lead for lead, y in zip(leads, years, strict=True) if y == year):
                spec = self.plan_application(lead)
                if self.county.number == "02" and self.context.oslo and (not oslo_done or rng.random() < 0.03):
                    spec.partners.append(self.context.oslo)  # Oslo's part in the capital region's cases
                    oslo_done = True
                spec.title = self.title(spec, year)
                specs.append(spec)
            self.make_year(year, specs)

    # Applications

    def plan_application(self, lead: Municipality) -> ApplicationSpec:
        rng = self.rng
        partners: list[Municipality] = []
        if rng.random() < 0.25 and len(self.municipalities) > 1:
            index = self.municipalities.index(lead)
            near = [m for m in self.municipalities[max(0, index - 4) : index + 5] if m != lead]
            partners = rng.sample(near, min(len(near), rng.choices((1, 2, 3), weights=(70, 20, 10))[0]))
        themes = rng.sample(self.themes, rng.choice((1, 1, 2)))
        goals = [goal for number, goal in self.context.goals.items() if rng.random() < GOAL_WEIGHTS[number]]
        goals = goals or [self.context.goals[1]]
        requested = min(1_500_000, max(60_000, int(round(rng.lognormvariate(math.log(300_000), 0.6), -4))))
        outcome = rng.choices([o for o, _w in OUTCOMES], weights=[w for _o, w in OUTCOMES])[0]
        granted = 0
        if outcome == "approved":
            granted = requested if rng.random() < 0.55 else int(requested * rng.uniform(0.6, 0.95)) // 5000 * 5000
            granted = min(requested, max(50_000, granted))
        return ApplicationSpec(
            lead=lead,
            partners=partners,
            themes=themes,
            goals=goals,
            nynorsk=self.nynorsk.get(lead.pk, False),
            outcome=outcome,
            requested=requested,
            granted=granted,
            returned_once=outcome in ("approved", "rejected") and rng.random() < 0.12,
        )

    def place(self, spec: ApplicationSpec) -> str:
        if spec.partners and (spec.themes[0].code == "samhandling" or self.rng.random() < 0.4):
            if len(spec.partners) == 1:
                return f"{spec.lead.name} og {spec.partners[0].name}"
            return f"{spec.lead.name} og nabokommunane" if spec.nynorsk else f"{spec.lead.name} og nabokommunene"
        return spec.lead.name

    def title(self, spec: ApplicationSpec, year: int) -> str:
        """A title from the application's themes and place, not used before (a later phase if need be)."""
        place = self.place(spec)
        candidates = [t for theme in spec.themes for t in TITLES[theme.code]]
        self.rng.shuffle(candidates)
        for pattern in candidates[:6]:
            title = pattern[0 if spec.nynorsk else 1].format(place=place)
            if title not in self.context.titles:
                break
        else:
            base = candidates[0][0 if spec.nynorsk else 1].format(place=place)
            suffixes = [f" – fase {n}" for n in range(2, 5)] + [f" ({year})", f" ({year}, {spec.lead.number})"]
            title = next((base + s for s in suffixes if base + s not in self.context.titles), base)
        self.context.titles.add(title)
        return title

    def summary(self, spec: ApplicationSpec) -> str:
        rng, nn, place = self.rng, spec.nynorsk, spec.lead.name
        sentences = [text(rng, AIMS[spec.themes[0].code], nn, place=place)]
        if rng.random() < 0.7:
            sentences.append(text(rng, METHODS, nn))
        if spec.partners:
            *others, last = [m.name for m in spec.partners]
            names = f"{', '.join(others)} og {last}" if others else last
            sentences.append(
                f"Prosjektet er eit samarbeid med {names}." if nn else f"Prosjektet er et samarbeid med {names}."
            )
        return " ".join(sentences)

    def make_year(self, year: int, specs: list[ApplicationSpec]) -> None:
        rng, county, context = self.rng, self.county, self.context
        if year == YEARS[0]:
            opens_day = datetime.date(2010, 5, 25) + datetime.timedelta(days=rng.randint(0, 20))
            open_days = rng.randint(50, 70)
        elif year == YEARS[-1]:
            opens_day = datetime.date(year, 1, 6) + datetime.timedelta(days=rng.randint(0, 14))
            open_days = rng.randint(35, 50)
        else:
            opens_day = datetime.date(year, 1, 8) + datetime.timedelta(days=rng.randint(0, 30))
            open_days = rng.randint(45, 75)
        opens_at = datetime.datetime(opens_day.year, opens_day.month, opens_day.day, 9, 0, tzinfo=TZ)
        deadline_day = opens_day + datetime.timedelta(days=open_days)
        deadline = datetime.datetime(deadline_day.year, deadline_day.month, deadline_day.day, 23, 59, tzinfo=TZ)

        # The county's plan for the year, approved by the ministry before the decisions: a frame that holds them.
        granted = sum(spec.granted for spec in specs)
        frame = max(500_000, math.ceil(granted * rng.uniform(1.05, 1.3) / 100_000) * 100_000)
        budget = max(frame, math.ceil(max((s.requested for s in specs), default=0) / 500_000) * 500_000)
        plan_submitted = at(opens_day - datetime.timedelta(days=rng.randint(25, 45)), rng)
        plan_approved = later(plan_submitted, rng, 7, 20)
        self.plan(year, specs, amount=frame, submitted=plan_submitted, approved=plan_approved)

        round_id = context.next_id(FundingRound)
        self.rows.add(
            FundingRound(
                id=round_id,
                programme=context.programme,
                kind=FundingRound.Kind.MUNICIPAL,
                county=county,
                name=ROUND_NAME.format(year=year, county=county.name),
                description=f"Kommunane i {county.name} kan søkje om LUK-midlar {year} til utviklingsprosjekt som "
                "styrkjer arbeidet med attraktive lokalsamfunn.",
                budget=budget,
                opens_at=opens_at,
                deadline=deadline,
                created_at=opens_at - datetime.timedelta(days=3),
            )
        )
        for theme in self.themes:
            self.rows.add(FundingRound.themes.through(fundinground_id=round_id, theme_id=theme.pk))
        for spec in specs:
            self.application(spec, round_id=round_id, opens_at=opens_at, deadline=deadline)

    def plan(
        self,
        year: int,
        specs: list[ApplicationSpec],
        *,
        amount: int,
        submitted: datetime.datetime,
        approved: datetime.datetime,
    ) -> None:
        county, rng, context = self.county, self.rng, self.context
        plan_id = context.next_id(CountyPlan)
        title = f"Handlingsplan for LUK {year} – {county.name}"
        created = at(submitted.date() - datetime.timedelta(days=rng.randint(7, 20)), rng)
        self.rows.add(
            CountyPlan(
                id=plan_id,
                programme=context.programme,
                county=county,
                status=CountyPlan.Status.APPROVED,
                title=title,
                requested_amount=amount + rng.choice((0, 0, 100_000, 200_000)),
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                activities="Kurs i plan- og prosessarbeid, eit kontaktteam for kommunane, nettverkssamlingar og "
                f"tilskot til utviklingsprosjekt i kommunane i {year}.",
                budget="Tilskot til kommunane 70 %, kurs og samlingar 20 %, kontaktteam og evaluering 10 %.",
                approved_amount=amount,
                created_by_id=self.officer.pk,
                created_at=created,
                updated_at=approved,
                submitted_at=submitted,
            )
        )
        for theme in self.themes:
            self.rows.add(CountyPlan.themes.through(countyplan_id=plan_id, theme_id=theme.pk))
        involved = {spec.lead.pk for spec in specs} or {m.pk for m in self.municipalities[:5]}
        for municipality_id in sorted(involved):
            self.rows.add(CountyPlan.municipalities.through(countyplan_id=plan_id, municipality_id=municipality_id))
        self.plan_events(plan_id, amount=amount, created=created, submitted=submitted, approved=approved)
        self.frame_add(title, amount=amount, approved=approved)

    def plan_events(
        self,
        plan_id: int,
        *,
        amount: int,
        created: datetime.datetime,
        submitted: datetime.datetime,
        approved: datetime.datetime,
    ) -> None:
        """The plan's timeline: written and sent by the county's case officer, approved by the ministry."""
        event = partial(self.event, county_plan_id=plan_id)
        event(created, self.officer, "created", to_status="draft")
        event(submitted, self.officer, "submit", from_status="draft", to_status="submitted")
        event(
            approved,
            self.context.ministry,
            "approve",
            from_status="submitted",
            to_status="approved",
            comment=format_kroner(amount),
        )

    def frame_add(self, title: str, *, amount: int, approved: datetime.datetime) -> None:
        """The frame the approved plan gives the county."""
        self.rows.add(
            CountyFrame(
                id=self.context.next_id(CountyFrame),
                programme=self.context.programme,
                county=self.county,
                amount=amount,
                granted_on=approved.date(),
                note=gettext("County plan: %(title)s") % {"title": title},
            )
        )
        self.rows.money[0] += amount

    def application(
        self, spec: ApplicationSpec, *, round_id: int, opens_at: datetime.datetime, deadline: datetime.datetime
    ) -> None:
        """One application, from its draft to its decision (and its project, if approved)."""
        app_id = self.context.next_id(Application)
        # When each step was taken, worked out before anything is written.
        moments = self.moments(spec, opens_at=opens_at, deadline=deadline)
        start, months = self.period(moments, deadline=deadline)
        own, other_public, private, budget_lines = self.budget(spec, app_id=app_id)
        partner_rows = self.partners(spec, app_id=app_id)
        self.links_add(spec, app_id=app_id, rows=(*budget_lines, *partner_rows))
        coordinator = self.context.coordinator[spec.lead.pk]
        application = Application(
            id=app_id,
            funding_round_id=round_id,
            lead_municipality_id=spec.lead.pk,
            title=spec.title,
            summary=self.summary(spec),
            background=text(self.rng, BACKGROUNDS, spec.nynorsk, place=spec.lead.name),
            goals=text(self.rng, GOALS, spec.nynorsk, place=spec.lead.name),
            activities=text(self.rng, ACTIVITIES, spec.nynorsk),
            period_start=start,
            period_end=start + relativedelta(months=months, days=-1),
            requested_amount=spec.requested,
            own_contribution=own,
            other_public=other_public,
            private=private,
            contact_name=coordinator.get_full_name(),
            contact_email=coordinator.email,
            contact_phone="+47 22 00 00 00",
            created_by_id=coordinator.pk,
            created_at=moments.created,
            updated_at=moments.decided or moments.returned or moments.created,
        )
        self.rows.add(application)
        self.event(moments.created, coordinator, "created", application_id=app_id, to_status="draft")
        if spec.outcome == "draft":  # never sent
            return
        self.submitted(application, spec, moments, budget_lines, partner_rows)
        if not moments.decided:  # returned and never sent again: in effect withdrawn
            return
        self.decided(application, spec, moments)
        if spec.outcome == "approved":
            ProjectCases(self, spec, application, budget_lines, moments.decided).make()

    def moments(self, spec: ApplicationSpec, *, opens_at: datetime.datetime, deadline: datetime.datetime) -> Moments:
        rng = self.rng
        created = later(opens_at, rng, 0, max(1, (deadline - opens_at).days - 3))
        submitted = max(min(later(created, rng, 1, 20), deadline - datetime.timedelta(hours=2)), created)
        moments = Moments(created=created, submitted=submitted)
        if spec.outcome == "draft":
            return moments
        moments.taken = later(max(submitted, deadline), rng, 1, 7)
        if spec.outcome == "returned" or spec.returned_once:
            moments.returned = later(moments.taken, rng, 3, 10)
        if spec.returned_once:
            moments.resubmitted = later(moments.returned, rng, 3, 12)
            moments.retaken = later(moments.resubmitted, rng, 1, 4)
        if spec.outcome in ("approved", "rejected"):
            moments.recommended = later(moments.retaken or moments.taken, rng, 10, 25)
            moments.decided = later(moments.recommended, rng, 3, 10)
        return moments

    def period(self, moments: Moments, *, deadline: datetime.datetime) -> tuple[datetime.date, int]:
        """The period applied for (its start and months): from a month or two after the decision, for as long as
        LUK lasts."""
        rng = self.rng
        expected = moments.decided or later(deadline, rng, 30, 60)
        start = expected.date().replace(day=1) + relativedelta(months=1)
        if rng.random() < 0.4 and start + relativedelta(months=4) <= LAST_PROJECT_END:
            start += relativedelta(months=1)
        return start, min(rng.choice((12, 18, 24, 24, 30, 36)), months_between(start, LAST_PROJECT_END))

    def budget(self, spec: ApplicationSpec, *, app_id: int) -> tuple[int, int, int, list[BudgetLine]]:
        """The financing (own contribution, other public, private) and the budget lines that add up to it all."""
        rng, nn = self.rng, spec.nynorsk
        own = thousands(spec.requested * rng.uniform(0.15, 0.5))
        other_public = thousands(spec.requested * rng.uniform(0.1, 0.4)) if rng.random() < 0.4 else 0
        private = thousands(spec.requested * rng.uniform(0.05, 0.2)) if rng.random() < 0.3 else 0
        total = spec.requested + own + other_public + private
        percent = rng.choice((20, 30, 40, 50))
        lines = [
            ("personnel", f"Prosjektleiar, {percent} % stilling" if nn else f"Prosjektleder, {percent} % stilling")
        ]
        lines += [(category, names[0 if nn else 1]) for category, names in rng.sample(BUDGET, rng.randint(2, 4))]
        shares = [rng.uniform(2.0, 3.0)] + [rng.uniform(0.5, 1.5) for _ in lines[1:]]
        amounts = [thousands(total * share / sum(shares)) for share in shares[:-1]]
        amounts.append(total - sum(amounts))
        if amounts[-1] <= 0:  # the rounding took it all: the first line gives way
            amounts[0] += amounts[-1] - 1000
            amounts[-1] = 1000
        budget_lines = [
            BudgetLine(
                id=self.context.next_id(BudgetLine),
                application_id=app_id,
                category=category,
                description=description,
                amount=amount,
            )
            for (category, description), amount in zip(lines, amounts, strict=True)
        ]
        return own, other_public, private, budget_lines

    def partners(self, spec: ApplicationSpec, *, app_id: int) -> list[Partner]:
        return [
            Partner(application_id=app_id, name=names[0 if spec.nynorsk else 1].format(place=spec.lead.name), kind=kind)
            for kind, names in self.rng.sample(PARTNER_NAMES, self.rng.randint(1, 3))
        ]

    def links_add(self, spec: ApplicationSpec, *, app_id: int, rows: tuple[BudgetLine | Partner, ...]) -> None:
        """The application's budget lines and partners, and its themes, goals and partner kommunar."""
        for row in rows:
            self.rows.add(row)
        for theme in spec.themes:
            self.rows.add(Application.themes.through(application_id=app_id, theme_id=theme.pk))
        for goal in spec.goals:
            self.rows.add(Application.result_goals.through(application_id=app_id, resultgoal_id=goal.pk))
        for partner in spec.partners:
            self.rows.add(Application.partner_municipalities.through(application_id=app_id, municipality_id=partner.pk))

    def submitted(
        self,
        application: Application,
        spec: ApplicationSpec,
        moments: Moments,
        budget_lines: list[BudgetLine],
        partner_rows: list[Partner],
    ) -> None:
        """Sent (once, or again after it was returned) and taken by the case officer; its versions and timeline."""
        coordinator, officer = self.context.coordinator[spec.lead.pk], self.officer
        app_id, submitted, resubmitted = application.pk, moments.submitted, moments.resubmitted
        application.case_number = f"{submitted.year}/{self.county.number}-{app_id:05d}"
        application.status, application.officer_id = spec.outcome, officer.pk
        application.version, application.submitted_at = (2, resubmitted) if resubmitted else (1, submitted)
        content = self.snapshot(application, spec, budget_lines, partner_rows)
        for number, moment in enumerate(filter(None, (submitted, resubmitted)), start=1):
            self.rows.add(
                ApplicationVersion(
                    application_id=app_id,
                    number=number,
                    submitted_at=moment,
                    submitted_by_id=coordinator.pk,
                    content=content,
                )
            )
        event = partial(self.event, application_id=app_id)
        event(submitted, coordinator, "submit", from_status="draft", to_status="submitted")
        event(moments.taken, officer, "take", from_status="submitted", to_status="in_review")
        if moments.returned:
            message = self.rng.choice(RETURN_MESSAGES)
            event(moments.returned, officer, "return", from_status="in_review", to_status="returned", comment=message)
        if resubmitted:
            event(resubmitted, coordinator, "submit", from_status="returned", to_status="submitted")
            event(moments.retaken, officer, "take", from_status="submitted", to_status="in_review")

    def decided(self, application: Application, spec: ApplicationSpec, moments: Moments) -> None:
        """The case officer's recommendation and the decision-maker's decision, with their timeline entries."""
        officer, leader, app_id = self.officer, self.leader, application.pk
        approve = spec.outcome == "approved"
        recommendation_id = self.context.next_id(Recommendation)
        reasons = self.rng.choice(APPROVE_REASONS if approve else REJECT_REASONS)
        self.rows.add(
            Recommendation(
                id=recommendation_id,
                application_id=app_id,
                author_id=officer.pk,
                outcome="approve" if approve else "reject",
                amount=spec.granted if approve else None,
                conditions=CONDITIONS if approve else "",
                reasons=reasons,
                created_at=moments.recommended,
            )
        )
        event = partial(self.event, application_id=app_id)
        event(moments.recommended, officer, "recommend", from_status="in_review", to_status="recommended")
        outcome = Decision.Outcome.APPROVED if approve else Decision.Outcome.REJECTED
        self.rows.add(
            Decision(
                id=self.context.next_id(Decision),
                application_id=app_id,
                recommendation_id=recommendation_id,
                recommended_by_id=officer.pk,
                decided_by_id=leader.pk,
                outcome=outcome,
                amount=spec.granted if approve else None,
                conditions=CONDITIONS if approve else "",
                reasons=f"I samsvar med innstillinga: {reasons[0].lower()}{reasons[1:]}",
                decided_at=moments.decided,
            )
        )
        summary = str(outcome.label) + (f": {format_kroner(spec.granted)}" if approve else "")
        event(
            moments.decided,
            leader,
            "approve" if approve else "reject",
            from_status="recommended",
            to_status=outcome.value,
            comment=summary,
        )

    def snapshot(
        self, application: Application, spec: ApplicationSpec, lines: list[BudgetLine], partners: list[Partner]
    ) -> dict[str, Any]:
        """The submitted version, as applications.services.cases._snapshot keeps it."""
        return {
            **{name: str(getattr(application, name) or "") for name in DRAFT_FIELDS},
            "lead_municipality": str(spec.lead),
            "partner_municipalities": [str(m) for m in sorted(spec.partners, key=lambda m: m.number)],
            "themes": [theme.name_nn for theme in spec.themes],
            "result_goals": sorted(goal.number for goal in spec.goals),
            "budget_lines": [{"category": x.category, "description": x.description, "amount": x.amount} for x in lines],
            "partners": [{"name": p.name, "kind": p.kind} for p in partners],
            "attachments": [],
        }

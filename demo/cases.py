"""Demo cases: in each demo county a round with applications in every state, and a county plan.

Everything is made through the services, as the people themselves would; the round is open now, so the
demo users can also start new applications in it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from applications import services as cases
from applications.models import Project
from programmes.models import County, FundingRound, Municipality, Programme
from programmes.services import round_open

User = get_user_model()


@dataclass(frozen=True)
class DemoApplication:
    title: str
    kommune: str  # SSB number (2010)
    state: str  # the status the demo walks it to
    requested: int
    theme: str
    partner: str = ""  # SSB number of a partner kommune


DEMO_TEXT = {
    "summary": "Prosjektet skal styrkje kommunen som utviklingsaktør saman med innbyggjarar, lag og næringsliv.",
    "background": "Kommunen har over tid hatt nedgang i folketalet blant unge vaksne og treng nye arbeidsformer.",
    "goals": "Fleire innbyggjarar tek del i utviklingsarbeidet, og kommunen har ein varig arbeidsmåte for det.",
    "activities": "Folkemøte, arbeidsgrupper med lag og næringsliv, ein prosjektleiar i halv stilling, evaluering.",
}

# Per county: (officer, decision-maker, coordinators by kommune) and the applications.
DEMO_COUNTY_CASES = {
    "17": (
        "nt",
        [
            DemoApplication("Stadutvikling i Steinkjer sentrum", "1702", "project_reporting", 400_000, "stadutvikling"),
            DemoApplication("Innbyggjarpanel i Levanger", "1719", "project_overdue", 160_000, "mobilisering"),
            DemoApplication("Ungt entreprenørskap i Steinkjer", "1702", "project_closed", 120_000, "naringsutvikling"),
            DemoApplication("Bygdevegen i Ogndal", "1702", "project_cancelled", 90_000, "stadutvikling"),
            DemoApplication(
                "Trainee Innherred – unge vaksne heim att",
                "1719",
                "recommended",
                350_000,
                "rekruttering",
                partner="1721",
            ),
            DemoApplication("Frivilligsentral og møteplassar", "1702", "in_review", 250_000, "mobilisering"),
            DemoApplication(
                "Kommuneplanen sin samfunnsdel med innbyggjarane", "1719", "submitted", 200_000, "plan-og-prosess"
            ),
            DemoApplication("Næringshage og gründarnettverk", "1702", "returned", 300_000, "naringsutvikling"),
            DemoApplication("Kulturløype langs Byaelva", "1719", "rejected", 150_000, "stadutvikling"),
            DemoApplication("Felles planressurs i Innherred", "1719", "draft", 180_000, "samhandling"),
        ],
    ),
    "15": (
        "mr",
        [
            DemoApplication("Levande sentrum i Ålesund", "1504", "project_reporting", 450_000, "stadutvikling"),
            DemoApplication("Nærmiljøutval i Volda", "1519", "project_overdue", 140_000, "mobilisering"),
            DemoApplication(
                "Kompetansenettverk for planleggjarar", "1504", "project_closed", 130_000, "plan-og-prosess"
            ),
            DemoApplication("Fjordsti i Dalsfjorden", "1519", "project_cancelled", 80_000, "stadutvikling"),
            DemoApplication(
                "Ungdommens kommunestyre som utviklingsaktør", "1519", "recommended", 220_000, "mobilisering"
            ),
            DemoApplication("Rekruttering av fagfolk til Volda", "1519", "in_review", 300_000, "rekruttering"),
            DemoApplication(
                "Samhandling om reiseliv på Sunnmøre", "1504", "submitted", 260_000, "samhandling", partner="1519"
            ),
            DemoApplication("Bygdeutvikling i Austefjorden", "1519", "returned", 180_000, "plan-og-prosess"),
            DemoApplication("Digital innbyggjardialog", "1504", "rejected", 120_000, "plan-og-prosess"),
            DemoApplication("Kystkultur og frivillige lag", "1504", "draft", 90_000, "mobilisering"),
        ],
    ),
    "20": (
        "fi",
        [
            DemoApplication(
                "Attraktive Alta – bustad og tilflytting", "2012", "project_reporting", 500_000, "rekruttering"
            ),
            DemoApplication(
                "Hammerfest ungdomsråd i planarbeidet", "2004", "project_overdue", 150_000, "plan-og-prosess"
            ),
            DemoApplication("Gründarhus i Alta", "2012", "project_closed", 140_000, "naringsutvikling"),
            DemoApplication("Kystkulturdagar i Hammerfest", "2004", "project_cancelled", 70_000, "mobilisering"),
            DemoApplication(
                "Hammerfest sentrumsplan med innbyggjarane", "2004", "recommended", 280_000, "plan-og-prosess"
            ),
            DemoApplication("Nordlys-næringar og lokale gründarar", "2012", "in_review", 320_000, "naringsutvikling"),
            DemoApplication("Frivillig beredskap i kystsamfunna", "2004", "submitted", 150_000, "mobilisering"),
            DemoApplication("Samisk kulturstig", "2012", "returned", 200_000, "stadutvikling"),
            DemoApplication(
                "Felles rekrutteringsmesse i Vest-Finnmark", "2004", "rejected", 110_000, "rekruttering", partner="2012"
            ),
            DemoApplication("Møteplass for unge i Hammerfest", "2004", "draft", 95_000, "mobilisering"),
        ],
    ),
}

# The demo county plans: Nord-Trøndelag's approved, Møre og Romsdal's with the ministry, Finnmark's a draft.
DEMO_PLANS = {"17": ("approved", 6_000_000), "15": ("submitted", 5_000_000), "20": ("draft", 4_500_000)}


TODAY = timezone.localdate()
PERIOD_START = TODAY.replace(day=1) - relativedelta(months=8)
PERIOD_END = PERIOD_START + relativedelta(months=18) - datetime.timedelta(days=1)
PROJECT_STATES = ("project_reporting", "project_overdue", "project_closed", "project_cancelled")


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _kommune(number: str) -> Municipality:
    return Municipality.objects.get(number=number, valid_from__isnull=True)


def _walk(spec: DemoApplication, *, funding_round: FundingRound, programme: Programme, prefix: str) -> None:
    """Take the application through the services, step by step, as far as its demo state."""
    coordinator = _user(f"k{spec.kommune}.koordinator")
    officer, leader = _user(f"{prefix}.saksbehandlar"), _user(f"{prefix}.leiar")
    application = _drafted(spec, funding_round=funding_round, programme=programme, coordinator=coordinator)
    if spec.state == "draft":
        return
    cases.application_submit(application=application, by=coordinator)
    if spec.state == "submitted":
        return
    cases.application_take(application=application, by=officer)
    if spec.state == "returned":
        cases.application_return(
            application=application,
            by=officer,
            message="Skriv meir om korleis innbyggjarane skal ta del, og kven som eig tiltaket.",
        )
        return
    if spec.state == "in_review":
        return
    approve = spec.state != "rejected"
    _recommended(application, spec=spec, officer=officer, approve=approve)
    if spec.state == "recommended":
        return
    decision = _decided(application, spec=spec, leader=leader, approve=approve)
    if spec.state in PROJECT_STATES:
        _follow_up(
            decision.application.project, state=spec.state, coordinator=coordinator, officer=officer, leader=leader
        )


def _drafted(spec: DemoApplication, *, funding_round: FundingRound, programme: Programme, coordinator: User):
    """The application as its coordinator writes it: texts, period, money, themes, goals, budget and partners."""
    application = cases.application_create(
        by=coordinator, funding_round=funding_round, lead_municipality=_kommune(spec.kommune), title=spec.title
    )
    own = spec.requested // 4
    cases.application_save_draft(
        application=application,
        by=coordinator,
        fields={
            **DEMO_TEXT,
            "period_start": PERIOD_START,
            "period_end": PERIOD_END,
            "requested_amount": spec.requested,
            "own_contribution": own,
            "contact_phone": "+47 22 00 00 00",
        },
        themes=list(programme.themes.filter(code=spec.theme)),
        result_goals=list(programme.result_goals.filter(number__in=[1, 2])),
        partner_municipalities=[_kommune(spec.partner)] if spec.partner else [],
        budget_lines=[
            {"category": "personnel", "description": "Prosjektleiar, halv stilling", "amount": spec.requested - own},
            {"category": "events", "description": "Folkemøte og arbeidsmøte", "amount": own * 2},
        ],
        partners=[{"name": "Lokalt næringsforum", "kind": "business"}, {"name": "Idrettslaget", "kind": "voluntary"}],
    )
    return application


def _verdict(spec: DemoApplication, *, approve: bool, reasons: tuple[str, str]) -> dict[str, Any]:
    """What a recommendation or decision says: approve with four fifths of the amount and the usual conditions, or
    reject; with its reasons (for approving, for rejecting)."""
    return {
        "outcome": "approve" if approve else "reject",
        "amount": spec.requested * 4 // 5 if approve else None,
        "conditions": "Framdriftsrapport kvart halvår og sluttrapport innan tre månader etter prosjektslutt."
        if approve
        else "",
        "reasons": reasons[0] if approve else reasons[1],
    }


def _recommended(application, *, spec: DemoApplication, officer: User, approve: bool) -> None:
    reasons = (
        "Prosjektet svarar godt på resultatmåla og har brei lokal forankring.",
        "Prosjektet er lite forankra i kommunen og har uklare mål.",
    )
    cases.recommendation_make(application=application, by=officer, **_verdict(spec, approve=approve, reasons=reasons))


def _decided(application, *, spec: DemoApplication, leader: User, approve: bool):
    reasons = (
        "I samsvar med innstillinga: prosjektet svarar godt på resultatmåla.",
        "I samsvar med innstillinga: prosjektet er lite forankra og har uklare mål.",
    )
    return cases.decision_make(application=application, by=leader, **_verdict(spec, approve=approve, reasons=reasons))


def _report(project: Project, *, coordinator: User, officer: User, final: bool, approve: bool = True):
    report = cases.report_create(project=project, by=coordinator, final=final)
    lines = list(project.application.budget_lines.all())
    share = 1 if final else 2  # the final report: all spent; a progress report: about half
    cases.report_save_draft(
        report=report,
        by=coordinator,
        fields={
            "activities": "Folkemøte i mars, tre arbeidsmøte med lag og næringsliv, stadanalyse.",
            "went_well": "God oppslutnad frå lag og foreiningar.",
            "challenges": "Vanskeleg å nå unge vaksne.",
            "next_steps": "Ny runde med arbeidsmøte og ein open dag." if not final else "",
            "results": "Fire av fem mål er nådde." if final else "",
            "lessons": "Tidleg dialog med lag og næringsliv gav eigarskap." if final else "",
        },
        costs={line.pk: line.amount // share for line in lines},
        indicator_values={i.pk: i.target if final else (i.baseline + i.target) // 2 for i in project.indicators.all()},
        milestone_statuses={m.pk: "done" if final else "started" for m in project.milestones.all()},
    )
    cases.report_submit(report=report, by=coordinator)
    if approve:
        cases.report_decide(report=report, by=officer, approve=True)
    return report


def _follow_up(project: Project, *, state: str, coordinator: User, officer: User, leader: User) -> None:
    """Take a new project on: plan, reports and payments, up to the state the demo shows."""
    goals = list(project.application.result_goals.order_by("number"))
    names = [("Innbyggjarinitiativ i arbeidet", "tal"), ("Lag og bedrifter som er med", "tal")]
    cases.project_plan_save(
        project=project,
        by=coordinator,
        milestones=[
            {"name": "Oppstartsmøte", "due_date": PERIOD_START + relativedelta(months=1), "status": "done"},
            {"name": "Stadanalyse ferdig", "due_date": PERIOD_START + relativedelta(months=7), "status": "started"},
            {"name": "Sluttseminar", "due_date": PERIOD_END, "status": "planned"},
        ],
        indicators=[
            {"result_goal": goal, "name": name, "unit": unit, "baseline": 2, "target": 10}
            for goal, (name, unit) in zip(goals, names, strict=False)
        ],
    )
    if state == "project_overdue":
        return  # its first progress report is past due and not sent: flagged and reminded
    if state == "project_cancelled":
        cases.project_cancel(
            project=project, by=leader, reasons="Kommunen har trekt prosjektet etter at prosjektleiaren slutta."
        )
        return
    report = _report(project, coordinator=coordinator, officer=officer, final=False)
    first = project.granted_amount * 40 // 100
    payment = cases.payment_request(project=project, by=coordinator, amount=first, report=report)
    cases.payment_decide(payment=payment, by=officer, approve=True)
    if state == "project_reporting":
        cases.payment_request(project=project, by=coordinator, amount=project.granted_amount * 30 // 100, report=report)
        cases.change_request_create(
            project=project,
            by=coordinator,
            kind="extend",
            reasons="Sluttseminaret må flyttast til etter sommaren.",
            new_period_end=PERIOD_END + relativedelta(months=3),
        )
        return
    final = _report(project, coordinator=coordinator, officer=officer, final=True)
    project.refresh_from_db()
    rest = cases.payment_request(project=project, by=coordinator, amount=project.granted_amount - first, report=final)
    cases.payment_decide(payment=rest, by=officer, approve=True)  # the whole grant paid: the project closes


def _plan(county: County, *, programme: Programme, prefix: str, state: str, amount: int) -> None:
    officer = _user(f"{prefix}.saksbehandlar")
    plan = cases.plan_create(
        by=officer, county=county, programme=programme, title=f"LUK-plan for {county.name} 2010–2014"
    )
    cases.plan_save_draft(
        plan=plan,
        by=officer,
        fields={
            "requested_amount": amount,
            "period_start": datetime.date(2010, 6, 1),
            "period_end": datetime.date(2014, 12, 31),
            "activities": "Årlege kurs i plan- og prosessarbeid, traineeprogram, kompetanseplanar og eit "
            "kontaktteam som hjelper kommunane i planarbeidet.",
            "budget": "Kurs og samlingar 30 %, traineeprogram 40 %, kontaktteam 20 %, evaluering 10 %.",
        },
        themes=list(programme.themes.filter(code__in=["rekruttering", "plan-og-prosess", "samhandling"])),
        municipalities=list(county.municipalities.filter(valid_from__isnull=True)[:8]),
    )
    if state == "draft":
        return
    cases.plan_submit(plan=plan, by=officer)
    if state == "approved":
        cases.plan_approve(
            plan=plan, by=_user("departementet"), amount=amount, comment="Planen er godt forankra i kommunane."
        )


def demo_cases(*, programme: Programme) -> None:
    """Idempotent: a county that already has its demo round is left as it is."""
    now = timezone.now()
    for county_number, (prefix, applications) in DEMO_COUNTY_CASES.items():
        county = County.objects.get(number=county_number)
        name = f"LUK-midlar til kommunane i {county.name}"
        if FundingRound.objects.filter(county=county, name=name).exists():
            continue
        state, amount = DEMO_PLANS[county_number]
        _plan(county, programme=programme, prefix=prefix, state=state, amount=amount)
        funding_round = round_open(
            by=_user(f"{prefix}.saksbehandlar"),
            county=county,
            programme=programme,
            name=name,
            description="Kommunane i fylket kan søkje om midlar til utviklingsprosjekt som styrkjer arbeidet med "
            "attraktive lokalsamfunn. Prosjekta skal svare på eitt eller fleire av resultatmåla.",
            budget=5_000_000,
            opens_at=now - datetime.timedelta(days=30),
            deadline=now + datetime.timedelta(days=60),
            themes=list(programme.themes.all()),
        )
        for spec in applications:
            _walk(spec, funding_round=funding_round, programme=programme, prefix=prefix)

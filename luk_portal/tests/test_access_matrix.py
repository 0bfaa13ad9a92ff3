"""Every URL pattern against every role, in and out of scope, as luk_portal/tests/access_matrix.py says.

The objects are made once for the module (through the services) inside a transaction that is rolled back at the
end; every request runs in a savepoint of its own that is rolled back too, so an allowed POST changes nothing
for the next role. After a refused POST, the object and the grant cycle's tables must be as they were.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.services import factor_totp_add
from applications import letters
from applications import models as cases
from applications import services as case_services
from applications.tests import factories
from conftest import county, kommune, person
from demo.people import DEMO_TOTP_SECRET
from luk_portal.tests import access_matrix as matrix
from programmes import permissions
from programmes.models import CountyFrame, FundingRound, Membership, Theme
from programmes.tests.factories import MunicipalRoundFactory, UserFactory
from reporting import documents
from reporting import models as reports
from reporting import services as report_services

pytestmark = pytest.mark.django_db

Role = Membership.Role

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\n"
    b"endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)

# The tables of the grant cycle: a refused POST adds, removes or changes none of their rows.
TABLES = (
    cases.Application,
    cases.Attachment,
    cases.ApplicationVersion,
    cases.Recommendation,
    cases.Decision,
    cases.CountyPlan,
    cases.CaseEvent,
    cases.Project,
    cases.Milestone,
    cases.Indicator,
    cases.ReportDeadline,
    cases.ProgressReport,
    cases.ReportAttachment,
    cases.Payment,
    cases.ChangeRequest,
    FundingRound,
    reports.ReportJob,
)


def url_patterns(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """Every pattern of the URL resolver as (route, name), the routes joined from their includes."""
    found: list[tuple[str, str]] = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            found += url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            found.append((route, f"{namespace}:{pattern.name}" if namespace else pattern.name or ""))
    return found


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")


@dataclass
class World:
    people: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    arguments: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, name: str, obj: Any, **arguments: Any) -> None:
        self.objects[name] = obj
        self.arguments[name] = {"pk": getattr(obj, "pk", None), **arguments}

    def url(self, route: str, name: str, case: matrix.Case) -> str:
        needed = [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)]
        given = self.arguments[case.target]
        url = reverse(name, kwargs={key: given[key] for key in needed}) if name else None
        if url is None:  # a pattern with no name (a page not offered): its route, filled in
            url = "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(given[m.group(1)]), route)
            url = url.replace("^", "").replace("$", "")
        return f"{url}?{case.query}" if case.query else url

    def data(self, case: matrix.Case) -> dict[str, Any]:
        def value(given: Any) -> Any:
            if given == "@upload":
                return upload()
            if isinstance(given, str) and given.startswith("@"):
                return self.arguments[given[1:]]["pk"]
            return given

        return {key: value(given) for key, given in case.data.items()}

    def snapshot(self, target: str) -> tuple[Any, ...]:
        """The target's row as stored (every column, updated_at included) and the number of rows of each table."""
        obj = self.objects.get(target)
        row = None
        if obj is not None and getattr(obj, "pk", None):
            stored = type(obj).objects.filter(pk=obj.pk).first()
            row = stored and {f.attname: getattr(stored, f.attname) for f in stored._meta.concrete_fields}
        return row, tuple(model.objects.count() for model in TABLES)


def quick_build(kind: str, **kwargs: Any) -> documents.Built:
    """A one-page PDF instead of the real report: these tests are about who may open it."""
    from luk_portal.pdf import html_to_document

    html = f"<h1>{kind}</h1>"
    return documents.Built(html_to_document(html).write_pdf(), 1, html, 0.0, 0.0)


def build_world() -> World:
    world = World()
    nt, mr = county("17"), county("15")
    steinkjer, levanger = kommune("1702"), kommune("1719")
    people = world.people
    people["lead"] = lead = person("matrix.lead", Role.COORDINATOR, steinkjer)
    people["partner"] = person("matrix.partner", Role.COORDINATOR, levanger)
    people["same_county"] = person("matrix.verdal", Role.COORDINATOR, kommune("1721"))
    people["other_county"] = person("matrix.alesund", Role.COORDINATOR, kommune("1504"))
    people["officer"] = officer = person("matrix.officer", Role.CASE_OFFICER, nt)
    people["decider"] = decider = person("matrix.decider", Role.DECISION_MAKER, nt)
    people["officer_other"] = person("matrix.officer.mr", Role.CASE_OFFICER, mr)
    people["decider_other"] = person("matrix.decider.mr", Role.DECISION_MAKER, mr)
    people["ministry"] = person("matrix.ministry", Role.MINISTRY_ADVISER)
    people["admin"] = UserFactory(username="matrix.admin", is_staff=True, is_superuser=True)
    factor_totp_add(user=people["admin"], secret=DEMO_TOTP_SECRET)  # as every administrator must have
    people["anonymous"] = None

    world.add("none", None)
    world.add("missing", None, pk=999_999, attachment_pk=999_999, number=1, county_pk=999_999)
    world.add("reset_key", None, uidb36="1", key="no-such-key")
    world.add("email_key", None, key="no-such-key")
    world.add("eid", None, provider_id="idporten")  # no provider is configured here: the tests of accounts/ have one
    world.add("county", nt, county_pk=nt.pk)
    world.add("municipality", steinkjer)
    nt_round = MunicipalRoundFactory(county=nt)
    world.add("round", nt_round)

    def application(name: str) -> cases.Application:
        made = factories.make_draft(
            by=lead, municipality=steinkjer, funding_round=nt_round, partner_municipalities=[levanger]
        )
        attachment = case_services.attachment_add(application=made, by=lead, upload=upload())
        world.add(name, made, attachment_pk=attachment.pk, number=1)
        return made

    application("draft")
    factories.submit(application("submitted"), by=lead)
    factories.take(application("in_review"), coordinator=lead, officer=officer)
    returned = factories.take(application("returned"), coordinator=lead, officer=officer)
    case_services.application_return(application=returned, by=officer, message="Meir om budsjettet.")
    factories.recommend(application("recommended"), coordinator=lead, officer=officer)
    decision = factories.approve(application("approved"), coordinator=lead, officer=officer, decider=decider)
    letters.decision_letter_make(decision_id=decision.pk)

    project = factories.project_of(world.objects["approved"])
    world.add("project", project)
    submitted_report = factories.report_submitted(project, by=lead)
    world.add("report_submitted", submitted_report)
    world.add(
        "payment",
        case_services.payment_request(project=project, by=lead, amount=10_000, report=submitted_report),
    )
    world.add(
        "change",
        case_services.change_request_create(
            project=project, by=lead, kind="extend", reasons="Treng tid.", new_period_end=datetime.date(2028, 6, 30)
        ),
    )
    draft_report = case_services.report_create(project=project, by=lead, final=True)
    report_attachment = case_services.report_attachment_add(report=draft_report, by=lead, upload=upload())
    world.add("report_draft", draft_report, attachment_pk=report_attachment.pk)

    # The same kinds of object in the other county (Møre og Romsdal), led by Ålesund: in the scope of the other
    # county's people, out of everyone else's.
    alesund = kommune("1504")
    world.add("county_elsewhere", mr, county_pk=mr.pk)
    world.add("municipality_elsewhere", alesund)
    mr_round = MunicipalRoundFactory(county=mr)
    world.add("round_elsewhere", mr_round)
    other_lead = people["other_county"]
    for name in ("submitted_elsewhere", "approved_elsewhere"):
        made = factories.make_draft(by=other_lead, municipality=alesund, funding_round=mr_round)
        attachment = case_services.attachment_add(application=made, by=other_lead, upload=upload())
        world.add(name, made, attachment_pk=attachment.pk, number=1)
        factories.submit(made, by=other_lead)
    factories.approve(
        world.objects["approved_elsewhere"],
        coordinator=other_lead,
        officer=people["officer_other"],
        decider=people["decider_other"],
    )
    world.add("project_elsewhere", factories.project_of(world.objects["approved_elsewhere"]))

    programme = factories.luk()
    world.add("plan_draft", case_services.plan_create(by=officer, county=nt, programme=programme, title="Utkast"))
    plan = case_services.plan_create(by=officer, county=nt, programme=programme, title="Plan")
    case_services.plan_save_draft(
        plan=plan,
        by=officer,
        fields={
            "requested_amount": 3_000_000,
            "period_start": datetime.date(2010, 6, 1),
            "period_end": datetime.date(2014, 12, 31),
            "activities": "Kurs",
            "budget": "Kurs 100 %",
        },
        themes=list(Theme.objects.all()[:1]),
        municipalities=[steinkjer],
    )
    world.add("plan_submitted", case_services.plan_submit(plan=plan, by=officer))

    world.add(
        "job_county",
        report_services.report_request(user=officer, kind="county", programme=programme, county=nt, language="nn"),
    )
    world.add(
        "job_project",
        report_services.report_request(user=lead, kind="project", programme=programme, project=project, language="nn"),
    )
    world.add(
        "export_lead",
        report_services.export_request(user=lead, list_name="applications", query="", file_format="csv", language="nn"),
    )
    for name in ("job_county", "job_project", "export_lead"):
        assert world.objects[name].state == reports.ReportJob.State.DONE, name
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents, "build", quick_build)
        yield build_world()
        transaction.set_rollback(True)


def answer_of(response: Any) -> Any:
    """The response as the matrix writes it."""
    status = response.status_code
    location = response.get("Location", "")
    if status == 302 and location.startswith(reverse("admin:login")):
        return matrix.ADMIN_LOGIN
    if status == 302 and location.startswith(reverse("account_login")):
        return matrix.LOGIN
    return status


def matches(expected: Any, got: Any) -> bool:
    if expected == matrix.ANY_LOGIN:
        return got in (matrix.LOGIN, matrix.ADMIN_LOGIN)
    if expected == matrix.YES:
        return got in (200, 400, 302, 303)  # a redirect to sign in is LOGIN, not 302
    return expected == got


def sign_in(client: Client, user: Any) -> None:
    if user is None:
        client.logout()
    else:
        client.force_login(user)


def ask(client: Client, world: World, route: str, name: str, case: matrix.Case) -> tuple[Any, bool]:
    """One request in a savepoint rolled back afterwards: its answer, and whether the data stayed as it was."""
    headers = {"HX-Request": "true"} if case.htmx else {}
    with transaction.atomic():
        before = world.snapshot(case.target)
        url = world.url(route, name, case)
        if case.method == "GET":
            response = client.get(url, headers=headers)
        else:
            response = client.post(url, world.data(case), headers=headers)
        if response.streaming:  # read to the end: the test client then closes it without closing the connection
            b"".join(response.streaming_content)
        unchanged = world.snapshot(case.target) == before
        transaction.set_rollback(True)
    return answer_of(response), unchanged


def test_every_url_pattern_has_an_entry_in_the_matrix():
    """A new page cannot be added without saying who may open it; an entry without its page is stale."""
    patterns = url_patterns()
    outside_admin = {(route, name) for route, name in patterns if not route.startswith(matrix.ADMIN_PREFIX)}
    assert sorted(outside_admin - set(matrix.MATRIX)) == [], "add these patterns to luk_portal/tests/access_matrix.py"
    assert sorted(set(matrix.MATRIX) - outside_admin) == [], "these entries have no URL pattern any more"
    admin = [name for route, name in patterns if route.startswith(matrix.ADMIN_PREFIX)]
    assert admin and all(name.startswith("admin:") for name in admin), "only Django admin lives under admin/"


def test_the_size_of_the_matrix(capsys):
    """The matrix's size, for the issue's closing note (`pytest -s` prints it)."""
    patterns = url_patterns()
    admin = sum(route.startswith(matrix.ADMIN_PREFIX) for route, _name in patterns)
    all_cases = [case for entries in matrix.MATRIX.values() for case in entries]
    targets = {case.target for case in all_cases} - {"none"}
    requests = (len(all_cases) + len(matrix.ADMIN_PAGES)) * len(matrix.ROLES)
    posts = sum(case.method == "POST" for case in all_cases)
    assert len(patterns) == len(matrix.MATRIX) + admin
    assert len(matrix.ROLES) == 11
    with capsys.disabled():
        print(
            f"\naccess matrix: {len(patterns)} URL patterns ({len(matrix.MATRIX)} with entries of their own, "
            f"{admin} admin/ patterns under one rule) x {len(matrix.ROLES)} roles x {len(targets)} objects "
            f"(in and out of scope, and missing): {len(all_cases)} cases ({posts} POST), {requests} requests"
        )


@pytest.mark.parametrize("pattern", list(matrix.MATRIX), ids=[f"{name or 'home'}" for _route, name in matrix.MATRIX])
def test_each_role_gets_the_answer_the_matrix_gives(db, world, pattern):
    route, name = pattern
    client = Client()
    wrong: list[str] = []
    for index, role in enumerate(matrix.ROLES):
        sign_in(client, world.people[role])
        for case in matrix.MATRIX[pattern]:
            expected = case.answers[index]
            got, unchanged = ask(client, world, route, name, case)
            label = f"{case.method} {case.target}{'?' + case.query if case.query else ''}{' htmx' if case.htmx else ''}"
            if not matches(expected, got):
                wrong.append(f"{role:14} {label}: expected {expected}, got {got}")
            elif case.method == "POST" and expected not in (matrix.YES, matrix.OK) and not unchanged:
                wrong.append(f"{role:14} {label}: refused ({got}) but the data changed")
    assert wrong == [], f"{name}:\n" + "\n".join(wrong)


def test_only_staff_open_the_admin_and_others_are_sent_to_sign_in(db, world):
    client = Client()
    wrong = []
    for role, expected in zip(matrix.ROLES, matrix.ADMIN_RULE, strict=True):
        sign_in(client, world.people[role])
        for name in matrix.ADMIN_PAGES:
            got = answer_of(client.get(reverse(name)))
            if not matches(expected, got):
                wrong.append(f"{role} {name}: expected {expected}, got {got}")
    assert wrong == []


# The programme's structure by scope, through the pages and the permission functions themselves (moved here from
# programmes/tests): kommunar, counties, rounds and frames in and out of one's county.

SCOPE_ROLES = ["coordinator_a", "officer", "decider", "ministry", "nobody"]

# Kommune A is Steinkjer; B is Levanger in the same county (Nord-Trøndelag); the other county is Møre og Romsdal.
SCOPE_TARGETS = {
    "kommune_own": ("page", "reporting:municipality", lambda: kommune("1702")),
    "kommune_same_county": ("page", "reporting:municipality", lambda: kommune("1719")),
    "kommune_other_county": ("page", "reporting:municipality", lambda: kommune("1504")),
    "county_own": ("page", "reporting:county", lambda: county("17")),
    "county_other": ("page", "reporting:county", lambda: county("15")),
    "round_own_county": ("page", "programmes:round_detail", lambda: MunicipalRoundFactory(county=county("17"))),
    "round_other_county": ("page", "programmes:round_detail", lambda: MunicipalRoundFactory(county=county("15"))),
    "round_change_own_county": ("change_round", None, lambda: MunicipalRoundFactory(county=county("17"))),
    "round_change_other_county": ("change_round", None, lambda: MunicipalRoundFactory(county=county("15"))),
    "frame_own_county": ("frame", None, lambda: CountyFrame.objects.get(county__number="17")),
    "frame_other_county": ("frame", None, lambda: CountyFrame.objects.get(county__number="15")),
}

#                         coordinator_a officer decider ministry nobody
SCOPE_EXPECTED = {
    "kommune_own":               (200, 200, 200, 200, 404),
    "kommune_same_county":       (404, 200, 200, 200, 404),
    "kommune_other_county":      (404, 404, 404, 200, 404),
    "county_own":                (404, 200, 200, 200, 404),
    "county_other":              (404, 404, 404, 200, 404),
    "round_own_county":          (200, 200, 200, 200, 404),
    "round_other_county":        (404, 404, 404, 200, 404),
    "round_change_own_county":   (403, 200, 403, 403, 404),
    "round_change_other_county": (404, 404, 404, 403, 404),
    "frame_own_county":          (404, 200, 200, 200, 404),
    "frame_other_county":        (404, 404, 404, 200, 404),
}  # fmt: skip


def outcome(function, *args, **kwargs) -> int:
    try:
        function(*args, **kwargs)
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


SCOPE_CELLS = [
    (role, target, SCOPE_EXPECTED[target][SCOPE_ROLES.index(role)]) for target in SCOPE_TARGETS for role in SCOPE_ROLES
]


@pytest.mark.parametrize(("role", "target", "expected"), SCOPE_CELLS, ids=[f"{r}-{t}" for r, t, _e in SCOPE_CELLS])
def test_dashboards_rounds_and_frames_answer_by_scope(request, client, role, target, expected):
    user = request.getfixturevalue(role)
    kind, url_name, make = SCOPE_TARGETS[target]
    obj = make()
    if kind == "page":
        client.force_login(user)
        assert client.get(reverse(url_name, args=[obj.pk])).status_code == expected
    elif kind == "change_round":
        assert outcome(permissions.get_round_for_user, user, obj.pk, write=True) == expected
    else:
        assert outcome(permissions.get_frame_for_user, user, obj.pk) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("ministry", 200), ("officer", 403), ("decider", 403), ("coordinator_a", 403), ("nobody", 403)],
)
def test_only_the_ministry_opens_the_national_overview(request, client, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("reporting:national")).status_code == expected


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("reporting:national", []),
        ("reporting:county", [1]),
        ("reporting:municipality", [1]),
        ("programmes:round_list", []),
        ("programmes:round_detail", [1]),
        ("start", []),
    ],
)
def test_anonymous_is_sent_to_login(client, db, url_name, args):
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_unknown_ids_answer_404_like_another_partys(client, ministry):
    client.force_login(ministry)
    assert client.get(reverse("reporting:county", args=[999_999])).status_code == 404
    assert client.get(reverse("reporting:municipality", args=[999_999])).status_code == 404


def test_lists_are_scoped(officer, coordinator_a, ministry, nobody):
    own, other = MunicipalRoundFactory(county=county("17")), MunicipalRoundFactory(county=county("15"))
    visible = {
        user: set(permissions.rounds_visible_to(user).values_list("pk", flat=True))
        for user in (officer, coordinator_a, ministry, nobody)
    }
    assert own.pk in visible[officer] and other.pk not in visible[officer]
    assert own.pk in visible[coordinator_a] and other.pk not in visible[coordinator_a]
    assert {own.pk, other.pk} <= visible[ministry]
    assert visible[nobody] == set()
    # Coordinators see their county's rounds, not the national start-up round; county staff see both.
    startup = CountyFrame.objects.get(county__number="17").funding_round_id
    assert startup in visible[officer] and startup not in visible[coordinator_a]

    assert set(permissions.counties_visible_to(officer).values_list("number", flat=True)) == {"17"}
    assert permissions.counties_visible_to(ministry).count() == 18 + 3 + 11  # every county authority, any year
    kommunar = permissions.municipalities_visible_to(officer)
    assert kommunar.filter(number="1702").exists() and not kommunar.filter(number="1504").exists()
    assert list(permissions.municipalities_visible_to(coordinator_a).values_list("number", flat=True)) == ["1702"]


def test_the_round_list_shows_only_what_the_person_may_see(client, officer):
    MunicipalRoundFactory(county=county("17"), name="Nord-Trøndelag 2011")
    MunicipalRoundFactory(county=county("15"), name="Møre og Romsdal 2011")
    client.force_login(officer)
    page = client.get(reverse("programmes:round_list")).content.decode()
    assert "Nord-Trøndelag 2011" in page and "Møre og Romsdal 2011" not in page


def test_an_inactive_membership_gives_no_access(client, officer):
    officer.memberships.update(is_active=False)
    client.force_login(officer)
    assert client.get(reverse("reporting:county", args=[county("17").pk])).status_code == 404

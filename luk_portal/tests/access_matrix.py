"""Who may open every URL of the portal: the access matrix that luk_portal/tests/test_access_matrix.py checks.

Every URL pattern the resolver knows has an entry here, keyed by its route and name; a pattern without one fails
the test, so a new page cannot be added without saying who may open it.

The rule for refusals:

- anonymous people are sent to sign in (LOGIN), except on the public pages;
- an object outside a person's scope answers 404, exactly as a missing object does, so ids reveal nothing;
- 403 only for an object the person may see but whose action their role (or the object's state) does not allow:
  a partner kommune's coordinator editing the lead kommune's application, a decision-maker taking a case, the
  ministry changing a county's round; and for the national dashboard, which is no one's object;
- a draft application never submitted is the kommune's own (its lead and partner kommunar): county staff and the
  ministry get 404 for it and its attachments until its first submission; one returned for changes stays theirs.

How to read an entry: `Case(method, target, answers)`, `answers` one per role in ROLES order. `target` names an
object of the test's world (see test_access_matrix.World): the URL's arguments are taken from it, and after a
refused POST the object (and the tables of the grant cycle) must be unchanged. `data` is the body of a POST
(a value "@name" stands for the id of the world's object `name`, "@upload" for a small PDF file),
`query` a query string, `htmx` sends `HX-Request: true`.

To add a page: add its pattern under its app below with a Case for each method it answers (GET and every POST),
against the objects it acts on, in and out of scope ("missing" for an id that does not exist).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = (
    "lead",  # coordinator of the application's lead kommune (Steinkjer)
    "partner",  # coordinator of a partner kommune named in the application (Levanger)
    "same_county",  # coordinator of another kommune in the same county (Verdal)
    "other_county",  # coordinator of a kommune in another county (Ålesund)
    "officer",  # case officer of the county (Nord-Trøndelag)
    "decider",  # decision-maker of the county
    "officer_other",  # case officer of another county (Møre og Romsdal)
    "decider_other",  # decision-maker of another county
    "ministry",  # ministry adviser
    "admin",  # superuser and staff, with no membership: Django admin only
    "anonymous",
)

OK = 200  # the page or file
LOGIN = "login"  # 302 to the sign-in page
YES = "yes"  # an allowed action: its page (200, a form with its messages) or a redirect that is not to sign-in
NO = 403
MISSING = 404
METHOD = 405
ADMIN_LOGIN = "admin_login"  # 302 to the admin's own sign-in page
ANY_LOGIN = "any_login"  # LOGIN or ADMIN_LOGIN


@dataclass(frozen=True)
class Case:
    method: str
    target: str
    answers: tuple[Any, ...]
    data: dict[str, Any] = field(default_factory=dict)
    query: str = ""
    htmx: bool = False

    def __post_init__(self) -> None:
        assert len(self.answers) == len(ROLES), f"{self.method} {self.target}: one answer per role"


def everyone(answer: Any, anonymous: Any = LOGIN) -> tuple[Any, ...]:
    """The same answer for every signed-in role."""
    return (answer,) * (len(ROLES) - 1) + (anonymous,)


NOBODY = everyone(MISSING)  # a missing object, or one no role here can open
NO_GET = everyone(METHOD)  # a POST-only address asked with GET

# Public pages, and the pages of one's own account: no object.
PUBLIC: dict[tuple[str, str], list[Case]] = {
    ("", "home"): [Case("GET", "none", everyone(YES, OK))],  # signed in: on to one's start page
    ("helse/", "health"): [Case("GET", "none", everyone(OK, OK))],
    ("i18n/setlang/", "set_language"): [Case("POST", "none", everyone(YES, YES), data={"language": "en"})],
    # One membership: on to its page; none (the admin): the page itself.
    ("start/", "start"): [Case("GET", "none", (YES, YES, YES, YES, YES, YES, YES, YES, YES, OK, LOGIN))],
    ("konto/okter/", "sessions"): [Case("GET", "none", everyone(OK)), Case("POST", "none", everyone(YES))],
}

COORDINATORS = ("lead", "partner", "same_county", "other_county")


def staff_and(answer: Any, coordinators: Any, anonymous: Any = LOGIN) -> tuple[Any, ...]:
    """`answer` for county, ministry and admin (who have an authenticator app), `coordinators` for those (who have
    none), `anonymous` for the anonymous."""
    return (*(coordinators if role in COORDINATORS else answer for role in ROLES[:-1]), anonymous)


GONE = [Case("GET", "none", everyone(MISSING, MISSING)), Case("POST", "none", everyone(MISSING, MISSING))]
GONE_KEY = [Case("GET", "email_key", everyone(MISSING, MISSING)), Case("POST", "email_key", everyone(MISSING, MISSING))]
PAGE_FOR_ANYONE = [Case("GET", "none", everyone(OK, OK)), Case("POST", "none", everyone(METHOD, METHOD))]
FORM_FOR_ANYONE = [Case("GET", "none", everyone(OK, OK)), Case("POST", "none", everyone(YES, YES))]
OWN_FORM = [Case("GET", "none", everyone(OK)), Case("POST", "none", everyone(YES))]
OWN_STEP = [Case("GET", "none", everyone(YES)), Case("POST", "none", everyone(YES))]
# No electronic-ID provider is configured for the matrix (accounts/tests/test_eid*.py have one): 404 for all.
NO_PROVIDER = [Case("GET", "eid", everyone(MISSING, MISSING)), Case("POST", "eid", everyone(MISSING, MISSING))]

# Sign-in, sign-out, passwords, second factors and electronic ID (django-allauth under konto/). The pages of
# allauth that the portal does not offer (sign-up, e-mail addresses, login by code) answer 404 for everyone: their
# unnamed patterns come first, and allauth's own under the same route are never reached.
SIGN_IN: dict[tuple[str, str], list[Case]] = {
    ("konto/^signup/$", ""): GONE,
    ("konto/^email/$", ""): GONE,
    ("konto/^confirm-email/$", ""): GONE,
    ("konto/^confirm-email/(?P<key>[-:\\w]+)/$", ""): GONE_KEY,
    ("konto/^login/code/confirm/$", ""): GONE,
    ("konto/^3rdparty/signup/$", ""): GONE,
    ("konto/signup/", "account_signup"): GONE,
    ("konto/email/", "account_email"): GONE,
    ("konto/confirm-email/", "account_email_verification_sent"): GONE,
    ("konto/^confirm-email/(?P<key>[-:\\w]+)/$", "account_confirm_email"): GONE_KEY,
    ("konto/login/code/confirm/", "account_confirm_login_code"): GONE,
    ("konto/3rdparty/signup/", "socialaccount_signup"): GONE,
    # Signed in: on to one's start page.
    ("konto/login/", "account_login"): [
        Case("GET", "none", everyone(YES, OK)),
        Case("POST", "none", everyone(YES, OK)),
    ],
    ("konto/logout/", "account_logout"): [
        Case("GET", "none", everyone(OK, YES)),
        Case("POST", "none", everyone(YES, YES)),
    ],
    ("konto/inactive/", "account_inactive"): PAGE_FOR_ANYONE,
    ("konto/reauthenticate/", "account_reauthenticate"): OWN_FORM,
    ("konto/password/change/", "account_change_password"): OWN_FORM,
    ("konto/password/set/", "account_set_password"): OWN_STEP,  # everyone has a password: on to changing it
    ("konto/password/reset/", "account_reset_password"): FORM_FOR_ANYONE,
    ("konto/password/reset/done/", "account_reset_password_done"): PAGE_FOR_ANYONE,
    ("konto/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$", "account_reset_password_from_key"): [
        Case("GET", "reset_key", everyone(OK, OK)),  # a key that is not valid: the page says so
        Case("POST", "reset_key", everyone(OK, OK)),
    ],
    ("konto/password/reset/key/done/", "account_reset_password_from_key_done"): PAGE_FOR_ANYONE,
    # One's own second factors. Coordinators have none (no app, no codes to show: 404); staff have an app.
    ("konto/2fa/", "mfa_index"): [Case("GET", "none", everyone(OK)), Case("POST", "none", everyone(METHOD))],
    ("konto/2fa/authenticate/", "mfa_authenticate"): OWN_STEP,  # no sign-in waiting for its code: back to sign in
    ("konto/2fa/reauthenticate/", "mfa_reauthenticate"): [
        Case("GET", "none", staff_and(OK, YES)),
        Case("POST", "none", staff_and(OK, YES)),
    ],
    ("konto/2fa/totp/activate/", "mfa_activate_totp"): OWN_STEP,  # staff: theirs is on; coordinators: confirm first
    ("konto/2fa/totp/deactivate/", "mfa_deactivate_totp"): [
        Case("GET", "none", staff_and(YES, MISSING)),
        Case("POST", "none", staff_and(YES, MISSING)),
    ],
    ("konto/2fa/recovery-codes/", "mfa_view_recovery_codes"): [
        Case("GET", "none", staff_and(YES, MISSING)),
        Case("POST", "none", everyone(METHOD)),
    ],
    ("konto/2fa/recovery-codes/generate/", "mfa_generate_recovery_codes"): OWN_STEP,
    ("konto/2fa/recovery-codes/download/", "mfa_download_recovery_codes"): [
        Case("GET", "none", staff_and(YES, MISSING)),
        Case("POST", "none", staff_and(YES, MISSING)),
    ],
    ("konto/3rdparty/login/cancelled/", "socialaccount_login_cancelled"): PAGE_FOR_ANYONE,
    ("konto/3rdparty/login/error/", "socialaccount_login_error"): [
        Case("GET", "none", everyone(401)),
        Case("POST", "none", everyone(METHOD)),
    ],
    ("konto/3rdparty/", "socialaccount_connections"): OWN_FORM,
    ("konto/eid/<str:provider_id>/login/", "eid_login"): NO_PROVIDER,
    ("konto/eid/<str:provider_id>/login/callback/", "eid_callback"): NO_PROVIDER,
}

# Django admin: one rule for every admin/ pattern (checked on the admin index and a list of cases): only staff
# open it; others signed in are sent to the admin's sign-in page, anonymous people to a sign-in page (the admin's
# for its index, the portal's for its other pages).
ADMIN_PREFIX = "admin/"
ADMIN_PAGES = ("admin:index", "admin:applications_application_changelist")
ADMIN_RULE = (ADMIN_LOGIN,) * 9 + (OK, ANY_LOGIN)

# Who sees an object; the rows of the tables below are made from them.
#            lead partner same_county other_county officer decider officer_other decider_other ministry admin anon
SEES_CASE = (OK, OK, MISSING, MISSING, OK, OK, MISSING, MISSING, OK, MISSING, LOGIN)  # a submitted application
KOMMUNE_ONLY = (OK, OK, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, LOGIN)  # a draft
SEES_PROJECT = SEES_CASE  # the lead and partner kommunar, the county's staff, the ministry
COUNTY_STAFF = (MISSING, MISSING, MISSING, MISSING, OK, OK, MISSING, MISSING, OK, MISSING, LOGIN)
PLAN_DRAFT = (MISSING, MISSING, MISSING, MISSING, OK, OK, MISSING, MISSING, MISSING, MISSING, LOGIN)  # the county's own
ROUND = (OK, OK, OK, MISSING, OK, OK, MISSING, MISSING, OK, MISSING, LOGIN)  # a municipal round of the county
# The other county's objects ("..._elsewhere": Ålesund's case, Møre og Romsdal's round and page).
ELSEWHERE = (MISSING, MISSING, MISSING, OK, MISSING, MISSING, OK, OK, OK, MISSING, LOGIN)
STAFF_ELSEWHERE = (MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, OK, OK, OK, MISSING, LOGIN)


def allow(answer: Any, *names: str, seen: tuple[Any, ...] = SEES_CASE) -> tuple[Any, ...]:
    """`answer` for the roles `names`; 403 for the other roles who see the object (`seen` gives them 200); for the
    rest, what `seen` gives (404, or LOGIN)."""
    return tuple(
        answer if role in names else (NO if seen_as == OK else seen_as)
        for role, seen_as in zip(ROLES, seen, strict=True)
    )


def refused(seen: tuple[Any, ...]) -> tuple[Any, ...]:
    """403 for everyone who sees the object (`seen` gives them 200): nobody may do this to it now."""
    return allow(None, seen=seen)


def a_list(file_format: str) -> list[Case]:
    """A list that everyone signed in opens, as a page and as a file."""
    return [Case("GET", "none", everyone(OK)), Case("GET", "none", everyone(OK), query=f"format={file_format}")]


def a_form(target: str, *names: str, data: dict[str, Any], seen: tuple[Any, ...] = SEES_CASE) -> list[Case]:
    """A form on `target` that the roles `names` open (GET) and send (POST); refused as `allow` says for the rest."""
    return [
        Case("GET", target, allow(OK, *names, seen=seen)),
        Case("POST", target, allow(YES, *names, seen=seen), data=data),
    ]


LEAD_EDITS = allow(OK, "lead", seen=KOMMUNE_ONLY)  # a draft: the lead edits, the partner sees it
LEAD_EDITS_POST = allow(YES, "lead", seen=KOMMUNE_ONLY)
SUBMITTED_LOCKED = refused(SEES_CASE)  # submitted: nobody edits it; those who see it get 403


def lead_changes(data: dict[str, Any] | None = None) -> list[Case]:
    """A change to the application (POST `data`): its lead kommune's while it is a draft or returned for changes;
    once submitted, nobody's."""
    data = data or {}
    return [
        Case("POST", "draft", LEAD_EDITS_POST, data=data),
        Case("POST", "submitted", SUBMITTED_LOCKED, data=data),
        Case("POST", "returned", allow(YES, "lead"), data=data),
    ]


RETURN = {"message": "Skriv meir om budsjettet."}
RECOMMEND = {"outcome": "approve", "amount": "250000", "reasons": "Godt prosjekt.", "conditions": "Rapport."}
DECIDE = {"outcome": "approve", "amount": "250000", "reasons": "Godt prosjekt.", "conditions": "Rapport."}
PLAN_ELSEWHERE = {"county": "@county_elsewhere"}
ROUND_FORM = {"name": "Ny runde", "budget": "1000000", "opens_at": "2026-01-01 08:00", "deadline": "2026-03-01 12:00"}

APPLICATIONS: dict[tuple[str, str], list[Case]] = {
    ("soknader/", "applications:list"): a_list("csv"),
    ("soknader/ny/", "applications:new"): [
        Case("GET", "none", (OK, OK, OK, OK, *(MISSING,) * 6, LOGIN)),
        Case("POST", "none", (YES, YES, YES, YES, *(MISSING,) * 6, LOGIN)),
    ],
    ("soknader/<int:pk>/", "applications:detail"): [
        Case("GET", "draft", KOMMUNE_ONLY),
        Case("GET", "submitted", SEES_CASE),
        Case("GET", "returned", SEES_CASE),
        Case("GET", "submitted_elsewhere", ELSEWHERE),
        Case("GET", "missing", NOBODY),
    ],
    ("soknader/<int:pk>/endre/", "applications:edit"): [
        Case("GET", "draft", LEAD_EDITS),
        Case("GET", "submitted", SUBMITTED_LOCKED),
        Case("GET", "returned", allow(OK, "lead")),
        Case("GET", "missing", NOBODY),
        *lead_changes({"title": "Endra"}),
        Case("POST", "submitted_elsewhere", refused(ELSEWHERE), data={"title": "Endra"}),
    ],
    ("soknader/<int:pk>/vedlegg/", "applications:attachment_upload"): [
        Case("GET", "draft", NO_GET),
        *lead_changes({"file": "@upload"}),
    ],
    ("soknader/<int:pk>/vedlegg/<int:attachment_pk>/", "applications:attachment_download"): [
        Case("GET", "draft", KOMMUNE_ONLY),
        Case("GET", "submitted", SEES_CASE),
        Case("GET", "submitted_elsewhere", ELSEWHERE),
        Case("GET", "missing", NOBODY),
    ],
    ("soknader/<int:pk>/vedlegg/<int:attachment_pk>/slett/", "applications:attachment_delete"): [
        Case("GET", "draft", NO_GET),
        *lead_changes(),
    ],
    ("soknader/<int:pk>/versjon/<int:number>/", "applications:version"): [
        Case("GET", "submitted", SEES_CASE),
        Case("GET", "returned", SEES_CASE),
        Case("GET", "missing", NOBODY),
    ],
    ("soknader/<int:pk>/ta/", "applications:take"): [
        Case("GET", "submitted", NO_GET),
        Case("POST", "submitted", allow(YES, "officer")),
        Case("POST", "draft", allow(NO, "lead", seen=KOMMUNE_ONLY)),
        Case("POST", "in_review", allow(NO, "officer")),
        Case("POST", "submitted_elsewhere", allow(YES, "officer_other", seen=ELSEWHERE)),
    ],
    ("soknader/<int:pk>/send-tilbake/", "applications:return"): [
        Case("GET", "in_review", allow(OK, "officer")),
        Case("GET", "submitted", allow(NO, "officer")),
        Case("POST", "in_review", allow(YES, "officer"), data=RETURN),
        Case("POST", "draft", allow(NO, "lead", seen=KOMMUNE_ONLY), data=RETURN),
    ],
    ("soknader/<int:pk>/innstilling/", "applications:recommend"): [
        *a_form("in_review", "officer", data=RECOMMEND),
        Case("POST", "recommended", allow(NO, "officer"), data=RECOMMEND),
    ],
    ("soknader/<int:pk>/vedtak/", "applications:decide"): [
        *a_form("recommended", "decider", data=DECIDE),
        Case("POST", "in_review", allow(NO, "decider"), data=DECIDE),
    ],
    ("soknader/<int:pk>/vedtaksbrev/", "applications:letter"): [
        Case("GET", "approved", SEES_CASE),
        Case("GET", "submitted", NOBODY),  # no decision yet
        Case("GET", "submitted_elsewhere", NOBODY),
        Case("GET", "missing", NOBODY),
    ],
    ("fylkesplanar/", "applications:plan_list"): [Case("GET", "none", everyone(OK))],
    ("fylkesplanar/ny/", "applications:plan_new"): [
        Case("GET", "county", NO_GET),
        Case("POST", "county", (*(MISSING,) * 4, YES, YES, *(MISSING,) * 4, LOGIN), data={"county": "@county"}),
        Case("POST", "county_elsewhere", (*(MISSING,) * 6, YES, YES, *(MISSING,) * 2, LOGIN), data=PLAN_ELSEWHERE),
    ],
    ("fylkesplanar/<int:pk>/", "applications:plan_detail"): [
        Case("GET", "plan_draft", PLAN_DRAFT),
        Case("GET", "plan_submitted", COUNTY_STAFF),
        Case("GET", "missing", NOBODY),
    ],
    ("fylkesplanar/<int:pk>/endre/", "applications:plan_edit"): [
        Case("GET", "plan_draft", PLAN_DRAFT),
        Case("GET", "plan_submitted", refused(COUNTY_STAFF)),
        Case("POST", "plan_draft", allow(YES, "officer", "decider", seen=PLAN_DRAFT), data={"title": "Ny"}),
        Case("POST", "plan_submitted", refused(COUNTY_STAFF), data={"title": "Ny"}),
    ],
    ("fylkesplanar/<int:pk>/avgjer/", "applications:plan_decide"): [
        Case("GET", "plan_submitted", NO_GET),
        Case("POST", "plan_submitted", allow(YES, "ministry", seen=COUNTY_STAFF), data={"decision": "approve"}),
        Case("POST", "plan_draft", refused(PLAN_DRAFT), data={"decision": "approve"}),
    ],
}

PAYMENT = {"amount": "10000", "report": "@report_submitted"}
CHANGE = {"kind": "extend", "reasons": "Treng meir tid.", "new_period_end": "30.06.2028"}

PROJECTS: dict[tuple[str, str], list[Case]] = {
    ("prosjekt/", "applications:project_list"): a_list("xlsx"),
    ("prosjekt/<int:pk>/", "applications:project_detail"): [
        Case("GET", "project", SEES_PROJECT),
        Case("GET", "project_elsewhere", ELSEWHERE),
        Case("GET", "missing", NOBODY),
    ],
    ("prosjekt/<int:pk>/plan/", "applications:project_plan"): [
        *a_form("project", "lead", "officer", data={"milestones-TOTAL_FORMS": "0"}),
        Case("GET", "project_elsewhere", allow(OK, "other_county", "officer_other", seen=ELSEWHERE)),
    ],
    ("prosjekt/<int:pk>/rapportering/", "applications:project_schedule"): a_form(
        "project", "officer", data={"mode": "every", "every_months": "6"}
    ),
    ("prosjekt/<int:pk>/rapport/ny/", "applications:report_new"): [
        Case("GET", "project", NO_GET),
        Case("POST", "project", allow(YES, "lead"), data={"final": "1"}),
    ],
    ("prosjekt/<int:pk>/utbetaling/ny/", "applications:payment_new"): a_form("project", "lead", data=PAYMENT),
    ("prosjekt/<int:pk>/endring/ny/", "applications:change_new"): a_form("project", "lead", data=CHANGE),
    ("prosjekt/<int:pk>/avslutt/", "applications:project_close"): a_form(
        "project", "officer", "decider", data={"comment": "Ferdig."}
    ),
    ("prosjekt/<int:pk>/avbryt/", "applications:project_cancel"): a_form(
        "project", "officer", "decider", data={"reasons": "Stoppa."}
    ),
    ("rapportar/", "applications:report_list"): a_list("csv"),
    ("rapportar/<int:pk>/", "applications:report_detail"): [
        Case("GET", "report_submitted", SEES_PROJECT),
        Case("GET", "report_draft", SEES_PROJECT),
        Case("GET", "missing", NOBODY),
    ],
    ("rapportar/<int:pk>/endre/", "applications:report_edit"): [
        Case("GET", "report_draft", allow(OK, "lead")),
        Case("GET", "report_submitted", allow(NO, "lead")),
        Case("POST", "report_draft", allow(YES, "lead"), data={"activities": "Endra."}),
        Case("POST", "report_submitted", allow(NO, "lead"), data={"activities": "Endra."}),
    ],
    ("rapportar/<int:pk>/avgjer/", "applications:report_decide"): [
        Case("GET", "report_submitted", NO_GET),
        Case("POST", "report_submitted", allow(YES, "officer"), data={"decision": "approve"}),
        Case("POST", "report_draft", allow(NO, "officer"), data={"decision": "approve"}),
    ],
    ("rapportar/<int:pk>/vedlegg/", "applications:report_attachment_upload"): [
        Case("GET", "report_draft", NO_GET),
        Case("POST", "report_draft", allow(YES, "lead"), data={"file": "@upload"}),
        Case("POST", "report_submitted", allow(NO, "lead"), data={"file": "@upload"}),
    ],
    ("rapportar/<int:pk>/vedlegg/<int:attachment_pk>/", "applications:report_attachment_download"): [
        Case("GET", "report_draft", SEES_PROJECT),
        Case("GET", "missing", NOBODY),
    ],
    ("utbetalingar/", "applications:payment_register"): a_list("csv"),
    ("utbetalingar/<int:pk>/avgjer/", "applications:payment_decide"): [
        *a_form("payment", "officer", data={"decision": "approve", "reasons": ""}),
        Case("GET", "missing", NOBODY),
    ],
    ("endringar/<int:pk>/avgjer/", "applications:change_decide"): [
        *a_form("change", "officer", data={"decision": "approve", "comment": ""}),
        Case("GET", "missing", NOBODY),
    ],
}

PROGRAMMES: dict[tuple[str, str], list[Case]] = {
    ("utlysingar/", "programmes:round_list"): [Case("GET", "none", everyone(OK))],
    ("utlysingar/<int:pk>/", "programmes:round_detail"): [
        Case("GET", "round", ROUND),
        Case("GET", "round_elsewhere", ELSEWHERE),
        Case("GET", "missing", NOBODY),
    ],
    ("utlysingar/<int:pk>/endre/", "programmes:round_edit"): [
        *a_form("round", "officer", seen=ROUND, data=ROUND_FORM),
        Case("POST", "round_elsewhere", allow(YES, "officer_other", seen=ELSEWHERE), data=ROUND_FORM),
    ],
    ("fylke/<int:county_pk>/ny-utlysing/", "programmes:round_new"): [
        *a_form("county", "officer", seen=COUNTY_STAFF, data=ROUND_FORM),
        Case("POST", "county_elsewhere", allow(YES, "officer_other", seen=STAFF_ELSEWHERE), data=ROUND_FORM),
        Case("GET", "missing", NOBODY),
    ],
}

NOT_MINISTRY = (NO,) * 8 + (OK, NO, LOGIN)
ASK_COUNTY = {"kind": "county", "target": "@county", "language": "nn"}
ASK_ELSEWHERE = {"kind": "county", "target": "@county_elsewhere", "language": "nn"}
ASK_PROJECT = {"kind": "project", "target": "@project", "language": "nn"}
REPORTING: dict[tuple[str, str], list[Case]] = {
    ("departement/", "reporting:national"): [
        Case("GET", "none", NOT_MINISTRY),
        Case("GET", "none", NOT_MINISTRY, query="table=counties&format=csv"),
    ],
    ("fylke/<int:pk>/", "reporting:county"): [
        Case("GET", "county", COUNTY_STAFF),
        Case("GET", "county", COUNTY_STAFF, query="table=kommunar&format=xlsx"),
        Case("GET", "county_elsewhere", STAFF_ELSEWHERE),
        Case("GET", "missing", NOBODY),
    ],
    ("kommune/<int:pk>/", "reporting:municipality"): [
        Case("GET", "municipality", (OK, MISSING, MISSING, MISSING, OK, OK, MISSING, MISSING, OK, MISSING, LOGIN)),
        Case("GET", "municipality_elsewhere", ELSEWHERE),
        Case("GET", "missing", NOBODY),
    ],
    ("pdf-rapportar/", "reporting:jobs"): [Case("GET", "none", everyone(OK))],
    ("pdf-rapportar/bestill/", "reporting:ask"): [
        Case("GET", "none", NO_GET),
        Case("POST", "county", allow(YES, "officer", "decider", "ministry", seen=COUNTY_STAFF), data=ASK_COUNTY),
        Case(
            "POST",
            "county_elsewhere",
            allow(YES, "officer_other", "decider_other", "ministry", seen=STAFF_ELSEWHERE),
            data=ASK_ELSEWHERE,
        ),
        Case("POST", "project", allow(YES, "lead", "partner", "officer", "decider", "ministry"), data=ASK_PROJECT),
        Case("POST", "none", (NO,) * 8 + (YES, NO, LOGIN), data={"kind": "national", "language": "nn"}),
    ],
    ("pdf-rapportar/<int:pk>/", "reporting:job"): [
        Case("GET", "job_county", COUNTY_STAFF),
        Case("GET", "job_county", COUNTY_STAFF, htmx=True),
        Case("GET", "job_project", SEES_PROJECT),
        Case("GET", "export_lead", (OK, *(MISSING,) * 9, LOGIN)),
        Case("GET", "missing", NOBODY),
    ],
    ("pdf-rapportar/<int:pk>/fil/", "reporting:job_file"): [
        Case("GET", "job_county", COUNTY_STAFF),
        Case("GET", "job_project", SEES_PROJECT),
        Case("GET", "export_lead", NOBODY),  # an export's file has its own address
    ],
    ("eksport/bestill/", "reporting:export_ask"): [
        Case("GET", "none", NO_GET),
        Case("POST", "none", everyone(YES), data={"list_name": "applications", "file_format": "csv", "query": ""}),
    ],
    ("eksport/<int:pk>/fil/", "reporting:export_file"): [
        Case("GET", "export_lead", (OK, *(MISSING,) * 9, LOGIN)),
        Case("GET", "job_county", NOBODY),  # a report's file is not an export
    ],
}

MATRIX: dict[tuple[str, str], list[Case]] = {
    **PUBLIC,
    **SIGN_IN,
    **PROGRAMMES,
    **APPLICATIONS,
    **PROJECTS,
    **REPORTING,
}

"""Every page of the grant cycle: the allowed role succeeds, others get 404 (not theirs) or 403 (theirs to see,
not to change), anonymous is sent to login, and a wrong method is 405."""

import pytest
from django.urls import reverse

from applications.models import Application, CountyPlan
from applications.tests import factories
from conftest import county, kommune

# Named here so the tests that fetch people by name run before the transactional ones, which empty the
# database afterwards.
pytestmark = pytest.mark.django_db

PEOPLE = factories.PEOPLE


def status_for(client, user, method, url, data=None):
    client.force_login(user)
    response = client.get(url) if method == "get" else client.post(url, data or {})
    return response.status_code


#                    coord_a coord_b(partner) coord_other officer decider officer_other ministry nobody
DETAIL = (200, 200, 404, 200, 200, 404, 200, 404)
EDIT_DRAFT = (200, 403, 404, 403, 403, 404, 403, 404)

# A case the county has had and returned for changes: the kommune edits it, the county still sees it. (A draft
# never submitted is the kommune's own: applications/tests/test_drafts.py.)


@pytest.mark.parametrize(("role", "expected"), list(zip(PEOPLE, DETAIL, strict=True)))
def test_case_page_access(request, client, returned, role, expected):
    url = reverse("applications:detail", args=[returned.pk])
    assert status_for(client, request.getfixturevalue(role), "get", url) == expected


@pytest.mark.parametrize(("role", "expected"), list(zip(PEOPLE, EDIT_DRAFT, strict=True)))
def test_edit_page_access(request, client, returned, role, expected):
    url = reverse("applications:edit", args=[returned.pk])
    assert status_for(client, request.getfixturevalue(role), "get", url) == expected


def test_the_case_list_shows_only_what_the_person_may_see(
    client, returned, officer, officer_other_county, coordinator_b
):
    for user, sees in [(officer, True), (officer_other_county, False), (coordinator_b, True)]:
        client.force_login(user)
        page = client.get(reverse("applications:list")).content.decode()
        assert (returned.title in page) is sees, user


def test_the_list_filters_by_status_and_searches_titles(client, draft, submitted, officer):
    client.force_login(officer)
    page = client.get(reverse("applications:list"), {"status": "submitted"}).content.decode()
    assert draft.title in page
    page = client.get(reverse("applications:list"), {"status": "approved"}).content.decode()
    assert draft.title not in page
    page = client.get(reverse("applications:list"), {"q": "steinkjer"}).content.decode()
    assert draft.title in page
    page = client.get(reverse("applications:list"), {"q": "nothing like it"}).content.decode()
    assert draft.title not in page


@pytest.mark.parametrize(
    ("role", "expected"),
    [("officer", 302), ("decider", 403), ("coordinator_a", 403), ("ministry", 403), ("officer_other_county", 404)],
)
def test_taking_a_case(request, client, submitted, role, expected):
    url = reverse("applications:take", args=[submitted.pk])
    assert status_for(client, request.getfixturevalue(role), "post", url) == expected
    submitted.refresh_from_db()
    assert (submitted.status == Application.Status.IN_REVIEW) is (expected == 302)


def test_taking_is_a_post(client, submitted, officer):
    client.force_login(officer)
    assert client.get(reverse("applications:take", args=[submitted.pk])).status_code == 405


@pytest.mark.parametrize("name", ["return", "recommend"])
@pytest.mark.parametrize(
    ("role", "expected"), [("officer", 200), ("decider", 403), ("coordinator_a", 403), ("officer_other_county", 404)]
)
def test_review_pages(request, client, in_review, name, role, expected):
    url = reverse(f"applications:{name}", args=[in_review.pk])
    assert status_for(client, request.getfixturevalue(role), "get", url) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("decider", 200), ("officer", 403), ("coordinator_a", 403), ("decider_other_county", 404), ("ministry", 403)],
)
def test_decision_page(request, client, recommended, role, expected):
    url = reverse("applications:decide", args=[recommended.pk])
    assert status_for(client, request.getfixturevalue(role), "get", url) == expected


def test_returning_without_a_message_says_so_and_changes_nothing(client, in_review, officer):
    client.force_login(officer)
    response = client.post(reverse("applications:return", args=[in_review.pk]), {"message": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["message"]
    in_review.refresh_from_db()
    assert in_review.status == Application.Status.IN_REVIEW


def test_a_decision_above_the_free_frame_is_refused_beside_the_amount(client, recommended, decider):
    from programmes.models import CountyAccount

    # Test set-up: most of the county's frame is already granted elsewhere.
    CountyAccount.objects.filter(county=county("17")).update(granted=800_000)
    client.force_login(decider)
    client.cookies["luk_language"] = "en"
    response = client.post(
        reverse("applications:decide", args=[recommended.pk]),
        {"outcome": "approve", "amount": "250 000", "reasons": "Godt prosjekt"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "free frame" in " ".join(form.errors["amount"])
    assert form["reasons"].value() == "Godt prosjekt"
    recommended.refresh_from_db()
    assert recommended.status == Application.Status.RECOMMENDED
    assert CountyAccount.objects.get(county=county("17")).granted == 800_000


def test_the_decision_maker_approves_through_the_page(
    client, recommended, decider, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(decider)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("applications:decide", args=[recommended.pk]),
            {"outcome": "approve", "amount": "250 000", "reasons": "Godt prosjekt", "conditions": "Rapport"},
        )
    assert response.status_code == 302
    recommended.refresh_from_db()
    assert recommended.status == Application.Status.APPROVED
    assert recommended.decision.amount == 250_000
    page = client.get(reverse("applications:detail", args=[recommended.pk])).content.decode()
    assert "250\u00a0000\u00a0kr" in page
    letter = client.get(reverse("applications:letter", args=[recommended.pk]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"


def test_the_recommendation_is_hidden_from_the_kommune_until_decided(client, recommended, coordinator_a, officer):
    url = reverse("applications:detail", args=[recommended.pk])
    client.cookies["luk_language"] = "en"
    client.force_login(officer)
    assert "Recommends" in client.get(url).content.decode()
    client.force_login(coordinator_a)
    response = client.get(url)
    assert response.context["can_see_recommendation"] is False
    assert "Recommends" not in response.content.decode()


def test_an_attachment_is_served_only_to_those_who_see_the_case(
    client, draft, coordinator_a, officer, officer_other_county
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator_a)
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n", content_type="application/pdf")
    response = client.post(reverse("applications:attachment_upload", args=[draft.pk]), {"file": upload})
    assert response.status_code == 302
    attachment = draft.attachments.get()
    url = reverse("applications:attachment_download", args=[draft.pk, attachment.pk])
    assert client.get(url).status_code == 200
    factories.submit(draft, by=coordinator_a)  # the county sees the case, and its attachments, once submitted
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(officer_other_county)
    assert client.get(url).status_code == 404
    assert not attachment.file.url.startswith("/static/")


def test_a_wrong_file_gets_a_message_beside_the_field(client, draft, coordinator_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator_a)
    client.cookies["luk_language"] = "en"
    upload = SimpleUploadedFile("plan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="application/pdf")
    response = client.post(reverse("applications:attachment_upload", args=[draft.pk]), {"file": upload})
    assert response.status_code == 400
    assert "is not a PDF file" in " ".join(response.context["attachment_form"].errors["file"])
    assert not draft.attachments.exists()


@pytest.mark.parametrize(
    "name",
    ["list", "new"],
)
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(f"applications:{name}"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_anonymous_is_sent_to_login_from_a_case(client, draft):
    for name in ("detail", "edit", "recommend", "decide", "letter"):
        response = client.get(reverse(f"applications:{name}", args=[draft.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), name


def test_a_coordinator_starts_an_application_in_an_open_round(client, coordinator_a, nt_round):
    client.force_login(coordinator_a)
    response = client.get(reverse("applications:new"))
    assert nt_round.name in response.content.decode()
    response = client.post(
        reverse("applications:new"),
        {"funding_round": nt_round.pk, "lead_municipality": kommune("1702").pk, "title": "Nytt prosjekt"},
    )
    application = Application.objects.get(title="Nytt prosjekt")
    assert response.url == reverse("applications:edit", args=[application.pk])
    assert application.events.get().action == "created"


def test_county_staff_cannot_start_applications(client, officer):
    client.force_login(officer)
    assert client.get(reverse("applications:new")).status_code == 404


# County plans


@pytest.fixture
def submitted_plan(officer):
    return factories.plan_submitted(by=officer, county=county("17"), municipality=kommune("1702"))


@pytest.mark.parametrize(
    ("role", "expected"),
    [("officer", 200), ("decider", 200), ("ministry", 200), ("officer_other_county", 404), ("coordinator_a", 404)],
)
def test_plan_page_access(request, client, submitted_plan, role, expected):
    url = reverse("applications:plan_detail", args=[submitted_plan.pk])
    assert status_for(client, request.getfixturevalue(role), "get", url) == expected


def test_the_ministry_approves_a_plan_and_the_county_gets_a_frame(client, submitted_plan, ministry):
    from programmes.models import CountyAccount

    client.force_login(ministry)
    response = client.post(
        reverse("applications:plan_decide", args=[submitted_plan.pk]), {"decision": "approve", "amount": "2 500 000"}
    )
    assert response.status_code == 302
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == CountyPlan.Status.APPROVED
    assert CountyAccount.objects.get(county=county("17")).framed == 3_500_000


@pytest.mark.parametrize(("role", "expected"), [("officer", 403), ("officer_other_county", 404)])
def test_only_the_ministry_decides_plans(request, client, submitted_plan, role, expected):
    url = reverse("applications:plan_decide", args=[submitted_plan.pk])
    assert (
        status_for(client, request.getfixturevalue(role), "post", url, {"decision": "approve", "amount": "1"})
        == expected
    )


def test_a_plan_returned_without_a_message_is_refused_on_the_page(client, submitted_plan, ministry):
    client.force_login(ministry)
    response = client.post(
        reverse("applications:plan_decide", args=[submitted_plan.pk]), {"decision": "return", "message": ""}
    )
    assert response.status_code == 400
    assert response.context["return_form"].errors["message"]


# Rounds


@pytest.mark.parametrize(
    ("role", "expected"),
    [("officer", 200), ("decider", 403), ("ministry", 403), ("officer_other_county", 404), ("coordinator_a", 404)],
)
def test_opening_a_round_is_for_the_countys_case_officers(request, client, role, expected):
    user = request.getfixturevalue(role)
    url = reverse("programmes:round_new", args=[county("17").pk])
    assert status_for(client, user, "get", url) == expected


def test_a_case_officer_opens_a_round(client, officer):
    from programmes.models import FundingRound

    client.force_login(officer)
    response = client.post(
        reverse("programmes:round_new", args=[county("17").pk]),
        {
            "name": "Utlysing 2011",
            "description": "Søk no",
            "budget": "2 000 000",
            "opens_at": "2026-01-01T08:00",
            "deadline": "2026-03-01T12:00",
        },
    )
    assert response.status_code == 302
    funding_round = FundingRound.objects.get(name="Utlysing 2011")
    assert (funding_round.budget, funding_round.county.number) == (2_000_000, "17")


def test_a_round_whose_deadline_comes_first_is_refused_beside_the_field(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("programmes:round_new", args=[county("17").pk]),
        {"name": "Feil", "budget": "abc", "opens_at": "2026-03-01T08:00", "deadline": "2026-01-01T12:00"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["deadline"] and form.errors["budget"]
    assert form["name"].value() == "Feil"

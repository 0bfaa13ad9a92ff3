from django.test import Client
from django.urls import reverse

from accounts.models import SignInEvent
from conftest import sign_in
from programmes.tests.factories import TEST_PASSWORD


def log_in(client, username, ip, agent):
    response = sign_in(client, username, TEST_PASSWORD, REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    assert response.status_code == 302


def test_the_page_lists_the_persons_sessions_and_recent_sign_ins(client, officer, decider):
    log_in(Client(), officer.username, "10.4.0.1", "Firefox on the office PC")
    log_in(Client(), decider.username, "10.4.0.9", "Someone else's phone")
    log_in(client, officer.username, "10.4.0.2", "Chromium on a laptop")
    response = client.get(reverse("sessions"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Firefox on the office PC" in page and "10.4.0.1" in page
    assert "Chromium on a laptop" in page and "10.4.0.2" in page
    assert "Someone else" not in page and "10.4.0.9" not in page
    assert [s["current"] for s in response.context["sessions"]] == [True, False]
    assert [e.kind for e in response.context["events"]] == ["login", "login"]


def test_ending_the_other_sessions_signs_the_other_client_out(client, officer):
    other = Client()
    log_in(other, officer.username, "10.4.1.1", "Firefox")
    log_in(client, officer.username, "10.4.1.2", "Chromium")
    assert other.get(reverse("sessions")).status_code == 200
    response = client.post(reverse("sessions"), REMOTE_ADDR="10.4.1.2")
    assert response.status_code == 302 and response.url == reverse("sessions")
    assert client.get(reverse("sessions")).status_code == 200  # this one stays
    assert other.get(reverse("sessions")).url.startswith(reverse("account_login"))  # the other is signed out
    event = SignInEvent.objects.get(kind="sessions_ended")
    assert (event.user, event.ip_address, event.detail) == (officer, "10.4.1.2", "1")


def test_the_page_needs_sign_in_and_refuses_other_methods(client, officer):
    assert client.get(reverse("sessions")).url.startswith(reverse("account_login"))
    client.force_login(officer)
    assert client.put(reverse("sessions")).status_code == 405

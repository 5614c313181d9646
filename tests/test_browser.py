"""The whole journey of a city staff member in a real browser (Playwright, Debian's Chromium)."""

import re
import shutil

import pytest
from django.core import mail

from exchanges.models import ExchangeMeeting, Registration, RegistrationStatus, Role

from . import factories

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


def test_sign_up_verify_register_see_it_in_my_meetings_and_cancel(page, live_server, settings):
    settings.SITE_URL = live_server.url
    meeting = factories.MeetingFactory(title="National exchange in Bydgoszcz", capacity=20)
    membership = factories.MembershipFactory(network=meeting.network, role=Role.ENGAGED)
    factories.ContactFactory(city=membership.city, email="ewa.nowak@sztum.example")

    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("ewa.nowak@sztum.example")
    page.get_by_label("Password:", exact=True).fill("a sturdy passphrase 2026")
    page.get_by_label("Password (again)").fill("a sturdy passphrase 2026")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.get_by_role("button", name="Confirm").click()

    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register").click()
    page.get_by_text("You are registered.").wait_for()

    page.get_by_role("link", name="My meetings").first.click()
    row = page.get_by_role("row", name=re.compile("National exchange in Bydgoszcz"))
    assert "Confirmed" in row.inner_text()

    row.get_by_role("link", name="Cancel").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.get_by_text("Your registration has been cancelled.").wait_for()

    assert Registration.objects.get().status == RegistrationStatus.CANCELLED


@pytest.fixture
def demo_logins(live_server, settings):
    """The demo as `make run` loads it, and the logins it prints."""
    import io

    from django.core.management import call_command

    settings.SITE_URL = live_server.url
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    password = re.search(r"\(password (\S+)\):", out.getvalue()).group(1)
    return password, re.findall(r"^  (\S+@\S+)  ", out.getvalue(), flags=re.MULTILINE)


def sign_in(page, live_server, email, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_every_printed_demo_login_reaches_its_landing_page(page, live_server, demo_logins):
    password, emails = demo_logins
    headings = {}
    for email in emails:
        sign_in(page, live_server, email, password)
        headings[email] = (page.url.removeprefix(live_server.url), page.locator("h1").inner_text())
        page.context.clear_cookies()

    assert headings["admin@multiply.example"][0] == "/admin/"
    assert headings["katarzyna.wisniewska@minsk-mazowiecki.example"] == (
        "/me/meetings/",
        "My meetings",
    )
    assert headings["magdalena.kaminska@ostroleka.example"][0] == "/me/meetings/"
    assert headings["poland@pnec.example"][0] == "/admin/"
    assert headings["partner@pnec.example"][0] == "/"
    assert len(emails) == 5


def test_a_demo_city_staff_member_registers_and_joins_a_waiting_list(
    page, live_server, demo_logins
):
    password, _emails = demo_logins
    sign_in(page, live_server, "katarzyna.wisniewska@minsk-mazowiecki.example", password)

    page.goto(f"{live_server.url}/meetings/")
    page.get_by_role("link", name="National exchange 2 (Poland): Open session in Sztum").click()
    # Exchange 2 asks two required questions: her dietary needs and the coach to the site visit.
    page.get_by_label("None", exact=True).check()
    coach = page.get_by_role("group", name=re.compile("site visit by coach"))
    coach.get_by_label("No", exact=True).check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register").click()
    page.get_by_text("You are registered.").wait_for()

    page.goto(f"{live_server.url}/meetings/")
    page.get_by_role("link", name="National exchange 3 (Poland): Participation in Piastów").click()
    page.get_by_text("The meeting is full; if you register, you join the waiting list.").wait_for()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Join the waiting list").click()
    page.get_by_text("You are number 4 on the waiting list.", exact=True).wait_for()

    page.get_by_role("link", name="My meetings").first.click()
    sztum = page.get_by_role("row", name=re.compile("Open session in Sztum"))
    piastow = page.get_by_role("row", name=re.compile("Participation in Piastów"))
    assert "Confirmed" in sztum.inner_text()
    assert "waiting list" in piastow.inner_text().lower()


def test_the_polish_national_coordinator_works_in_polands_network_only(
    page, live_server, demo_logins
):
    password, _emails = demo_logins
    sign_in(page, live_server, "poland@pnec.example", password)
    assert page.url == f"{live_server.url}/admin/"

    page.goto(f"{live_server.url}/admin/exchanges/exchangemeeting/")
    titles = page.locator("#result_list tbody th a").all_inner_texts()
    assert titles and all("(Poland)" in title for title in titles), titles

    page.goto(f"{live_server.url}/admin/cities/contact/")
    contacts = page.locator("#result_list tbody tr").all_inner_texts()
    assert contacts and all("Poland" in row or ".example" in row for row in contacts)
    assert not any("helsingborg" in row.lower() for row in contacts)

    sweden = ExchangeMeeting.objects.get(
        programme__slug="exchange-2027", network__country__code="SE"
    )
    response = page.goto(f"{live_server.url}/admin/exchanges/exchangemeeting/{sweden.pk}/change/")
    assert response.status == 404

    # The membership form picks its city by autocomplete: ask it as the form's widget does.
    def city_choices(term):
        query = f"app_label=exchanges&model_name=membership&field_name=city&term={term}"
        answer = page.request.get(f"{live_server.url}/admin/autocomplete/?{query}")
        return [result["text"] for result in answer.json()["results"]]

    assert city_choices("Bydgoszcz") == ["Bydgoszcz"]
    assert city_choices("Helsingborg") == []
    assert city_choices("Turku") == []

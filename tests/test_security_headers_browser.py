"""The Content-Security-Policy breaks no page (issue 15, item 9), in a real browser (Playwright,
Debian's Chromium): a refused script or style fails silently, so a coordinator walks through the
pages that carry scripts or moved styles and the browser reports no violation, the pages' own
scripts and stylesheets still act, and the e-mail preview keeps its inline styles."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone

from access.models import Role, RoleKind
from exchanges.models import Registration

from . import factories
from .test_checkin_browser import CHROMIUM, PASSWORD, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
    ),
]

# Chromium logs a refusal to the console; the event also reaches the page's own listeners.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture
def scene():
    """MULTIPLY's exchange in Poland in March 2021, attended; its coordinator, who signs in with
    a password."""
    multiply = factories.ProgrammeFactory(slug="multiply", name="MULTIPLY")
    poland = factories.CountryFactory(code="PL", name="Poland")
    network = factories.NetworkFactory(programme=multiply, country=poland)
    start = dt.datetime(2021, 3, 10, 10, tzinfo=BRUSSELS)
    meeting = factories.MeetingFactory(
        network=network, title="Energy planning", start=start, end=start + dt.timedelta(hours=6)
    )
    for name in ("Anna", "Sven"):
        Registration.objects.create(
            meeting=meeting,
            contact=factories.ContactFactory(city__country=poland, first_name=name),
            status="attended",
            privacy_consent_at=timezone.now(),
        )
    coordinator = factories.UserFactory(email="olga@programme.example")
    coordinator.set_password(PASSWORD)
    coordinator.save()
    Role.objects.create(user=coordinator, kind=RoleKind.PROGRAMME_COORDINATOR, programme=multiply)
    return meeting, coordinator


def watch(page) -> list[str]:
    """The console's reports of refused content, from now on, in every frame."""
    refused = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "CSP violation" in message.text
            else None
        ),
    )
    return refused


def style(locator, prop: str) -> str:
    return locator.evaluate(f"(element) => getComputedStyle(element).{prop}")


def test_a_coordinators_pages_run_their_scripts_and_styles_under_the_policy(
    page, live_server, scene
):
    meeting, coordinator = scene
    refused = watch(page)

    page.goto(f"{live_server.url}/")
    assert page.get_by_role("link", name="Programmes").is_visible()
    sign_in(page, live_server, coordinator.email)

    # The report's chart shrinks to a phone's width by a class (static/css/multiply.css).
    page.goto(
        f"{live_server.url}/reports/attendance/"
        "?programme=multiply&date_from=2021-01-01&date_to=2021-12-31"
    )
    assert style(page.locator("svg.chart-fluid"), "maxWidth") == "100%"

    # The check-in scanner's script runs, and the page may film but not listen.
    page.goto(f"{live_server.url}/manage/meetings/{meeting.pk}/check-in/")
    page.locator("#camera-start").wait_for()  # shown by static/js/check-in.js
    assert style(page.locator("#camera"), "objectFit") == "cover"
    allows = "(feature) => document.featurePolicy.allowsFeature(feature)"
    assert page.evaluate(allows, "camera") is True
    assert page.evaluate(allows, "microphone") is False
    assert page.evaluate(allows, "geolocation") is False

    # The admin's own scripts: a meeting's languages as tabs (jQuery UI) and its pickers.
    page.goto(f"{live_server.url}/admin/exchanges/exchangemeeting/{meeting.pk}/change/")
    page.locator(".ui-tabs").first.wait_for()
    page.locator(".select2-container").first.wait_for()

    # A message's preview: the placeholders beside the text, the e-mail styled as it is sent.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Message templates").first.click()
    page.get_by_role("link", name=re.compile("English: default")).first.click()
    assert style(page.locator(".template-editor"), "display") == "flex"
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name=re.compile("Preview")).wait_for()
    body = page.frame_locator("#preview iframe").locator("body")
    assert style(body, "fontFamily") == "sans-serif"  # the e-mail's style attribute

    assert refused == []

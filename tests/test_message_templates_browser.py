"""A programme coordinator rewrites the Polish invitation in a real browser (Playwright, Debian's
Chromium): signs in through the real page, opens the invitation in Polish from the overview,
adds a sentence, previews it for a real recipient, saves, and the next Polish invitation of the
programme carries it (issue 14, item 5)."""

import re

import pytest

from access.models import Role, RoleKind
from exchanges.invitations import invitations_send
from exchanges.models import Role as CityRole
from notifications.kinds import KINDS
from notifications.models import Message, MessageTemplate

from . import factories
from .test_checkin_browser import CHROMIUM, PASSWORD, sign_in

SENTENCE = "Zabierzcie ze sobą plan energetyczny gminy."

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


@pytest.fixture
def scene():
    """A meeting of a network with one Polish and one English contact, and the programme's
    coordinator, who signs in with a password."""
    meeting = factories.MeetingFactory(title="Krajowa wymiana w Płocku", capacity=30)
    city = factories.MembershipFactory(network=meeting.network, role=CityRole.ENGAGED).city
    polish = factories.ContactFactory(
        city=city, first_name="Ewa", last_name="Wiśniewska", language="pl"
    )
    english = factories.ContactFactory(city=city, first_name="John", language="en")
    coordinator = factories.UserFactory(email="olga@programme.example")
    coordinator.set_password(PASSWORD)
    coordinator.save()
    Role.objects.create(
        user=coordinator, kind=RoleKind.PROGRAMME_COORDINATOR, programme=meeting.programme
    )
    return meeting, polish, english, coordinator


def rewrite_in_polish(page, live_server, email, label) -> None:
    """Sign in, open the message `label` in Polish from the overview, add SENTENCE, preview
    it, then save."""
    sign_in(page, live_server, email)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Message templates").first.click()
    row = page.get_by_role("row", name=re.compile(re.escape(label)))
    row.get_by_role("link", name=re.compile("Polish: default")).click()
    text = page.get_by_label("Text:")
    text.fill(f"{text.input_value().rstrip()}\n\n{SENTENCE}\n")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name=re.compile("Preview")).wait_for()


def test_a_coordinator_rewrites_the_polish_invitation_and_the_next_one_carries_it(
    page, live_server, scene, settings
):
    settings.SITE_URL = live_server.url
    meeting, polish, english, coordinator = scene

    rewrite_in_polish(page, live_server, coordinator.email, str(KINDS["invitation"].label))

    preview = page.locator("#preview")
    assert "Ewa" in preview.locator("pre").inner_text()  # a real recipient's name
    assert SENTENCE in preview.inner_text()
    page.frame_locator("#preview iframe").get_by_text(SENTENCE).wait_for()
    assert not MessageTemplate.objects.exists()  # a preview saves nothing
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name=re.compile("Polish: changed")).wait_for()

    invitations_send(meeting_id=meeting.pk, contact_ids=[polish.pk, english.pk])

    sent = {message.language: message for message in Message.objects.filter(kind="invitation")}
    assert SENTENCE in sent["pl"].body_text and SENTENCE in sent["pl"].body_html
    assert "Ewa" in sent["pl"].body_text
    assert SENTENCE not in sent["en"].body_text

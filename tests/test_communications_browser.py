"""Issue 14's whole journey in a real browser (Playwright, Debian's Chromium), as a programme
coordinator lives it: sign in through the real page, rewrite the Polish invitation and preview it
for a real recipient, write to the committed cities of one network, send, and read the delivery
counts; then the cockpit lists a message the mail server refused and sends it again. Screenshots
at desktop and phone width go to /tmp/shots-communications."""

import re
from pathlib import Path

import pytest

from access.models import Role, RoleKind
from campaigns.models import Campaign, CampaignStatus
from exchanges.invitations import invitations_send
from exchanges.models import Role as CityRole
from notifications.kinds import KINDS
from notifications.models import Message, MessageTemplate

from . import factories
from .test_campaigns_browser import pick
from .test_checkin_browser import CHROMIUM, PASSWORD, sign_in

SHOTS = Path("/tmp/shots-communications")
PHONE = {"width": 360, "height": 780}
SENTENCE = "Prosimy przywieźć plan energetyczny gminy."

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


@pytest.fixture
def scene():
    """A Polish network: Płock committed (a Polish and an English contact), Sztum a forerunner;
    a meeting of the network; and the programme's coordinator."""
    programme = factories.ProgrammeFactory(name="City Energy Exchange")
    network = factories.NetworkFactory(programme=programme, country__code="PL", name="Polska")
    plock = factories.MembershipFactory(
        network=network, city__name="Płock", role=CityRole.ENGAGED
    ).city
    sztum = factories.MembershipFactory(
        network=network, city__name="Sztum", role=CityRole.PIONEER
    ).city
    ewa = factories.ContactFactory(
        city=plock, first_name="Ewa", last_name="Wiśniewska", language="pl", email="ewa@plock.pl"
    )
    factories.ContactFactory(city=plock, first_name="John", last_name="Smith", language="en")
    factories.ContactFactory(city=sztum, first_name="Anna", language="pl")
    meeting = factories.MeetingFactory(network=network, title="Krajowa wymiana w Płocku")
    coordinator = factories.UserFactory(email="olga@programme.example")
    coordinator.set_password(PASSWORD)
    coordinator.save()
    Role.objects.create(user=coordinator, kind=RoleKind.PROGRAMME_COORDINATOR, programme=programme)
    return programme, meeting, ewa, coordinator


def shoot(page, name: str) -> None:
    """The page at desktop width, then at a phone's 360 px, then back."""
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=SHOTS / f"{name}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=SHOTS / f"{name}-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_coordinator_rewrites_the_polish_invitation_then_writes_to_the_committed_cities(
    page, live_server, scene, settings
):
    settings.SITE_URL = live_server.url
    programme, meeting, ewa, coordinator = scene
    sign_in(page, live_server, coordinator.email)

    # 1. The Polish invitation, from the overview of the programme's texts.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Message templates").first.click()
    row = page.get_by_role("row", name=re.compile(re.escape(str(KINDS["invitation"].label))))
    row.get_by_role("link", name=re.compile("Polish: default")).click()
    text = page.get_by_label("Text:")
    text.wait_for()
    page.get_by_text("{{ invitation_url }}", exact=True).wait_for()  # the placeholders, listed
    text.fill(f"{text.input_value().rstrip()}\n\n{SENTENCE}\n")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name=re.compile("Preview")).wait_for()
    assert "Ewa" in page.locator("#preview pre").inner_text()  # rendered for a real recipient
    page.frame_locator("#preview iframe").get_by_text(SENTENCE).wait_for()
    shoot(page, "1-template-preview")
    # A full-page screenshot leaves the sandboxed frame blank: the message itself, apart.
    page.locator("#preview iframe").screenshot(path=SHOTS / "1-template-preview-html.png")
    assert not MessageTemplate.objects.exists()  # a preview saves nothing
    # By keyboard: after the screenshots' resizing a click may land before the layout settles.
    page.get_by_role("button", name="Save", exact=True).press("Enter")
    page.get_by_role("link", name=re.compile("Polish: changed")).wait_for()
    shoot(page, "2-template-overview")

    invitations_send(meeting_id=meeting.pk, contact_ids=[ewa.pk])
    assert SENTENCE in Message.objects.get(kind="invitation").body_text

    # 2. A campaign to the network's committed cities.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Campaigns").first.click()
    page.get_by_role("link", name=re.compile("Add campaign")).click()
    page.get_by_label("Title").fill("Autumn exchanges")
    pick(page, "programme", "City Energy Exchange")
    page.get_by_label("Send to").select_option("network")
    pick(page, "network", "Polska")
    page.get_by_label("engaged city").check()
    page.locator("#id_texts-0-language").select_option("pl")
    page.locator("#id_texts-0-subject").fill("{{ programme_name }}: jesienne wymiany")
    page.locator("#id_texts-0-body").fill(
        "Szanowni Państwo, {{ recipient_name }},\n\nDo zobaczenia."
    )
    page.locator(".add-row a").click()
    page.locator("#id_texts-1-language").select_option("en")
    page.locator("#id_texts-1-subject").fill("{{ programme_name }}: the autumn exchanges")
    page.locator("#id_texts-1-body").fill("Dear {{ recipient_name }},\n\nsee you soon.")
    page.get_by_role("button", name="Save and continue editing").click()

    page.get_by_role("heading", name="2 recipients").wait_for()
    preview = page.locator(".campaign-preview").inner_text()
    assert "Szanowni Państwo, Ewa Wiśniewska," in preview and "Dear John Smith," in preview
    assert "Anna" not in page.locator("#first-recipients").inner_text()  # a forerunner city
    shoot(page, "3-campaign-preview")
    page.get_by_role("link", name="Send now").click()
    page.get_by_role("button", name="Send to 2 people now").click()
    page.get_by_text("2 messages are on their way.").wait_for()
    counts = page.locator("#delivery-counts").inner_text()
    assert re.search(r"queued\s+sent\s+failed\s+0\s+2\s+0", counts, re.IGNORECASE), counts
    shoot(page, "4-campaign-counts")
    assert Campaign.objects.get().status == CampaignStatus.SENT

    # 3. A message the mail server refused shows in the cockpit, and one button sends it again.
    refused = Message.objects.get(recipient_email="ewa@plock.pl", kind="campaign")
    Message.objects.filter(pk=refused.pk).update(
        status=Message.Status.FAILED, sent_at=None, last_error="550 5.1.1 mailbox unavailable"
    )
    page.goto(f"{live_server.url}/manage/{programme.slug}/")
    panel = page.get_by_role("region", name="Messages not delivered")
    assert "550 5.1.1 mailbox unavailable" in panel.inner_text()
    shoot(page, "5-cockpit-not-delivered")
    page.get_by_role("button", name="Send them all again").click()
    page.get_by_text("1 message is being sent again.").wait_for()
    assert Message.objects.get(pk=refused.pk).status == Message.Status.SENT
